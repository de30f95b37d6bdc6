import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import { errorCodeOf, errorTypeOf } from '@ciem/errors';
import type { KafkaClient, KafkaProducer } from '@ciem/kafka';
import {
  createKafkaClient,
  ensureKafkaTopics,
  kafkaSecurityOptions,
  topicNames,
} from '@ciem/kafka';
import type { OwnershipOptions } from '@ciem/rightsizing';
import { analyzeRightsizing, parseWindowEnd } from '@ciem/rightsizing';
import { renderReports } from '@ciem/rightsizing-reports';
import {
  azureOperationsOf,
  createRecommendationWriter,
  publishRecommendations,
  readLatestEntitlements,
  readPermissionUsage,
  readRoleCatalog,
  writeRecommendationRows,
} from '@ciem/rightsizing-store';
import { retryWhileUnavailable } from '@ciem/runtime';
import type { Stage, StageContext } from '@ciem/runtime';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { stageLogger, stageMetrics } from '@ciem/telemetry';
import type { DeliveryReport } from './delivery.js';
import { deliverReports } from './delivery.js';
import type { RightsizingConfig } from './ownership.js';

const STAGE = 'rightsizing';
const DAY_MS = 86_400_000;

/** Counts of one analysis, as logged at its end. */
export interface AnalysisReport {
  readonly snapshots: number;
  readonly principals: number;
  readonly usageRows: number;
  /** Azure built-in and GCP predefined roles read with the snapshots. */
  readonly candidateRoles: number;
  /** GCP permissions with a custom role support level read with the snapshots. */
  readonly supportLevels: number;
  readonly rows: number;
  readonly messages: number;
  readonly reports: number;
  readonly delivery: DeliveryReport;
}

/** Options of `wireRightsizing` beyond the configuration. */
export interface RightsizingTelemetry {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly ownership: OwnershipOptions;
  /** Called after each analysis with its counts; mode `once` uses it to stop the service. */
  readonly onAnalyzed?: (report: AnalysisReport) => void;
  /** Milliseconds since the Unix epoch; `Date.now` by default. */
  readonly now?: () => number;
}

/**
 * Builds the right-sizing stage. `start` applies the migrations and creates the topic when
 * configured, connects the producer, then analyzes at once and, in mode `interval`, again
 * every interval. One analysis reads the latest entitlement snapshot of every account, the
 * role catalog written with those snapshots and the window's permission use from
 * ClickHouse, runs `analyzeRightsizing`, writes the
 * results to `recommendations` and the recommendations topic, then renders and delivers
 * the reports. An analysis whose reads or writes fail stops the service through
 * `context.fail` (exit code 1). A failed delivery is logged and counted; in mode `once` it
 * also fails the run, so that a scheduler notices it.
 */
