import { setting } from '@ciem/config';
import type { ConfigValues } from '@ciem/config';
import { ingestSettings } from '@ciem/ingest';
import { serviceSettings } from '@ciem/runtime';

/** Modes of the service: one source per process. */
export const INGEST_AZURE_MODES = ['eventhub', 'backfill'] as const;

/** Checkpoint stores of `eventhub` mode. */
export const INGEST_AZURE_CHECKPOINT_STORES = ['blob', 'local'] as const;

/** The configuration schema of ingest-azure. */
export const ingestAzureSchema = {
  ...serviceSettings,
  ...ingestSettings,
  mode: setting.enum({
    env: 'CIEM_INGEST_AZURE_MODE',
    description:
      '`eventhub`: consume the event hub that Azure Monitor exports the activity log to; `backfill`: read files once, then exit.',
    values: INGEST_AZURE_MODES,
    default: 'eventhub',
  }),
  eventHubConnectionString: setting.string({
    env: 'CIEM_INGEST_AZURE_EVENTHUB_CONNECTION_STRING',
    description:
      'Event Hubs connection string (`Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...`) with Listen rights; required in `eventhub` mode.',
    secret: true,
    optional: true,
  }),
  eventHubName: setting.string({
    env: 'CIEM_INGEST_AZURE_EVENTHUB_NAME',
    description:
      'Event hub name, such as `insights-activity-logs`; may be left unset when the connection string has `EntityPath`.',
    optional: true,
  }),
  consumerGroup: setting.string({
    env: 'CIEM_INGEST_AZURE_EVENTHUB_CONSUMER_GROUP',
    description:
      'Consumer group; instances in one group share the partitions (blob checkpoints only).',
    default: '$Default',
  }),
  startPosition: setting.enum({
    env: 'CIEM_INGEST_AZURE_START_POSITION',
    description:
      'Where a partition without a checkpoint starts: `earliest` reads everything the hub retains, `latest` only new events.',
    values: ['earliest', 'latest'] as const,
    default: 'earliest',
  }),
  maxBatchSize: setting.integer({
    env: 'CIEM_INGEST_AZURE_EVENTHUB_MAX_BATCH_SIZE',
    description:
      'Most events handed over per partition at once; each is checkpointed after its batch.',
    default: 100,
    min: 1,
    unit: 'events',
  }),
  maxWaitMs: setting.duration({
    env: 'CIEM_INGEST_AZURE_EVENTHUB_MAX_WAIT_MS',
    description:
      'Time the SDK waits to fill a batch before it hands over a smaller one, whole seconds.',
    default: 5_000,
    min: 1_000,
    max: 600_000,
  }),
  checkpointStore: setting.enum({
    env: 'CIEM_INGEST_AZURE_CHECKPOINT_STORE',
    description:
      '`blob`: Azure Blob Storage, for production and several instances; `local`: files in `CIEM_INGEST_CHECKPOINT_DIR`, for one instance on one machine.',
    values: INGEST_AZURE_CHECKPOINT_STORES,
    default: 'local',
  }),
  blobConnectionString: setting.string({
    env: 'CIEM_INGEST_AZURE_CHECKPOINT_BLOB_CONNECTION_STRING',
    description:
      'Storage account connection string of the blob checkpoint store; required with `blob`.',
    secret: true,
    optional: true,
  }),
  blobContainer: setting.string({
    env: 'CIEM_INGEST_AZURE_CHECKPOINT_BLOB_CONTAINER',
    description: 'Existing blob container of the checkpoints; required with `blob`.',
    optional: true,
  }),
  backfillPaths: setting.list({
    env: 'CIEM_INGEST_AZURE_BACKFILL_PATHS',
    description: 'Local files, folders and glob patterns read in `backfill` mode.',
    optional: true,
  }),
};

/** The loaded configuration values of ingest-azure. */
export type IngestAzureConfig = ConfigValues<typeof ingestAzureSchema>;

/**
 * Returns the problems of settings that depend on the mode, one line each in the form of
 * `loadConfig`'s problems; empty when the configuration is complete.
 */
export function modeProblems(values: IngestAzureConfig): string[] {
  const problems: string[] = [];
  if (values.mode === 'eventhub') {
    if (values.eventHubConnectionString === undefined) {
      problems.push(
        'CIEM_INGEST_AZURE_EVENTHUB_CONNECTION_STRING: expected an Event Hubs connection string in eventhub mode, received nothing',
      );
    }
    if (values.checkpointStore === 'blob') {
      if (values.blobConnectionString === undefined) {
        problems.push(
          'CIEM_INGEST_AZURE_CHECKPOINT_BLOB_CONNECTION_STRING: expected a storage connection string with the blob checkpoint store, received nothing',
        );
      }
      if (values.blobContainer === undefined) {
        problems.push(
          'CIEM_INGEST_AZURE_CHECKPOINT_BLOB_CONTAINER: expected a container name with the blob checkpoint store, received nothing',
        );
      }
    }
    if (values.maxWaitMs % 1000 !== 0) {
      problems.push(
        `CIEM_INGEST_AZURE_EVENTHUB_MAX_WAIT_MS: expected whole seconds (a multiple of 1000), received ${values.maxWaitMs}`,
      );
    }
  }
  if (values.mode === 'backfill' && (values.backfillPaths ?? []).length === 0) {
    problems.push(
      'CIEM_INGEST_AZURE_BACKFILL_PATHS: expected at least one path in backfill mode, received nothing',
    );
  }
  return problems;
}
