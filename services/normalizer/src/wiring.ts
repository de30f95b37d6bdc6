import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ConfigValues } from '@ciem/config';
import type { KafkaClient } from '@ciem/kafka';
import { createKafkaClient, kafkaSecurityOptions, topicNames } from '@ciem/kafka';
import type { DeadLetterSinkStage, NormalizerStage } from '@ciem/pipeline';
import {
  createDeadLetterSinkStage,
  createNormalizerStage,
  createPlatformTopics,
} from '@ciem/pipeline';
import type { Stage } from '@ciem/runtime';
import type { Logger, MetricsRegistry, Tracing } from '@ciem/telemetry';
import { stageLogger, stageMetrics } from '@ciem/telemetry';
import { retryWhileUnavailable } from '@ciem/runtime';
import type { normalizerSchema } from './config.js';

/** Values of the normalizer's configuration. */
export type NormalizerConfig = ConfigValues<typeof normalizerSchema>;

/**
 * Builds the normalizer's stage. Its `start` first applies the migrations and creates the
 * topics when configured, then joins the group, and starts the dead-letter sink when
 * enabled; its `stop` stops both and closes the clients.
 */
export function wireNormalizer(
  config: NormalizerConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry; tracing: Tracing },
): Stage {
  const logger = stageLogger(telemetry.logger, 'normalizer');
  const kafka: KafkaClient = createKafkaClient({
    brokers: config.kafkaBrokers,
    clientId: 'ciem-normalizer',
    ...kafkaSecurityOptions(config),
    logger: logger.child({ component: 'kafka' }),
  });
  const clickhouse: ClickHouse = createClickHouse({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    username: config.clickhouseUser,
    ...(config.clickhousePassword === undefined ? {} : { password: config.clickhousePassword }),
    logger: logger.child({ component: 'clickhouse' }),
  });
  const stage: NormalizerStage = createNormalizerStage({
    kafka,
    topics: topicNames(config.topicPrefix),
    groupId: config.groupId,
    clickhouse,
    database: config.clickhouseDatabase,
    logger,
    metrics: stageMetrics(telemetry.metrics, 'normalizer', { logger }),
    tracer: telemetry.tracing.tracer,
    batchMaxRows: config.batchMaxRows,
    batchMaxWaitMs: config.batchMaxWaitMs,
    maxRecordBytes: config.maxRecordBytes,
    sessionTimeoutMs: config.sessionTimeoutMs,
    lagIntervalMs: config.lagIntervalMs,
    partitionsConsumedConcurrently: config.partitionsConcurrency,
  });
  const sinkLogger = stageLogger(telemetry.logger, 'dlq-sink');
  const sink: DeadLetterSinkStage | undefined = config.deadLetterSink
    ? createDeadLetterSinkStage({
        kafka,
        topics: topicNames(config.topicPrefix),
        groupId: config.deadLetterSinkGroupId ?? `${config.groupId}.dlq-sink`,
        clickhouse,
        database: config.clickhouseDatabase,
        logger: sinkLogger,
        metrics: stageMetrics(telemetry.metrics, 'dlq-sink', { logger: sinkLogger }),
        batchMaxRows: config.batchMaxRows,
        batchMaxWaitMs: config.batchMaxWaitMs,
        sessionTimeoutMs: config.sessionTimeoutMs,
        lagIntervalMs: config.lagIntervalMs,
      })
    : undefined;

  return {
    name: stage.name,
    async start(context) {
      if (config.migrations) {
        const report = await retryWhileUnavailable('applying ClickHouse migrations', logger, () =>
          runMigrations({
            client: clickhouse,
            database: config.clickhouseDatabase,
            logger,
          }),
        );
        logger.info(
          {
            database: report.database,
            applied: report.applied,
            server_version: report.serverVersion,
          },
          'ClickHouse migrations checked',
        );
      }
      if (config.topicsCreate) {
        await retryWhileUnavailable('creating Kafka topics', logger, () =>
          createPlatformTopics(kafka, {
            prefix: config.topicPrefix,
            partitions: config.topicPartitions,
            replicationFactor: config.topicReplicationFactor,
            maxMessageBytes: config.maxMessageBytes,
          }),
        );
      }
      await retryWhileUnavailable('joining the consumer group', logger, () => stage.start(context));
      if (sink !== undefined) {
        await retryWhileUnavailable('joining the dead-letter sink group', sinkLogger, () =>
          sink.start(context),
        );
      }
    },
    async stop() {
      try {
        await Promise.all([stage.stop(), sink?.stop()]);
      } finally {
        await kafka.close();
        await clickhouse.close();
      }
    },
    health: () => {
      const main = stage.health();
      if (sink === undefined) return main;
      const copy = sink.health();
      return {
        ready: main.ready && copy.ready,
        detail: `${main.detail ?? ''}; dead-letter sink: ${copy.detail ?? ''}`,
      };
    },
  };
}
