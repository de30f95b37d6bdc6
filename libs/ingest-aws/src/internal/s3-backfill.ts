import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, DependencyError, messageOf } from '@ciem/errors';
import { isCloudTrailDigest } from '@ciem/ingest';
import type { BackfillReport, CheckpointStore, RawPublisher } from '@ciem/ingest';
import type { Logger } from '@ciem/telemetry';
import { isProgrammingError } from './aws-errors.js';
import { IngestAwsErrorCodes } from './errors.js';
import type { S3ObjectRef } from './notification.js';
import { ingestS3Object } from './s3-object.js';

/** A bucket and key prefix, parsed from `s3://bucket/prefix`. */
export interface S3Prefix {
  bucket: string;
  prefix: string;
}

/**
 * Parses `s3://bucket/prefix` (the prefix may be empty). Throws `ConfigError`
 * `CIEM_INGEST_AWS_INVALID_S3_URL` for anything else.
 */
export function parseS3Url(url: string): S3Prefix {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (match?.[1] === undefined) {
    throw new ConfigError(
      IngestAwsErrorCodes.invalidS3Url,
      `invalid S3 prefix ${JSON.stringify(url)}: expected s3://bucket/prefix with a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens`,
    );
  }
  return { bucket: match[1], prefix: match[2] ?? '' };
}

/** Options of {@link backfillS3}. */
export interface BackfillS3Options {
  s3: S3Client;
  /** Prefixes as `s3://bucket/prefix`, such as `s3://trail/AWSLogs/111122223333/CloudTrail/`. */
  prefixes: readonly string[];
  publisher: RawPublisher;
  /** Stops before the next object once aborted. */
  signal?: AbortSignal;
  logger?: Logger;
  /**
   * Store of the last object done under each prefix, so that a backfill run again after a
   * failure or a stop starts after it. Without it every run starts at the first key.
   */
  checkpoints?: CheckpointStore;
  /** Minimum time between two checkpoint saves of one prefix, in milliseconds (default 1000). */
  checkpointIntervalMs?: number;
}

/** The content of a prefix's backfill checkpoint. */
interface BackfillCheckpoint {
  /** The last key whose records Kafka acknowledged; the next run lists the keys after it. */
  after: string;
}

/** Key of a prefix's checkpoint in the store. */
function backfillCheckpointKey(location: S3Prefix): string {
  return `s3-backfill/${location.bucket}/${location.prefix}`;
}

async function* listObjects(
  s3: S3Client,
  location: S3Prefix,
  startAfter: string | undefined,
): AsyncGenerator<S3ObjectRef> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({
          Bucket: location.bucket,
          Prefix: location.prefix,
          ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
    } catch (error) {
      if (isProgrammingError(error)) throw error;
      throw new DependencyError(
        IngestAwsErrorCodes.s3Failed,
        `listing s3://${location.bucket}/${location.prefix} failed: ${messageOf(error)}; run the backfill again`,
        { cause: error },
      );
    }
    for (const entry of page.Contents ?? []) {
      if (entry.Key !== undefined) yield { bucket: location.bucket, key: entry.Key };
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/**
 * Publishes every object under S3 prefixes to the raw topic, in key order per prefix (the
 * order ListObjectsV2 returns), one object at a time, skipping CloudTrail digest files.
 * Resolves once Kafka acknowledged everything. Throws `ConfigError`
 * `CIEM_INGEST_AWS_INVALID_S3_URL` before reading anything, `DependencyError`
 * `CIEM_INGEST_AWS_S3_FAILED` and the publisher's errors.
 *
 * With `checkpoints`, the last key done under each prefix is saved at most every
 * `checkpointIntervalMs`, and when the prefix ends or the run stops. A later run lists only
 * the keys after it (S3 lists keys in UTF-8 binary order). Objects done after the
 * last save are published again by the next run, and downstream deduplicates them by
 * event id. New objects written later under a key before the saved one are not read.
 */
export async function backfillS3(options: BackfillS3Options): Promise<BackfillReport> {
  const { s3, publisher, signal, logger } = options;
  const locations = options.prefixes.map(parseS3Url);
  const report: BackfillReport = {
    files: 0,
    skippedFiles: 0,
    records: 0,
    bytes: 0,
    deadLettered: 0,
  };
  for (const location of locations) {
    const progress = await openProgress(location, options);
    try {
      for await (const object of listObjects(s3, location, progress.after)) {
        if (signal?.aborted === true) return report;
        if (isCloudTrailDigest(object.key)) {
          logger?.debug(
            { bucket: object.bucket, key: object.key },
            'CloudTrail digest file skipped',
          );
          report.skippedFiles += 1;
        } else {
          const result = await ingestS3Object(s3, object, publisher, signal);
          report.files += 1;
          report.records += result.records;
          report.bytes += result.bytes;
          report.deadLettered += result.deadLettered;
          logger?.debug(
            { bucket: object.bucket, key: object.key, records: result.records },
            'backfill object published',
          );
        }
        await progress.done(object.key);
      }
    } finally {
      // Saved after a failure too: every key before it was acknowledged by Kafka.
      await progress.flush();
    }
  }
  return report;
}

/** The saved position of one prefix, and the saving of the keys done after it. */
interface PrefixProgress {
  /** The key the listing starts after, when a checkpoint was saved. */
  readonly after: string | undefined;
  /** Records that every object up to `key` is done, saving it when the interval has passed. */
  done(key: string): Promise<void>;
  /** Saves the last key done, if it was not saved yet. */
  flush(): Promise<void>;
}

async function openProgress(
  location: S3Prefix,
  options: BackfillS3Options,
): Promise<PrefixProgress> {
  const store = options.checkpoints;
  if (store === undefined) {
    return { after: undefined, done: async () => undefined, flush: async () => undefined };
  }
  const key = backfillCheckpointKey(location);
  const saved = await store.load<BackfillCheckpoint>(key);
  const after = typeof saved?.after === 'string' ? saved.after : undefined;
  if (after !== undefined) {
    options.logger?.info(
      { bucket: location.bucket, prefix: location.prefix, after },
      'S3 backfill resumes after the saved key',
    );
  }
  const interval = options.checkpointIntervalMs ?? 1000;
  let unsaved: string | undefined;
  let savedAt = Date.now();
  const save = async (): Promise<void> => {
    if (unsaved === undefined) return;
    const value: BackfillCheckpoint = { after: unsaved };
    unsaved = undefined;
    savedAt = Date.now();
    await store.save(key, value);
  };
  return {
    after,
    async done(doneKey) {
      unsaved = doneKey;
      if (Date.now() - savedAt >= interval) await save();
    },
    flush: save,
  };
}
