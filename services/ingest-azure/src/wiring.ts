import { backfillFiles, createFileCheckpointStore, createIngestStage } from '@ciem/ingest';
import type { IngestStage, RawPublisher } from '@ciem/ingest';
import {
  createBlobCheckpointStore,
  createEventHubConsumerClient,
  createEventHubIngestStage,
  createLocalCheckpointStore,
} from '@ciem/ingest-azure';
import type { EventHubCheckpointStore, EventHubSubscriber } from '@ciem/ingest-azure';
import type { Stage } from '@ciem/runtime';
import { stageLogger } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { IngestAzureConfig } from './config.js';

/** Hooks for tests; production passes none. */
export interface IngestAzureWiringOverrides {
  /**
   * Builds the Event Hubs client in place of `EventHubConsumerClient`, given the configured
   * checkpoint store, such as a fake hub's client in tests.
   */
  createClient?: (checkpointStore: EventHubCheckpointStore) => EventHubSubscriber;
}

/**
 * Wires the stage of the configured mode: it connects the Kafka producer on start, then runs
 * the Event Hubs consumer or the backfill, and on stop closes them in reverse order.
 */
export function wireIngestAzure(
  values: IngestAzureConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry },
  overrides: IngestAzureWiringOverrides = {},
): IngestStage {
  const name = `ingest-azure-${values.mode}`;
  const logger = stageLogger(telemetry.logger, name);

  const backfill = (publisher: RawPublisher, signal: AbortSignal) =>
    backfillFiles({
      inputs: values.backfillPaths ?? [],
      publisher,
      provider: 'azure',
      signal,
      logger,
      checkpoints: createFileCheckpointStore(values.checkpointDir),
    });

  const createClient = (): EventHubSubscriber => {
    const checkpointStore =
      values.checkpointStore === 'blob'
        ? createBlobCheckpointStore({
            connectionString: values.blobConnectionString ?? '',
            containerName: values.blobContainer ?? '',
          })
        : createLocalCheckpointStore(values.checkpointDir);
    if (overrides.createClient !== undefined) return overrides.createClient(checkpointStore);
    return createEventHubConsumerClient({
      connectionString: values.eventHubConnectionString ?? '',
      consumerGroup: values.consumerGroup,
      checkpointStore,
      ...(values.eventHubName === undefined ? {} : { eventHubName: values.eventHubName }),
    });
  };

  const eventHub = (publisher: RawPublisher): Stage[] => [
    createEventHubIngestStage({
      client: createClient(),
      publisher,
      logger,
      metrics: telemetry.metrics,
      name,
      maxBatchSize: values.maxBatchSize,
      maxWaitTimeInSeconds: values.maxWaitMs / 1000,
      startPosition: values.startPosition,
    }),
  ];

  return createIngestStage({
    name,
    clientId: 'ingest-azure',
    provider: 'azure',
    settings: values,
    logger,
    metrics: telemetry.metrics,
    source: values.mode === 'backfill' ? { backfill } : { live: eventHub },
  });
}
