import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, DependencyError, messageOf } from '@ciem/errors';
import { isCloudTrailDigest } from '@ciem/ingest';
import type { BackfillReport, CheckpointStore, RawPublisher } from '@ciem/ingest';
import type { Logger } from '@ciem/telemetry';
import { isProgrammingError } from './aws-errors.js';
import { IngestAwsErrorCodes } from './errors.js';
import { S3BackfillState, compareKeys } from './s3-backfill-state.js';
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
  /** Stops before the next object once aborted; an object cut short is not counted as done. */
  signal?: AbortSignal;
  logger?: Logger;
  /**
   * Store of the keys done under each prefix (see `S3BackfillState`), so that a later run
   * reads only the keys not done yet. Without it every run reads every key.
   */
  checkpoints?: CheckpointStore;
  /** Minimum time between two checkpoint saves of one prefix, in milliseconds (default 1000). */
  checkpointIntervalMs?: number;
  /**
   * Days before a CloudTrail stream's newest day in which a re-run still looks for files
   * delivered late (default 2). Throws `ConfigError` `CIEM_INGEST_AWS_INVALID_OPTION` when it
   * is not a non-negative integer.
   */
  lateDeliveryDays?: number;
  /**
   * Maximum names of done keys kept in one prefix's checkpoint (default 20,000, an estimated
   * 1.8 MB of JSON). Keys left out are read again by the next run. Throws `ConfigError`
   * `CIEM_INGEST_AWS_INVALID_OPTION` when it is not a non-negative integer.
   */
  maxCheckpointNames?: number;
}

/** Key of a prefix's checkpoint in the store. */
function backfillCheckpointKey(location: S3Prefix): string {
  return `s3-backfill/${location.bucket}/${location.prefix}`;
}

/** An entry of a delimited listing: an object, or a common prefix (a directory). */
type ListingEntry = { kind: 'object'; key: string } | { kind: 'directory'; prefix: string };

/**
 * Lists the objects and the common prefixes directly under `prefix` (delimiter `/`), page by
 * page, merged in key order.
 */
async function* listDirectory(
  s3: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<ListingEntry> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: '/',
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
    } catch (error) {
      if (isProgrammingError(error)) throw error;
      throw new DependencyError(
        IngestAwsErrorCodes.s3Failed,
        `listing s3://${bucket}/${prefix} failed: ${messageOf(error)}; run the backfill again`,
        { cause: error },
      );
    }
    const entries: ListingEntry[] = [];
    for (const entry of page.Contents ?? []) {
      if (entry.Key !== undefined) entries.push({ kind: 'object', key: entry.Key });
    }
    for (const entry of page.CommonPrefixes ?? []) {
      if (entry.Prefix !== undefined) entries.push({ kind: 'directory', prefix: entry.Prefix });
    }
    // Every key under a common prefix sorts where the prefix sorts among the page's keys.
    entries.sort((a, b) =>
      compareKeys(a.kind === 'object' ? a.key : a.prefix, b.kind === 'object' ? b.key : b.prefix),
    );
    yield* entries;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/**
 * Walks the keys under `prefix` depth first, in key order, leaving out the directories whose
 * keys `state` reports as all done.
 */
async function* walkKeys(
  s3: S3Client,
  bucket: string,
  prefix: string,
  state: S3BackfillState | undefined,
): AsyncGenerator<string> {
  for await (const entry of listDirectory(s3, bucket, prefix)) {
    if (entry.kind === 'object') yield entry.key;
    else if (state?.skipsDirectory(entry.prefix) !== true) {
      yield* walkKeys(s3, bucket, entry.prefix, state);
    }
  }
}

/**
 * Publishes every object under S3 prefixes to the raw topic, in key order per prefix, one
 * object at a time, skipping CloudTrail digest files. Resolves once Kafka acknowledged
 * everything. Throws `ConfigError` `CIEM_INGEST_AWS_INVALID_S3_URL` or
 * `CIEM_INGEST_AWS_INVALID_OPTION` before reading anything, `DependencyError`
 * `CIEM_INGEST_AWS_S3_FAILED` and the publisher's errors.
 *
 * The prefix is listed one directory level at a time (ListObjectsV2 with delimiter `/`).
 * With `checkpoints`, the keys done are saved at most every `checkpointIntervalMs`, and when
 * the prefix ends or the run stops, and a later run skips them (see `S3BackfillState`):
 * - a directory with no saved entry, such as a new account or region, is read whole;
 * - in a CloudTrail day directory from `lateDeliveryDays` before the stream's newest day on,
 *   every key not recorded as done is read, so late deliveries are not missed;
 * - older day directories of a known stream are not listed at all, which keeps a re-run to
 *   a few list requests per account and region;
 * - in a directory without a `YYYY/MM/DD/` date, only keys after the last one done are read.
 *
 * Objects done after the last save are published again by the next run, and downstream
 * deduplicates them by event id. A checkpoint of the first format, `{ after }`, counts every
 * key up to `after` as done: that run lists the whole prefix once, publishes the keys after
 * it and saves the current format.
 */
