import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@ciem/errors';
import type { Provider } from '@ciem/events';
import { readRecords } from '@ciem/normalize';
import type { Logger } from '@ciem/telemetry';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { CheckpointStore } from './checkpoint-store.js';
import { IngestErrorCodes, invalidOption } from './errors.js';
import { FileBackfillProgress, fileVersionOf } from './file-backfill-progress.js';
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
  /**
   * Store of the files published in full to the publisher's topic, with their size and
   * modification time, so that a later run skips them while they are unchanged. Without it
   * every run reads every file.
   */
  checkpoints?: CheckpointStore;
}

/** Totals of a backfill, all acknowledged by Kafka. */
export interface BackfillReport {
  /** Files read to the end (or to the abort). */
  files: number;
  /** CloudTrail digest files passed over: they hold hashes, not events. */
  skippedFiles: number;
  /**
   * Files or S3 objects not read because an earlier run with the same checkpoints finished
   * them (and, for local files, they did not change since). S3 days older than the resume
   * window are not listed, so their objects are not counted.
   */
  unchangedFiles: number;
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

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Publishes every record of local files to the publisher's raw topic: any container
 * `readRecords` reads, gzip or not, in constant memory. Records that cannot be read go to
 * the dead-letter topic with their file and line. Each record carries `source`
 * `file:<absolute path>` and `raw_ref` `<path>:<line>[#<index>]`. Resolves once Kafka
 * acknowledged every record.
 *
 * With `checkpoints`, a file is recorded as done with the size and modification time it had
 * when reading started, once Kafka acknowledged all its records. A later run skips a file
 * whose size and modification time both equal the recorded ones, and reads whole a new
 * file or a changed one (appended to, rewritten or touched), publishing its earlier records
 * again. A file the run stopped in (a failure or an abort) is not recorded, so the next run
 * reads it whole again. The records of done files are saved about every second and when
 * the run ends, so after a killed process the next run also reads again the files done in
 * about the second before. Downstream deduplicates the repeated records by event id.
 * NOTE: a file rewritten with the same size and the same modification time is taken as
 * unchanged and not read.
 *
 * Throws `ConfigError` `CIEM_INGEST_INPUT_NOT_FOUND` before publishing anything when an
 * input matches no file, the file system's error when a file cannot be read, the checkpoint
 * store's errors, and the producer's errors.
 */
export async function backfillFiles(options: BackfillFilesOptions): Promise<BackfillReport> {
  const { publisher, logger, signal } = options;
  const files = await expandInputs(options.inputs);
  const progress =
    options.checkpoints === undefined
      ? undefined
      : new FileBackfillProgress(options.checkpoints, publisher.topic);
  const report: BackfillReport = {
    files: 0,
    skippedFiles: 0,
    unchangedFiles: 0,
    records: 0,
    bytes: 0,
    deadLettered: 0,
  };

  try {
    for (const file of files) {
      if (signal?.aborted === true) break;
      if (isCloudTrailDigest(file)) {
        logger?.debug({ file }, 'CloudTrail digest file skipped');
        report.skippedFiles += 1;
        continue;
      }
      const version = progress === undefined ? undefined : await fileVersionOf(file);
      if (version !== undefined && (await progress?.isDone(file, version)) === true) {
        logger?.debug({ file }, 'backfill file unchanged since it was published; skipped');
        report.unchangedFiles += 1;
        continue;
      }
      const result = await ingestRecords({
        records: readRecords(file, {
          name: file,
          provider: options.provider ?? publisher.provider,
          ...(options.maxRecordBytes === undefined
            ? {}
            : { maxRecordBytes: options.maxRecordBytes }),
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
      // An abort can cut the file short, so it is recorded only when the run was not aborted.
      if (version !== undefined && !isAborted(signal)) await progress?.markDone(file, version);
    }
  } finally {
    // Saved after a failure too: every file recorded was acknowledged in full.
    await progress?.flush();
  }
  return report;
}
