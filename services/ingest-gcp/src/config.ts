import { setting } from '@ciem/config';
import type { ConfigValues } from '@ciem/config';
import { ingestSettings } from '@ciem/ingest';
import { serviceSettings } from '@ciem/runtime';

/** Modes of the service: one source per process. */
export const INGEST_GCP_MODES = ['pubsub', 'backfill'] as const;

/** The configuration schema of ingest-gcp. */
export const ingestGcpSchema = {
  ...serviceSettings,
  ...ingestSettings,
  mode: setting.enum({
    env: 'CIEM_INGEST_GCP_MODE',
    description:
      '`pubsub`: streaming pull from the subscription of a Cloud Logging sink topic; `backfill`: read files once, then exit.',
    values: INGEST_GCP_MODES,
    default: 'pubsub',
  }),
  project: setting.string({
    env: 'CIEM_INGEST_GCP_PROJECT',
    description: 'Project of the Pub/Sub subscription; required in `pubsub` mode.',
    optional: true,
  }),
  subscription: setting.string({
    env: 'CIEM_INGEST_GCP_SUBSCRIPTION',
    description: 'Subscription of the log sink topic; required in `pubsub` mode.',
    optional: true,
  }),
  pubsubEndpoint: setting.string({
    env: 'CIEM_GCP_PUBSUB_ENDPOINT',
    description:
      '`host:port` of a Pub/Sub emulator or fake, such as `127.0.0.1:8085`, reached without TLS or credentials. Unset for Google Cloud, where credentials come from Application Default Credentials.',
    optional: true,
  }),
  flowMaxMessages: setting.integer({
    env: 'CIEM_INGEST_GCP_FLOW_MAX_MESSAGES',
    description: 'Most messages leased and not yet acked; the client stops pulling beyond it.',
    default: 1_000,
    min: 1,
    unit: 'messages',
  }),
  flowMaxBytes: setting.integer({
    env: 'CIEM_INGEST_GCP_FLOW_MAX_BYTES',
    description: 'Most bytes of leased messages; the client stops pulling beyond it.',
    default: 104_857_600,
    min: 1,
    unit: 'bytes',
  }),
  batchMaxMessages: setting.integer({
    env: 'CIEM_INGEST_GCP_BATCH_MAX_MESSAGES',
    description: 'Most messages published to Kafka together before they are acked.',
    default: 500,
    min: 1,
    unit: 'messages',
  }),
  batchMaxWaitMs: setting.duration({
    env: 'CIEM_INGEST_GCP_BATCH_MAX_WAIT_MS',
    description: 'Maximum time a message waits for its batch to fill.',
    default: 50,
    min: 1,
  }),
  backfillPaths: setting.list({
    env: 'CIEM_INGEST_GCP_BACKFILL_PATHS',
    description: 'Local files, folders and glob patterns read in `backfill` mode.',
    optional: true,
  }),
};

/** The loaded configuration values of ingest-gcp. */
export type IngestGcpConfig = ConfigValues<typeof ingestGcpSchema>;

const hostPort = /^[^\s:/]+:\d{1,5}$/;

/**
 * Returns the problems of settings that depend on the mode, one line each in the form of
 * `loadConfig`'s problems; empty when the configuration is complete.
 */
export function modeProblems(values: IngestGcpConfig): string[] {
  const problems: string[] = [];
  if (values.mode === 'pubsub') {
    if (values.project === undefined) {
      problems.push(
        'CIEM_INGEST_GCP_PROJECT: expected a project id in pubsub mode, received nothing',
      );
    }
    if (values.subscription === undefined) {
      problems.push(
        'CIEM_INGEST_GCP_SUBSCRIPTION: expected a subscription name in pubsub mode, received nothing',
      );
    }
  }
  if (values.pubsubEndpoint !== undefined && !hostPort.test(values.pubsubEndpoint)) {
    problems.push(
      `CIEM_GCP_PUBSUB_ENDPOINT: expected host:port such as 127.0.0.1:8085, received "${values.pubsubEndpoint}"`,
    );
  }
  if (values.mode === 'backfill' && (values.backfillPaths ?? []).length === 0) {
    problems.push(
      'CIEM_INGEST_GCP_BACKFILL_PATHS: expected at least one path in backfill mode, received nothing',
    );
  }
  return problems;
}
