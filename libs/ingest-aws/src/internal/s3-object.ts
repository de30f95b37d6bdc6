import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { CiemError, DependencyError, InputError, messageOf } from '@ciem/errors';
import { ingestRecords } from '@ciem/ingest';
import type { IngestReport, RawPublisher } from '@ciem/ingest';
import { readRecords } from '@ciem/normalize';
import { awsErrorName, isProgrammingError } from './aws-errors.js';
import { IngestAwsErrorCodes } from './errors.js';
import type { S3ObjectRef } from './notification.js';

/** Returns the `s3://bucket/key` URL of an object: the `source` header of its records. */
export function s3Url(object: S3ObjectRef): string {
  return `s3://${object.bucket}/${object.key}`;
}

/**
 * Streams one S3 object (a CloudTrail `.json.gz` delivery file or any container
 * `readRecords` reads) to the raw topic, with source `s3://bucket/key`, and resolves once
 * Kafka acknowledged every record. Unreadable records go to the dead-letter topic; an object
 * that no longer exists becomes one dead letter with `CIEM_INGEST_AWS_OBJECT_NOT_FOUND`.
 *
 * Rejects with `DependencyError` `CIEM_INGEST_AWS_S3_FAILED` when S3 fails (the caller tries
 * the object again later), and with the publisher's errors.
 */
export async function ingestS3Object(
  s3: S3Client,
  object: S3ObjectRef,
  publisher: RawPublisher,
  signal?: AbortSignal,
): Promise<IngestReport> {
  const source = s3Url(object);
  let body: Readable;
  try {
    const response = await s3.send(
      new GetObjectCommand({ Bucket: object.bucket, Key: object.key }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    body = response.Body as Readable;
  } catch (error) {
    if (awsErrorName(error) === 'NoSuchKey') {
      await publisher.deadLetter({
        value: null,
        source,
        rawRef: source,
        error: new InputError(
          IngestAwsErrorCodes.objectNotFound,
          `S3 object ${source} was announced but does not exist (NoSuchKey); it was deleted before it was read. Restore it and backfill it from S3 if its events are needed.`,
          { details: { source } },
        ),
      });
      return { records: 0, bytes: 0, deadLettered: 1 };
    }
    if (isProgrammingError(error)) throw error;
    throw new DependencyError(
      IngestAwsErrorCodes.s3Failed,
      `reading ${source} from S3 failed: ${messageOf(error)}; it is tried again`,
      { cause: error, details: { source } },
    );
  }

  try {
    return await ingestRecords({
      records: readRecords(body, { name: source, provider: 'aws' }),
      source,
      publisher,
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (error instanceof CiemError || isProgrammingError(error)) throw error;
    // Anything else is the body stream failing, such as a dropped connection, so the object
    // is read again later.
    throw new DependencyError(
      IngestAwsErrorCodes.s3Failed,
      `streaming ${source} from S3 failed: ${messageOf(error)}; it is tried again`,
      { cause: error, details: { source } },
    );
  } finally {
    body.destroy();
  }
}
