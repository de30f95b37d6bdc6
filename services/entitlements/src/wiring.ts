import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import { evaluateExportDocuments } from '@ciem/entitlements';
import {
  createEntitlementWriter,
  publishSnapshot,
  writeRoleCatalog,
  writeSnapshotRows,
} from '@ciem/entitlements-store';
import { errorCodeOf, errorTypeOf } from '@ciem/errors';
import type { KafkaClient, KafkaProducer } from '@ciem/kafka';
import {
  createKafkaClient,
  ensureKafkaTopics,
  kafkaSecurityOptions,
  topicNames,
} from '@ciem/kafka';
import type { Stage, StageContext } from '@ciem/runtime';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { createRateLimitedLog, stageLogger, stageMetrics } from '@ciem/telemetry';
import { retryWhileUnavailable } from '@ciem/runtime';
import type { EntitlementsConfig } from './sources.js';
import { gatherDocuments } from './sources.js';

const STAGE = 'entitlements';

/** Counts of one collection, as logged at its end. */
export interface CollectionReport {
  readonly documents: number;
  readonly problems: number;
  readonly snapshots: number;
  readonly principals: number;
  readonly rows: number;
  /** Rows written to `role_catalog` and `gcp_permission_support`. */
  readonly catalogRows: number;
}

/** Options of `wireEntitlements` beyond the configuration. */
export interface EntitlementsTelemetry {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Called after each collection, with its counts; `once` uses it to stop the service. */
  readonly onCollected?: (report: CollectionReport) => void;
  /** Milliseconds since the Unix epoch; `Date.now` by default. */
  readonly now?: () => number;
}

/**
 * Builds the entitlements stage. `start` applies the migrations and creates the topic when
 * configured, connects the producer, then collects at once and, with schedule `interval`,
 * again every interval. A collection that fails stops the service through `context.fail`
 * (exit code 1). An invalid record only shows as a problem in the log and in
 * `ciem_entitlements_errors_total`.
 */