export async function backfillS3(options: BackfillS3Options): Promise<BackfillReport> {
  const { s3, publisher, signal, logger } = options;
  const locations = options.prefixes.map(parseS3Url);
  const report: BackfillReport = {
    files: 0,
    skippedFiles: 0,
    unchangedFiles: 0,
    records: 0,
    bytes: 0,
    deadLettered: 0,
  };
  for (const location of locations) {
    const progress = await openProgress(location, options);
    try {
      for await (const key of walkKeys(s3, location.bucket, location.prefix, progress.state)) {
        if (signal?.aborted === true) return report;
        if (progress.state?.skipsKey(key) === true) {
          report.unchangedFiles += 1;
          continue;
        }
        if (isCloudTrailDigest(key)) {
          logger?.debug({ bucket: location.bucket, key }, 'CloudTrail digest file skipped');
          report.skippedFiles += 1;
        } else {
          const object = { bucket: location.bucket, key };
          const result = await ingestS3Object(s3, object, publisher, signal);
          report.files += 1;
          report.records += result.records;
          report.bytes += result.bytes;
          report.deadLettered += result.deadLettered;
          // An abort can cut the object short; it stays not done, so the next run reads it.
          if (isAborted(signal)) return report;
          logger?.debug(
            { bucket: location.bucket, key, records: result.records },
            'backfill object published',
          );
        }
        await progress.done(key);
      }
    } finally {
      // Saved after a failure too: every key marked done was acknowledged by Kafka.
      await progress.flush();
    }
  }
  return report;
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The saved state of one prefix, and the saving of the keys done. */
interface PrefixProgress {
  /** Undefined without a checkpoint store. */
  readonly state: S3BackfillState | undefined;
  /** Records that every record of `key` was acknowledged, saving when the interval has passed. */
  done(key: string): Promise<void>;
  /** Saves the keys done, if some were not saved yet. */
  flush(): Promise<void>;
}

async function openProgress(
  location: S3Prefix,
  options: BackfillS3Options,
): Promise<PrefixProgress> {
  const store = options.checkpoints;
  if (store === undefined) {
    return { state: undefined, done: async () => undefined, flush: async () => undefined };
  }
  const key = backfillCheckpointKey(location);
  const state = new S3BackfillState(await store.load<unknown>(key), {
    prefix: location.prefix,
    ...(options.lateDeliveryDays === undefined
      ? {}
      : { lateDeliveryDays: options.lateDeliveryDays }),
    ...(options.maxCheckpointNames === undefined
      ? {}
      : { maxRecordedNames: options.maxCheckpointNames }),
  });
  const fields = { bucket: location.bucket, prefix: location.prefix };
  if (state.loaded === 'legacy') {
    options.logger?.info(
      { ...fields, after: state.legacyMark },
      'S3 backfill resumes after the key of a first-format checkpoint and lists the whole prefix once',
    );
  } else if (state.loaded === 'current') {
    options.logger?.info(fields, 'S3 backfill resumes from its checkpoint');
  } else if (state.loaded === 'unreadable') {
    options.logger?.warn(
      { ...fields, checkpoint: key },
      'S3 backfill checkpoint has an unknown form and is ignored; the whole prefix is read again',
    );
  }
  const interval = options.checkpointIntervalMs ?? 1000;
  let dirty = false;
  let omissionLogged = false;
  let savedAt = Date.now();
  const save = async (): Promise<void> => {
    if (!dirty) return;
    dirty = false;
    savedAt = Date.now();
    const { checkpoint, omittedNames } = state.toCheckpoint();
    if (omittedNames > 0 && !omissionLogged) {
      omissionLogged = true;
      options.logger?.warn(
        { ...fields, omitted_names: omittedNames },
        'S3 backfill checkpoint is full; the oldest recent keys are left out and the next run reads them again',
      );
    }
    await store.save(key, checkpoint);
  };
  return {
    state,
    async done(doneKey) {
      state.markDone(doneKey);
      dirty = true;
      if (Date.now() - savedAt >= interval) await save();
    },
    flush: save,
  };
}
