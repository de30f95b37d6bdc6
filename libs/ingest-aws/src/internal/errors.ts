import { ConfigError, describeValue } from '@ciem/errors';

/** Error codes of the AWS ingest adapters. Codes are permanent: a retired code is never reused. */
export const IngestAwsErrorCodes = {
  /** An option passed to this library is invalid (ConfigError). */
  invalidOption: 'CIEM_INGEST_AWS_INVALID_OPTION',
  /** An SQS message body is not an S3, SNS or CloudTrail notification (InputError, dead-lettered). */
  invalidNotification: 'CIEM_INGEST_AWS_INVALID_NOTIFICATION',
  /** A notified S3 object no longer exists (InputError, dead-lettered). */
  objectNotFound: 'CIEM_INGEST_AWS_OBJECT_NOT_FOUND',
  /** An S3 request failed; the message or prefix is tried again (DependencyError). */
  s3Failed: 'CIEM_INGEST_AWS_S3_FAILED',
  /** An SQS request failed; the receive loop backs off and tries again (DependencyError). */
  sqsFailed: 'CIEM_INGEST_AWS_SQS_FAILED',
  /** A LookupEvents request failed after back-off (DependencyError). */
  lookupFailed: 'CIEM_INGEST_AWS_LOOKUP_FAILED',
  /** A LookupEvents item has no parsable `CloudTrailEvent` (InputError, dead-lettered). */
  invalidLookupEvent: 'CIEM_INGEST_AWS_INVALID_LOOKUP_EVENT',
  /** A backfill prefix is not an `s3://bucket/prefix` URL (ConfigError). */
  invalidS3Url: 'CIEM_INGEST_AWS_INVALID_S3_URL',
} as const;

/** One of {@link IngestAwsErrorCodes}. */
export type IngestAwsErrorCode = (typeof IngestAwsErrorCodes)[keyof typeof IngestAwsErrorCodes];

/** Builds the ConfigError for an invalid option: its name, the expected form and what was received. */
export function invalidOption(name: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(
    IngestAwsErrorCodes.invalidOption,
    `invalid AWS ingest option ${name}: expected ${expected}, received ${describeValue(received)}`,
    { details: { option: name } },
  );
}
