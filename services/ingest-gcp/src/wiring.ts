import { messageOf } from '@ciem/errors';
import { backfillFiles, createFileCheckpointStore, openRawPublisher } from '@ciem/ingest';
import type { BackfillReport, OpenedRawPublisher } from '@ciem/ingest';
import { createPubSubIngestStage, createPubSubSubscription } from '@ciem/ingest-gcp';
import type { OpenedSubscription } from '@ciem/ingest-gcp';
import type { Stage, StageContext } from '@ciem/runtime';
import { stageLogger } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { IngestGcpConfig } from './config.js';
import { kafkaSecurityOptions } from '@ciem/kafka';

/** The service's one stage, with the end of a backfill for `backfill` mode. */
export interface IngestGcpStage extends Stage {
  /** Resolves with the totals when a backfill finished; never settles in `pubsub` mode. */
  readonly backfillFinished: Promise<BackfillReport>;
}

/**
 * Wires the stage of the configured mode: it connects the Kafka producer on start, then runs
 * the Pub/Sub consumer or the backfill, and on stop closes them in reverse order.
 */
export function wireIngestGcp(
  values: IngestGcpConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry },
): IngestGcpStage {
  const name = `ingest-gcp-${values.mode}`;
  const logger = stageLogger(telemetry.logger, name);

  let opened: OpenedRawPublisher | undefined;
  let subscription: OpenedSubscription | undefined;
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
        provider: 'gcp',
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

  return {
    name,
    backfillFinished,

    async start(context) {
      opened = await openRawPublisher({
        brokers: values.kafkaBrokers,
        clientId: 'ingest-gcp',
        ...kafkaSecurityOptions(values),
        provider: 'gcp',
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
      subscription = createPubSubSubscription({
        projectId: values.project ?? '',
        subscription: values.subscription ?? '',
        maxMessages: values.flowMaxMessages,
        maxBytes: values.flowMaxBytes,
        ...(values.pubsubEndpoint === undefined ? {} : { apiEndpoint: values.pubsubEndpoint }),
      });
      consumer = createPubSubIngestStage({
        subscription: subscription.subscription,
        publisher: opened.publisher,
        logger,
        metrics: telemetry.metrics,
        name,
        maxBatchMessages: values.batchMaxMessages,
        maxBatchWaitMs: values.batchMaxWaitMs,
      });
      await consumer.start(context);
    },

    async stop() {
      backfillAbort.abort();
      await consumer?.stop();
      await subscription?.close();
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
