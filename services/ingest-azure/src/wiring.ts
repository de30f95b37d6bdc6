import { messageOf } from '@ciem/errors';
import { backfillFiles, createFileCheckpointStore, openRawPublisher } from '@ciem/ingest';
import type { BackfillReport, OpenedRawPublisher } from '@ciem/ingest';
import {
  createBlobCheckpointStore,
  createEventHubConsumerClient,
  createEventHubIngestStage,
  createLocalCheckpointStore,
} from '@ciem/ingest-azure';
import type { EventHubCheckpointStore, EventHubSubscriber } from '@ciem/ingest-azure';
import type { Stage, StageContext } from '@ciem/runtime';
import { stageLogger } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { IngestAzureConfig } from './config.js';
import { kafkaSecurityOptions } from '@ciem/kafka';

/** The service's one stage, with the end of a backfill for `backfill` mode. */
export interface IngestAzureStage extends Stage {
  /** Resolves with the totals when a backfill finished; never settles in `eventhub` mode. */
  readonly backfillFinished: Promise<BackfillReport>;
}

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
): IngestAzureStage {
  const name = `ingest-azure-${values.mode}`;
  const logger = stageLogger(telemetry.logger, name);

  let opened: OpenedRawPublisher | undefined;
  let consumer: Stage | undefined;
  const backfillAbort = new AbortController();
  let backfillRun: Promise<unknown> | undefined;
  let resolveBackfill: (report: BackfillReport) => void = () => undefined;
  const backfillFinished = new Promise<BackfillReport>((resolve) => {
    resolveBackfill = resolve;
  });

  const runBackfill = async (context: StageContext): Promise<void> => {
    try {
      const report = await backfillFiles({
        inputs: values.backfillPaths ?? [],
        publisher: opened!.publisher,
        provider: 'azure',
        signal: backfillAbort.signal,
        logger,
        checkpoints: createFileCheckpointStore(values.checkpointDir),
      });
      logger.info(
        {
          files: report.files,
          skipped_files: report.skippedFiles,
          unchanged_files: report.unchangedFiles,
          records: report.records,
          dead_lettered: report.deadLettered,
          aborted: backfillAbort.signal.aborted,
        },
        'backfill finished',
      );
      resolveBackfill(report);
    } catch (error) {
      logger.error({ err: messageOf(error) }, 'backfill failed');
      context.fail(error);
    }
  };

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

  return {
    name,
    backfillFinished,

    async start(context) {
      opened = await openRawPublisher({
        brokers: values.kafkaBrokers,
        clientId: 'ingest-azure',
        ...kafkaSecurityOptions(values),
        provider: 'azure',
        topicPrefix: values.kafkaTopicPrefix,
        logger,
        metrics: telemetry.metrics,
        maxBatchRecords: values.batchMaxRecords,
        maxBatchBytes: values.batchMaxBytes,
        maxInFlightRecords: values.inFlightMaxRecords,
        maxInFlightBytes: values.inFlightMaxBytes,
        ...(values.kafkaCreateTopics
          ? {
              createTopics: {
                partitions: values.kafkaTopicPartitions,
                replicationFactor: values.kafkaReplicationFactor,
              },
            }
          : {}),
      });

      if (values.mode === 'backfill') {
        backfillRun = runBackfill(context);
        return;
      }
      consumer = createEventHubIngestStage({
        client: createClient(),
        publisher: opened.publisher,
        logger,
        metrics: telemetry.metrics,
        name,
        maxBatchSize: values.maxBatchSize,
        maxWaitTimeInSeconds: values.maxWaitMs / 1000,
        startPosition: values.startPosition,
      });
      await consumer.start(context);
    },

    async stop() {
      backfillAbort.abort();
      await consumer?.stop();
      await backfillRun;
      await opened?.close();
    },

    health() {
      if (opened === undefined) return { ready: false, detail: 'connecting to Kafka' };
      if (consumer !== undefined) {
        const health = consumer.health();
        if (!health.ready) return health;
      }
      return { ready: true, detail: `in flight: ${opened.publisher.inFlight().records} records` };
    },
  };
}
