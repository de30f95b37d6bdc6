import { setting } from '@ciem/config';
import type { ConfigValues } from '@ciem/config';
import { ingestSettings } from '@ciem/ingest';
import { serviceSettings } from '@ciem/runtime';

/** Modes of the service: one source per process. */
export const INGEST_AWS_MODES = ['sqs', 'lookup', 'backfill'] as const;

/** The configuration schema of ingest-aws. */
export const ingestAwsSchema = {
  ...serviceSettings,
  ...ingestSettings,
  mode: setting.enum({
    env: 'CIEM_INGEST_AWS_MODE',
    description:
      '`sqs`: CloudTrail deliveries announced on SQS; `lookup`: poll LookupEvents; `backfill`: read files and S3 prefixes once, then exit.',
    values: INGEST_AWS_MODES,
    default: 'sqs',
  }),
  region: setting.string({
    env: 'CIEM_AWS_REGION',
    aliases: ['AWS_REGION'],
    description: 'AWS region of the queue, the buckets and the default LookupEvents region.',
  }),
  endpointUrl: setting.url({
    env: 'CIEM_AWS_ENDPOINT_URL',
    description:
      "Endpoint of every AWS client instead of the region's, such as a local moto server `http://127.0.0.1:5000`; S3 then uses path-style URLs. Credentials always come from the AWS SDK's default chain.",
    optional: true,
  }),
  sqsQueueUrl: setting.url({
    env: 'CIEM_INGEST_AWS_SQS_QUEUE_URL',
    description:
      "URL of the SQS queue receiving the trail bucket's S3 event notifications or the trail's SNS messages; required in `sqs` mode.",
    optional: true,
  }),
  sqsConcurrency: setting.integer({
    env: 'CIEM_INGEST_AWS_SQS_CONCURRENCY',
    description: 'SQS messages processed at once; each reads its objects one after another.',
    default: 4,
    min: 1,
    max: 100,
    unit: 'messages',
  }),
  sqsVisibilityTimeoutMs: setting.duration({
    env: 'CIEM_INGEST_AWS_SQS_VISIBILITY_TIMEOUT_MS',
    description:
      'Visibility timeout of received messages, whole seconds; extended by this much every half of it while a message is processed.',
    default: 300_000,
    min: 2_000,
    max: 43_200_000,
  }),
  sqsRetryDelayMs: setting.duration({
    env: 'CIEM_INGEST_AWS_SQS_RETRY_DELAY_MS',
    description:
      'Time after which a message whose processing failed is received again, whole seconds.',
    default: 30_000,
    min: 0,
    max: 43_200_000,
  }),
  lookupRegions: setting.list({
    env: 'CIEM_INGEST_AWS_LOOKUP_REGIONS',
    description: 'Regions polled in `lookup` mode; `CIEM_AWS_REGION` when unset.',
    optional: true,
  }),
  lookupDelayMs: setting.duration({
    env: 'CIEM_INGEST_AWS_LOOKUP_DELAY_MS',
    description:
      'Age an event second must reach before LookupEvents is read for it, leaving CloudTrail time to make events visible; later events are missed.',
    default: 600_000,
    min: 0,
  }),
  lookupLookbackMs: setting.duration({
    env: 'CIEM_INGEST_AWS_LOOKUP_LOOKBACK_MS',
    description: 'How far back the first poll of a region starts when it has no checkpoint.',
    default: 3_600_000,
    min: 0,
  }),
  lookupIntervalMs: setting.duration({
    env: 'CIEM_INGEST_AWS_LOOKUP_INTERVAL_MS',
    description: 'Wait between polls once a region is caught up.',
    default: 60_000,
    min: 1,
  }),
  lookupMaxWindowMs: setting.duration({
    env: 'CIEM_INGEST_AWS_LOOKUP_MAX_WINDOW_MS',
    description: 'Maximum time window read and checkpointed at once.',
    default: 300_000,
    min: 1_000,
  }),
  lookupRatePerSecond: setting.integer({
    env: 'CIEM_INGEST_AWS_LOOKUP_RATE_PER_SECOND',
    description:
      'LookupEvents requests per second per region; CloudTrail allows 2 per account and region.',
    default: 2,
    min: 1,
    max: 2,
    unit: 'requests',
  }),
  backfillPaths: setting.list({
    env: 'CIEM_INGEST_AWS_BACKFILL_PATHS',
    description: 'Local files, folders and glob patterns read in `backfill` mode.',
    optional: true,
  }),
  backfillS3Prefixes: setting.list({
    env: 'CIEM_INGEST_AWS_BACKFILL_S3_PREFIXES',
    description: 'S3 prefixes as `s3://bucket/prefix` read in `backfill` mode.',
    optional: true,
  }),
  backfillLateDeliveryDays: setting.integer({
    env: 'CIEM_INGEST_AWS_BACKFILL_LATE_DELIVERY_DAYS',
    description:
      'Days before the newest day of a CloudTrail stream whose S3 folders a backfill lists again for files delivered late; raise it after a bucket outage (CloudTrail retries delivery for up to 30 days).',
    default: 2,
    min: 0,
    max: 366,
    unit: 'days',
  }),
};

/** The loaded configuration values of ingest-aws. */
export type IngestAwsConfig = ConfigValues<typeof ingestAwsSchema>;

/**
 * Returns the problems of settings that depend on the mode, one line each in the form of
 * `loadConfig`'s problems; empty when the configuration is complete.
 */
export function modeProblems(values: IngestAwsConfig): string[] {
  const problems: string[] = [];
  if (values.mode === 'sqs' && values.sqsQueueUrl === undefined) {
    problems.push(
      'CIEM_INGEST_AWS_SQS_QUEUE_URL: expected an SQS queue URL in sqs mode, received nothing',
    );
  }
  if (
    values.mode === 'backfill' &&
    (values.backfillPaths ?? []).length === 0 &&
    (values.backfillS3Prefixes ?? []).length === 0
  ) {
    problems.push(
      'CIEM_INGEST_AWS_BACKFILL_PATHS, CIEM_INGEST_AWS_BACKFILL_S3_PREFIXES: expected at least one path or prefix in backfill mode, received nothing',
    );
  }
  for (const name of ['sqsVisibilityTimeoutMs', 'sqsRetryDelayMs'] as const) {
    if (values[name] % 1000 !== 0) {
      const variable = ingestAwsSchema[name].env;
      problems.push(
        `${variable}: expected whole seconds (a multiple of 1000), received ${values[name]}`,
      );
    }
  }
  return problems;
}
