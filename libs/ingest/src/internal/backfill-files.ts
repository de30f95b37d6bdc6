import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@ciem/errors';
import type { Provider } from '@ciem/events';
import { readRecords } from '@ciem/normalize';
import type { Logger } from '@ciem/telemetry';
import { glob, isDynamicPattern } from 'tinyglobby';
import { IngestErrorCodes, invalidOption } from './errors.js';
import { ingestRecords } from './ingest-records.js';
import type { RawPublisher } from './raw-publisher.js';

/** Options of {@link backfillFiles}. */
export interface BackfillFilesOptions {
  /** Files, folders (read recursively, hidden entries skipped) and glob patterns. */
  inputs: readonly string[];
  publisher: RawPublisher;
  /** Provider of records whose keys match none; the publisher's by default. */
  provider?: Provider;
  /** Largest record read, in bytes; larger ones are dead-lettered (see `readRecords`). */
  maxRecordBytes?: number;
  /** Stops before the next record once aborted; what was read is still acknowledged. */
  signal?: AbortSignal;
  /** Receives a debug line per file read or skipped. */
  logger?: Logger;
}

/** Totals of a backfill, all acknowledged by Kafka. */
export interface BackfillReport {
  /** Files read to the end (or to the abort). */
  files: number;
  /** CloudTrail digest files passed over: they hold hashes, not events. */
  skippedFiles: number;
  records: number;
  bytes: number;
  deadLettered: number;
}

/** CloudTrail writes digest files under `CloudTrail-Digest/` folders and in their names. */
export function isCloudTrailDigest(name: string): boolean {
  return name.includes('CloudTrail-Digest');
}

/**
 * Expands files, folders and globs into a sorted list of distinct absolute file paths.
 * Throws `ConfigError` `CIEM_INGEST_INPUT_NOT_FOUND` for an input that matches no file.
 */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const input of inputs) {
    if (typeof input !== 'string' || input.length === 0) {
      throw invalidOption('inputs', 'file paths, folder paths or glob patterns', input);
    }
    const info = await stat(input).catch(() => undefined);
    let found: string[];
    if (info?.isFile() === true) found = [path.resolve(input)];
    else if (info?.isDirectory() === true) {
      found = await glob('**/*', { cwd: input, absolute: true, onlyFiles: true, dot: false });
    } else if (info === undefined && isDynamicPattern(input)) {
      found = await glob(input, { absolute: true, onlyFiles: true, dot: false });
    } else found = [];
    if (found.length === 0) {
      throw new ConfigError(
        IngestErrorCodes.inputNotFound,
        `backfill input ${JSON.stringify(input)} matches no file: expected a file, a folder with files or a glob pattern; check the path`,
        { details: { file: input } },
      );
    }
    for (const file of found) files.add(path.resolve(file));
  }
  return [...files].sort();
}

/**
 * Publishes every record of local files to the publisher's raw topic: any container
 * `readRecords` reads, gzip or not, in constant memory. Records that cannot be read go to
 * the dead-letter topic with their file and line. Each record carries `source`
 * `file:<absolute path>` and `raw_ref` `<path>:<line>[#<index>]`. Resolves once Kafka
 * acknowledged every record.
 *
 * Throws `ConfigError` `CIEM_INGEST_INPUT_NOT_FOUND` before publishing anything when an
 * input matches no file, the file system's error when a file cannot be read, and the
 * producer's errors. NOTE: progress is not checkpointed, so running a failed backfill again
 * publishes the files before the failure once more; downstream deduplicates by event id.
 */
export async function backfillFiles(options: BackfillFilesOptions): Promise<BackfillReport> {
  const { publisher, logger, signal } = options;
  const files = await expandInputs(options.inputs);
  const report: BackfillReport = {
    files: 0,
    skippedFiles: 0,
    records: 0,
    bytes: 0,
    deadLettered: 0,
  };

  for (const file of files) {
    if (signal?.aborted === true) break;
    if (isCloudTrailDigest(file)) {
      logger?.debug({ file }, 'CloudTrail digest file skipped');
      report.skippedFiles += 1;
      continue;
    }
    const result = await ingestRecords({
      records: readRecords(file, {
        name: file,
        provider: options.provider ?? publisher.provider,
        ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }),
      }),
      source: `file:${file}`,
      publisher,
      ...(signal === undefined ? {} : { signal }),
    });
    report.files += 1;
    report.records += result.records;
    report.bytes += result.bytes;
    report.deadLettered += result.deadLettered;
    logger?.debug(
      { file, records: result.records, dead_lettered: result.deadLettered },
      'backfill file published',
    );
  }
  return report;
}
