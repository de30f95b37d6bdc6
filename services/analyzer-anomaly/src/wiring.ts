import type { SuppressionRule } from '@ciem/anomaly';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ConfigValues } from '@ciem/config';
import { ConfigError } from '@ciem/errors';
import { createKafkaClient, kafkaSecurityOptions, topicNames } from '@ciem/kafka';
import {
  ANOMALY_STAGE,
  createAnomalyCheckpointStore,
  createAnomalyStage,
  loadCountryLookup,
} from '@ciem/pipeline';
import type { Stage } from '@ciem/runtime';
import { retryWhileUnavailable } from '@ciem/runtime';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { stageLogger, stageMetrics } from '@ciem/telemetry';
import { readUnusedPermissions } from './unused-permissions.js';
import type { analyzerAnomalySchema } from './config.js';

/** Values of the analyzer's configuration. */
export type AnalyzerAnomalyConfig = ConfigValues<typeof analyzerAnomalySchema>;

/** Parses CIEM_ANOMALY_SUPPRESSIONS; throws ConfigError `CIEM_ANOMALY_INVALID_SUPPRESSIONS`. */
export function parseSuppressions(text: string): SuppressionRule[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(
      'CIEM_ANOMALY_INVALID_SUPPRESSIONS',
      `CIEM_ANOMALY_SUPPRESSIONS is not valid JSON (${(cause as Error).message}); expected an array such as [{"ruleId":"new-source-network","principal":"*:role/ci-*"}]`,
      { cause },
    );
  }
  const fields = new Set(['ruleId', 'principal', 'accountId', 'sourceCidr']);
  const valid =
    Array.isArray(value) &&
    value.every(
      (rule: unknown) =>
        typeof rule === 'object' &&
        rule !== null &&
        Object.entries(rule).every(([key, field]) => fields.has(key) && typeof field === 'string'),
    );
  if (!valid) {
    throw new ConfigError(
      'CIEM_ANOMALY_INVALID_SUPPRESSIONS',
      `CIEM_ANOMALY_SUPPRESSIONS must be an array of objects with string fields ruleId, principal, accountId or sourceCidr, received ${text.slice(0, 200)}`,
    );
  }
  return value as SuppressionRule[];
}

/**
 * Builds the analyzer's stage. Its `start` applies the migrations when configured, then joins
 * the group; its `stop` saves checkpoints and closes the clients.
 */
export function wireAnalyzerAnomaly(
  config: AnalyzerAnomalyConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry },
): Stage {
  const logger = stageLogger(telemetry.logger, ANOMALY_STAGE);
  const suppressions = parseSuppressions(config.suppressions);
  const kafka = createKafkaClient({
    brokers: config.kafkaBrokers,
    clientId: 'ciem-analyzer-anomaly',
    ...kafkaSecurityOptions(config),
    logger: logger.child({ component: 'kafka' }),
  });
  const clickhouse = createClickHouse({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    username: config.clickhouseUser,
    ...(config.clickhousePassword === undefined ? {} : { password: config.clickhousePassword }),
    logger: logger.child({ component: 'clickhouse' }),
  });
  const stage = createAnomalyStage({
    kafka,
    topics: topicNames(config.topicPrefix),
    groupId: config.groupId,
    clickhouse,
    database: config.clickhouseDatabase,
    checkpoints: createAnomalyCheckpointStore(config.checkpointDir),
    checkpointIntervalMs: config.checkpointIntervalMs,
    engine: {
      windowMs: config.windowMs,
      recentEventIds: config.recentEventIds,
      thresholds: {
        warmupMs: config.warmupMs,
        maxTravelKmPerHour: config.maxTravelKmPerHour,
        minTravelKm: config.minTravelKm,
        travelToleranceKm: config.travelToleranceKm,
      },
      suppressions,
    },
    ...(config.geoipEnabled ? { loadGeo: loadCountryLookup } : {}),
    ...(config.unusedRefreshMs > 0
      ? {
          loadUnused: () => readUnusedPermissions(clickhouse, config.clickhouseDatabase),
          unusedRefreshMs: config.unusedRefreshMs,
        }
      : {}),
    logger,
    metrics: stageMetrics(telemetry.metrics, ANOMALY_STAGE, { logger }),
    sessionTimeoutMs: config.sessionTimeoutMs,
    lagIntervalMs: config.lagIntervalMs,
  });

  return {
    name: stage.name,
    async start(context) {
      if (config.migrations) {
        await retryWhileUnavailable('applying ClickHouse migrations', logger, () =>
          runMigrations({ client: clickhouse, database: config.clickhouseDatabase, logger }),
        );
      }
      await retryWhileUnavailable('joining the consumer group', logger, () => stage.start(context));
    },
    async stop() {
      try {
        await stage.stop();
      } finally {
        await kafka.close();
        await clickhouse.close();
      }
    },
    health: () => stage.health(),
  };
}
