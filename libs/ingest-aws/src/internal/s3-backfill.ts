import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, DependencyError, messageOf } from '@ciem/errors';
import { isCloudTrailDigest } from '@ciem/ingest';
import type { BackfillReport, RawPublisher } from '@ciem/ingest';
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
}

async function* listObjects(s3: S3Client, location: S3Prefix): AsyncGenerator<S3ObjectRef> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({
          Bucket: location.bucket,
          Prefix: location.prefix,
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
 * `CIEM_INGEST_AWS_S3_FAILED` and the publisher's errors. NOTE: progress is not
 * checkpointed, so running a failed backfill again publishes the objects before the failure
 * once more; downstream deduplicates by event id.
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
    for await (const object of listObjects(s3, location)) {
      if (signal?.aborted === true) return report;
      if (isCloudTrailDigest(object.key)) {
        logger?.debug({ bucket: object.bucket, key: object.key }, 'CloudTrail digest file skipped');
        report.skippedFiles += 1;
        continue;
      }
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
  }
  return report;
}
