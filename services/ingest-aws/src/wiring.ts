import { messageOf } from '@ciem/errors';
import { backfillFiles, createFileCheckpointStore, openRawPublisher } from '@ciem/ingest';
import type { BackfillReport, OpenedRawPublisher } from '@ciem/ingest';
import {
  TokenBucket,
  backfillS3,
  createAwsClients,
  createLookupPollerStage,
  createSqsIngestStage,
} from '@ciem/ingest-aws';
import type { AwsClients } from '@ciem/ingest-aws';
import type { Stage, StageContext } from '@ciem/runtime';
import { stageLogger, stageMetrics } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { IngestAwsConfig } from './config.js';
import { kafkaSecurityOptions } from '@ciem/kafka';

/** The service's one stage, with the end of a backfill for `backfill` mode. */
export interface IngestAwsStage extends Stage {
  /** Resolves with the totals when a backfill finished; never settles in the other modes. */
  readonly backfillFinished: Promise<BackfillReport>;
}

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
): IngestAwsStage {
  const name = `ingest-aws-${values.mode}`;
  const logger = stageLogger(telemetry.logger, name);
  const metrics = stageMetrics(telemetry.metrics, 'ingest', { logger });
  const endpoint = values.endpointUrl === undefined ? {} : { endpoint: values.endpointUrl };

  let opened: OpenedRawPublisher | undefined;
  const clients: AwsClients[] = [];
  const inner: Stage[] = [];
  const backfillAbort = new AbortController();
  let backfillRun: Promise<unknown> | undefined;
  let resolveBackfill: (report: BackfillReport) => void = () => undefined;
  const backfillFinished = new Promise<BackfillReport>((resolve) => {
    resolveBackfill = resolve;
  });

  const runBackfill = async (context: StageContext): Promise<void> => {
    const publisher = opened!.publisher;
    try {
      const checkpoints = createFileCheckpointStore(values.checkpointDir);
      let report = await backfillFiles({
        inputs: values.backfillPaths ?? [],
        publisher,
        signal: backfillAbort.signal,
        logger,
        checkpoints,
      });
      if ((values.backfillS3Prefixes ?? []).length > 0) {
        const aws = createAwsClients({ region: values.region, ...endpoint });
        clients.push(aws);
        const fromS3 = await backfillS3({
          s3: aws.s3,
          prefixes: values.backfillS3Prefixes ?? [],
          publisher,
          signal: backfillAbort.signal,
          logger,
          checkpoints,
        });
        report = addReports(report, fromS3);
      }
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
        clientId: 'ingest-aws',
        ...kafkaSecurityOptions(values),
        provider: 'aws',
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
      const publisher = opened.publisher;

      if (values.mode === 'sqs') {
        const aws = createAwsClients({ region: values.region, ...endpoint });
        clients.push(aws);
        inner.push(
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
        );
      } else if (values.mode === 'lookup') {
        // The pollers back off on their own, so the SDK's retries are off.
        const aws = createAwsClients({ region: values.region, ...endpoint, maxAttempts: 1 });
        clients.push(aws);
        const store = createFileCheckpointStore(values.checkpointDir);
        for (const region of values.lookupRegions ?? [values.region]) {
          inner.push(
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
        }
      } else {
        backfillRun = runBackfill(context);
      }
      for (const stage of inner) await stage.start(context);
    },
    async stop() {
      backfillAbort.abort();
      for (const stage of [...inner].reverse()) await stage.stop();
      await backfillRun;
      await opened?.close();
      for (const aws of clients) aws.destroy();
    },
    health() {
      if (opened === undefined) return { ready: false, detail: 'connecting to Kafka' };
      for (const stage of inner) {
        const health = stage.health();
        if (!health.ready) return health;
      }
      return { ready: true, detail: `in flight: ${opened.publisher.inFlight().records} records` };
    },
  };
}