export function wireRightsizing(config: RightsizingConfig, telemetry: RightsizingTelemetry): Stage {
  const logger = stageLogger(telemetry.logger, STAGE);
  const metrics = stageMetrics(telemetry.metrics, STAGE, { logger });
  const now = telemetry.now ?? Date.now;
  const topic = topicNames(config.topicPrefix).recommendations;

  const kafka: KafkaClient | undefined = config.kafkaEnabled
    ? createKafkaClient({
        brokers: config.kafkaBrokers,
        clientId: 'ciem-analyzer-rightsizing',
        ...kafkaSecurityOptions(config),
        logger: logger.child({ component: 'kafka' }),
      })
    : undefined;
  const clickhouse: ClickHouse = createClickHouse({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    username: config.clickhouseUser,
    ...(config.clickhousePassword === undefined ? {} : { password: config.clickhousePassword }),
    logger: logger.child({ component: 'clickhouse' }),
  });

  let producer: KafkaProducer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;
  let analyses = 0;
  // main.ts rejects an unreadable CIEM_RIGHTSIZING_WINDOW_END before wiring.
  const fixedWindowEnd =
    config.windowEnd === undefined ? undefined : parseWindowEnd(config.windowEnd);

  const analyze = async (): Promise<AnalysisReport> => {
    const finishTimer = metrics.startBatchTimer();
    const windowEnd = fixedWindowEnd ?? now();
    const windowStart = windowEnd - config.windowDays * DAY_MS;
    const database = config.clickhouseDatabase;

    const { snapshots, principals } = await readLatestEntitlements(clickhouse, database);
    const { candidateRoles, gcpCustomRoleSupport } = await readRoleCatalog(
      clickhouse,
      database,
      snapshots,
    );
    const usage = await readPermissionUsage(clickhouse, database, {
      windowStart,
      windowEnd,
      historyStart: windowStart - config.historyDays * DAY_MS,
    });
    metrics.countReceived(principals.length);
    logger.debug(
      {
        snapshots: snapshots.length,
        principals: principals.length,
        usage_rows: usage.length,
        candidate_roles: candidateRoles.length,
        support_levels: gcpCustomRoleSupport?.size ?? 0,
      },
      'analysis inputs read',
    );

    const results = analyzeRightsizing(
      { principals, usage },
      {
        windowEnd,
        windowDays: config.windowDays,
        maxExtraPermissions: config.maxExtraPermissions,
        ownership: telemetry.ownership,
        azureOperations: azureOperationsOf(principals),
        candidateRoles,
        ...(gcpCustomRoleSupport === undefined ? {} : { gcpCustomRoleSupport }),
      },
    );

    const writer = createRecommendationWriter({
      client: clickhouse,
      database,
      maxRows: config.batchMaxRows,
      maxWaitMs: 1_000,
    });
    let rows = 0;
    try {
      rows = await writeRecommendationRows(writer, results, now());
    } finally {
      await writer.close();
    }
    let messages = 0;
    if (producer !== undefined) {
      messages = await publishRecommendations({ producer, topic }, results);
      metrics.countSent(messages, { topic });
    }

    const reports = renderReports(results, {
      generatedAt: windowEnd,
      topPrincipals: config.reportTopPrincipals,
      topRemovals: config.reportTopPrincipals,
    });
    const delivery = await deliverReports(config, reports, windowEnd, logger, metrics);
    finishTimer();
    return {
      snapshots: snapshots.length,
      principals: principals.length,
      usageRows: usage.length,
      candidateRoles: candidateRoles.length,
      supportLevels: gcpCustomRoleSupport?.size ?? 0,
      rows,
      messages,
      reports: reports.length,
      delivery,
    };
  };

  const runAnalysis = async (context: StageContext): Promise<void> => {
    try {
      const report = await analyze();
      analyses += 1;
      const { firstError: _firstError, ...delivery } = report.delivery;
      logger.info({ ...report, delivery, analysis: analyses }, 'right-sizing analysis finished');
      if (config.mode === 'once' && report.delivery.firstError !== undefined) {
        context.fail(report.delivery.firstError);
        return;
      }
      telemetry.onAnalyzed?.(report);
    } catch (error) {
      metrics.countError(errorTypeOf(error));
      logger.error({ err: error, error_code: errorCodeOf(error) }, 'right-sizing analysis failed');
      context.fail(error);
      return;
    }
    if (config.mode === 'interval' && !stopping) {
      timer = setTimeout(() => {
        running = runAnalysis(context);
      }, config.intervalMs);
      timer.unref();
    }
  };

  return {
    name: STAGE,
    async start(context) {
      if (config.migrations) {
        await retryWhileUnavailable('applying ClickHouse migrations', logger, () =>
          runMigrations({ client: clickhouse, database: config.clickhouseDatabase, logger }),
        );
      }
      if (kafka !== undefined) {
        if (config.topicsCreate) {
          await retryWhileUnavailable('creating the recommendations topic', logger, () =>
            ensureKafkaTopics(kafka, [
              {
                name: topic,
                partitions: config.topicPartitions,
                replicationFactor: config.topicReplicationFactor,
                compacted: true,
              },
            ]),
          );
        }
        // A result lists every unused permission, so an administrator's message is large;
        // gzip keeps it well below the broker's 1 MiB default.
        producer = await retryWhileUnavailable('connecting the Kafka producer', logger, () =>
          kafka.createProducer({ gzip: true }),
        );
      }
      running = runAnalysis(context);
    },
    async stop() {
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      await producer?.disconnect();
      await kafka?.close();
      await clickhouse.close();
      logger.info({ analyses }, 'right-sizing stage stopped');
    },
    health() {
      return { ready: !stopping, detail: `${analyses} analyses finished` };
    },
  };
}
