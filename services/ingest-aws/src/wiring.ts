import { backfillFiles, createFileCheckpointStore, createIngestStage } from '@ciem/ingest';
import type { BackfillReport, IngestStage, RawPublisher } from '@ciem/ingest';
import {
  TokenBucket,
  backfillS3,
  createAwsClients,
  createLookupPollerStage,
  createSqsIngestStage,
} from '@ciem/ingest-aws';
import type { AwsClients } from '@ciem/ingest-aws';
import type { Stage } from '@ciem/runtime';
import { stageLogger, stageMetrics } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { IngestAwsConfig } from './config.js';

function addReports(a: BackfillReport, b: BackfillReport): BackfillReport {
  return {
    files: a.files + b.files,
    skippedFiles: a.skippedFiles + b.skippedFiles,
    unchangedFiles: a.unchangedFiles + b.unchangedFiles,
    records: a.records + b.records,
    bytes: a.bytes + b.bytes,
    deadLettered: a.deadLettered + b.deadLettered,
  };
}

/**
 * Wires the stage of the configured mode: it connects the Kafka producer and the AWS clients
 * on start, runs the SQS consumer, the LookupEvents pollers or the backfill, and closes them
 * in reverse order on stop.
 */
export function wireIngestAws(
  values: IngestAwsConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry },
): IngestStage {
  const name = `ingest-aws-${values.mode}`;
  const logger = stageLogger(telemetry.logger, name);
  const metrics = stageMetrics(telemetry.metrics, 'ingest', { logger });
  const endpoint = values.endpointUrl === undefined ? {} : { endpoint: values.endpointUrl };
  const clients: AwsClients[] = [];
  const openClients = (options: { maxAttempts?: number } = {}): AwsClients => {
    const aws = createAwsClients({ region: values.region, ...endpoint, ...options });
    clients.push(aws);
    return aws;
  };

  const backfill = async (publisher: RawPublisher, signal: AbortSignal) => {
    const checkpoints = createFileCheckpointStore(values.checkpointDir);
    const fromFiles = await backfillFiles({
      inputs: values.backfillPaths ?? [],
      publisher,
      signal,
      logger,
      checkpoints,
    });
    const prefixes = values.backfillS3Prefixes ?? [];
    if (prefixes.length === 0) return fromFiles;
    const fromS3 = await backfillS3({
      s3: openClients().s3,
      prefixes,
      publisher,
      signal,
      logger,
      checkpoints,
      lateDeliveryDays: values.backfillLateDeliveryDays,
    });
    return addReports(fromFiles, fromS3);
  };

  const sqs = (publisher: RawPublisher): Stage[] => {
    const aws = openClients();
    return [
      createSqsIngestStage({
        sqs: aws.sqs,
        s3: aws.s3,
        publisher,
        queueUrl: values.sqsQueueUrl ?? '',
        logger,
        metrics,
        name,
        concurrency: values.sqsConcurrency,
        visibilityTimeoutSeconds: values.sqsVisibilityTimeoutMs / 1000,
        retryDelaySeconds: values.sqsRetryDelayMs / 1000,
      }),
    ];
  };

  const lookup = (publisher: RawPublisher): Stage[] => {
    // The pollers back off on their own, so the SDK's retries are off.
    const aws = openClients({ maxAttempts: 1 });
    const store = createFileCheckpointStore(values.checkpointDir);
    return (values.lookupRegions ?? [values.region]).map((region) =>
      createLookupPollerStage({
        client: aws.cloudTrail(region),
        region,
        publisher,
        store,
        bucket: new TokenBucket({
          ratePerSecond: values.lookupRatePerSecond,
          burst: values.lookupRatePerSecond,
        }),
        logger,
        metrics,
        delayMs: values.lookupDelayMs,
        lookbackMs: values.lookupLookbackMs,
        intervalMs: values.lookupIntervalMs,
        maxWindowMs: values.lookupMaxWindowMs,
      }),
    );
  };

  return createIngestStage({
    name,
    clientId: 'ingest-aws',
    provider: 'aws',
    settings: values,
    logger,
    metrics: telemetry.metrics,
    source:
      values.mode === 'backfill' ? { backfill } : { live: values.mode === 'sqs' ? sqs : lookup },
    release: () => {
      for (const aws of clients) aws.destroy();
    },
  });
}
