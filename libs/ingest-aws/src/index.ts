/**
 * AWS ingest adapters: CloudTrail delivered through S3 and SQS, the LookupEvents poller and
 * backfill from S3 prefixes. They publish through `@ciem/ingest`, so records keep their
 * bytes and unreadable ones go to the dead-letter topic. Checked against moto 5.2 (S3, SQS)
 * and a local fake of the CloudTrail LookupEvents JSON API.
 */
export { createAwsClients } from './internal/aws-clients.js';
export type { AwsClientOptions, AwsClients } from './internal/aws-clients.js';
export { decodeS3EventKey, parseNotification } from './internal/notification.js';
export type { ParsedNotification, S3ObjectRef } from './internal/notification.js';
export { ingestS3Object, s3Url } from './internal/s3-object.js';
export { createSqsIngestStage } from './internal/sqs-consumer.js';
export type { SqsIngestOptions, SqsIngestStage, SqsIngestStats } from './internal/sqs-consumer.js';
export { createLookupPollerStage } from './internal/lookup-poller.js';
export type { LookupPollerOptions, LookupPollerStage } from './internal/lookup-poller.js';
export {
  floorToSecond,
  halveWindow,
  initialCheckpoint,
  nextWindow,
  settleWindow,
} from './internal/lookup-window.js';
export type { LookupCheckpoint, LookupEventItem, LookupWindow } from './internal/lookup-window.js';
export { TokenBucket } from './internal/token-bucket.js';
export type { TokenBucketOptions } from './internal/token-bucket.js';
export { backfillS3, parseS3Url } from './internal/s3-backfill.js';
export type { BackfillS3Options, S3Prefix } from './internal/s3-backfill.js';
export { isThrottlingError } from './internal/aws-errors.js';
export { IngestAwsErrorCodes } from './internal/errors.js';
export type { IngestAwsErrorCode } from './internal/errors.js';
