import { backfillFiles, createFileCheckpointStore, createIngestStage } from '@ciem/ingest';
import type { IngestStage, RawPublisher } from '@ciem/ingest';
import { createPubSubIngestStage, createPubSubSubscription } from '@ciem/ingest-gcp';
import type { OpenedSubscription } from '@ciem/ingest-gcp';
import type { Stage } from '@ciem/runtime';
import { stageLogger } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { IngestGcpConfig } from './config.js';

/**
 * Wires the stage of the configured mode: it connects the Kafka producer on start, then runs
 * the Pub/Sub consumer or the backfill, and on stop closes them in reverse order.
 */
export function wireIngestGcp(
  values: IngestGcpConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry },
): IngestStage {
  const name = `ingest-gcp-${values.mode}`;
  const logger = stageLogger(telemetry.logger, name);
  let subscription: OpenedSubscription | undefined;

  const backfill = (publisher: RawPublisher, signal: AbortSignal) =>
    backfillFiles({
      inputs: values.backfillPaths ?? [],
      publisher,
      provider: 'gcp',
      signal,
      logger,
      checkpoints: createFileCheckpointStore(values.checkpointDir),
    });

  const pubsub = (publisher: RawPublisher): Stage[] => {
    subscription = createPubSubSubscription({
      projectId: values.project ?? '',
      subscription: values.subscription ?? '',
      maxMessages: values.flowMaxMessages,
      maxBytes: values.flowMaxBytes,
      ...(values.pubsubEndpoint === undefined ? {} : { apiEndpoint: values.pubsubEndpoint }),
    });
    return [
      createPubSubIngestStage({
        subscription: subscription.subscription,
        publisher,
        logger,
        metrics: telemetry.metrics,
        name,
        maxBatchMessages: values.batchMaxMessages,
        maxBatchWaitMs: values.batchMaxWaitMs,
      }),
    ];
  };

  return createIngestStage({
    name,
    clientId: 'ingest-gcp',
    provider: 'gcp',
    settings: values,
    logger,
    metrics: telemetry.metrics,
    source: values.mode === 'backfill' ? { backfill } : { live: pubsub },
    release: () => subscription?.close(),
  });
}