export function wireEntitlements(
  config: EntitlementsConfig,
  telemetry: EntitlementsTelemetry,
): Stage {
  const logger = stageLogger(telemetry.logger, STAGE);
  const metrics = stageMetrics(telemetry.metrics, STAGE, { logger });
  const now = telemetry.now ?? Date.now;
  const topic = topicNames(config.topicPrefix).entitlements;
  const problemLog = createRateLimitedLog(logger, 60_000);

  const kafka: KafkaClient | undefined = config.kafkaEnabled
    ? createKafkaClient({
        brokers: config.kafkaBrokers,
        clientId: 'ciem-entitlements',
        ...kafkaSecurityOptions(config),
        logger: logger.child({ component: 'kafka' }),
      })
    : undefined;
  const clickhouse: ClickHouse | undefined = config.clickhouseEnabled
    ? createClickHouse({
        url: config.clickhouseUrl,
        database: config.clickhouseDatabase,
        username: config.clickhouseUser,
        ...(config.clickhousePassword === undefined ? {} : { password: config.clickhousePassword }),
        logger: logger.child({ component: 'clickhouse' }),
      })
    : undefined;

  let producer: KafkaProducer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;
  let collections = 0;
  const abort = new AbortController();

  const collect = async (): Promise<CollectionReport> => {
    const finishTimer = metrics.startBatchTimer();
    const takenAt = now();
    const gathered = await gatherDocuments(config, abort.signal);
    if (gathered.skippedFiles.length > 0) {
      logger.info(
        { files: gathered.skippedFiles.length, examples: gathered.skippedFiles.slice(0, 3) },
        'skipped activity log and simulator files in the export folders',
      );
    }
    const evaluation = evaluateExportDocuments(gathered.documents, {
      takenAt,
      azure: {
        catalogFromRoleDefinitions: config.azureCatalogFromRoles,
        ...(config.azureAccountId === undefined ? {} : { accountId: config.azureAccountId }),
      },
      ...(config.gcpAccountId === undefined ? {} : { gcpAccountId: config.gcpAccountId }),
    });
    for (const [provider, count] of Object.entries(evaluation.documents)) {
      if (count > 0) metrics.countReceived(count, { provider });
    }
    const problems = [...gathered.problems, ...evaluation.problems];
    for (const problem of problems) {
      // NOTE: a record that cannot be evaluated is logged and counted. It is not copied to
      // the dead-letter topic, because it came from a file rather than from Kafka.
      metrics.countError('input');
      // One line per code and minute; the line carries the latest problem's message.
      problemLog.log(
        {
          error_code: problem.code,
          file: problem.source,
          record: problem.record,
          field: problem.field,
          problem: problem.message,
        },
        `export record skipped or kept incomplete: ${problem.code}`,
      );
    }

    let principals = 0;
    let rows = 0;
    let catalogRows = 0;
    // The right-sizing analyzer reads the catalog with the latest snapshot to propose Azure
    // built-in and GCP predefined roles, as the embedded run does from the same exports.
    // NOTE: each collection writes the whole catalog again, even when it has not changed,
    // and old snapshots' rows stay until their monthly partitions are dropped by hand, as
    // in `entitlements`.
    const catalog = clickhouse === undefined ? undefined : evaluation.catalog;
    const writer =
      clickhouse === undefined
        ? undefined
        : createEntitlementWriter({
            client: clickhouse,
            database: config.clickhouseDatabase,
            maxRows: config.batchMaxRows,
            maxWaitMs: 1_000,
          });
    try {
      for (const snapshot of evaluation.snapshots) {
        const provider = snapshot.header.provider;
        if (producer !== undefined) {
          const sent = await publishSnapshot(
            { producer, topic },
            snapshot.header,
            snapshot.principals,
          );
          metrics.countSent(sent, { provider, topic });
        }
        if (writer !== undefined) {
          rows += await writeSnapshotRows(writer, snapshot.header, snapshot.principals, now());
        }
        if (clickhouse !== undefined && catalog !== undefined) {
          const written = await writeRoleCatalog(
            {
              client: clickhouse,
              database: config.clickhouseDatabase,
              maxRows: config.batchMaxRows,
            },
            snapshot.header,
            catalog,
            now(),
          );
          catalogRows += written.roles + written.permissions;
        }
        principals += snapshot.principals.length;
        logger.info(
          {
            provider,
            account_id: snapshot.header.account_id,
            taken_at: snapshot.header.taken_at,
            principals: snapshot.principals.length,
          },
          'entitlement snapshot written',
        );
      }
    } finally {
      await writer?.close();
    }
    finishTimer();
    return {
      documents: gathered.documents.length,
      problems: problems.length,
      snapshots: evaluation.snapshots.length,
      principals,
      rows,
      catalogRows,
    };
  };

  const runCollection = async (context: StageContext): Promise<void> => {
    try {
      const report = await collect();
      collections += 1;
      logger.info({ ...report, collection: collections }, 'entitlement collection finished');
      telemetry.onCollected?.(report);
    } catch (error) {
      metrics.countError(errorTypeOf(error));
      logger.error({ err: error, error_code: errorCodeOf(error) }, 'entitlement collection failed');
      context.fail(error);
      return;
    }
    if (config.schedule === 'interval' && !stopping) {
      timer = setTimeout(() => {
        running = runCollection(context);
      }, config.intervalMs);
      timer.unref();
    }
  };

  return {
    name: STAGE,
    async start(context) {
      if (clickhouse !== undefined && config.migrations) {
        await retryWhileUnavailable('applying ClickHouse migrations', logger, () =>
          runMigrations({ client: clickhouse, database: config.clickhouseDatabase, logger }),
        );
      }
      if (kafka !== undefined) {
        if (config.topicsCreate) {
          await retryWhileUnavailable('creating the entitlements topic', logger, () =>
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
        // gzip matters here: one message carries all of a principal's grants, and the
        // JSON of an administrator's thousands of grants compresses well below 1 MiB.
        producer = await retryWhileUnavailable('connecting the Kafka producer', logger, () =>
          kafka.createProducer({ gzip: true }),
        );
      }
      running = runCollection(context);
    },
    async stop() {
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      abort.abort();
      await running;
      await producer?.disconnect();
      await kafka?.close();
      await clickhouse?.close();
      problemLog.flush();
      logger.info({ collections }, 'entitlements stage stopped');
    },
    health() {
      return { ready: !stopping, detail: `${collections} collections finished` };
    },
  };
}
