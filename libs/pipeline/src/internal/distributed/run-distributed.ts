import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse, quoteString, runMigrations } from '@ciem/clickhouse';
import { DependencyError } from '@ciem/errors';
import { createDeadLetterWriter } from '@ciem/event-store';
import type { KafkaClient, PartitionLag, TopicNames } from '@ciem/kafka';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import type { SaslOptions, SslOptions } from '@ciem/kafka';
import type { Logger } from '@ciem/telemetry';
import { createLogger, createMetrics, stageMetrics } from '@ciem/telemetry';
import { trace } from '@opentelemetry/api';
import { resolveInputs } from '../inputs.js';
import { emptyCounts } from '../run-summary.js';
import type { ProviderCounts, RunProgress, RunSummary } from '../run-summary.js';
import { createPlatformTopics } from './create-topics.js';
import { createNormalizerStage } from './normalizer-stage.js';
import { publishRawFiles } from './publish-raw-files.js';
import { rawTopicsOf } from './raw-topics.js';
import { DEFAULT_MAX_RECORD_BYTES } from '@ciem/normalize';

/** Options of `runDistributed`. Times in milliseconds. */
export interface DistributedRunOptions {
  /** Files, folders and glob patterns to read, as for `runEmbedded`. */
  inputs: readonly string[];
  /** Kafka bootstrap servers, `host:port`. */
  brokers: readonly string[];
  /** ClickHouse HTTP endpoint. */
  clickhouseUrl: string;
  /** ClickHouse database; created and migrated when missing. */
  database: string;
  clickhouseUser?: string;
  clickhousePassword?: string;
  /** TLS and SASL options of the Kafka connection, as `kafkaSecurityOptions` returns them. */
  kafkaSecurity?: { ssl?: SslOptions; sasl?: SaslOptions };
  /** Prefix of every topic name; empty by default. */
  topicPrefix?: string;
  /** Consumer group of the normalizer stage; `ciem-run` by default. */
  groupId?: string;
  /** Partitions of topics this run creates; 3 by default. */
  partitions?: number;
  /** Records per produce call. */
  batchSize?: number;
  /** Maximum wait for the normalizer to catch up after publishing; 10 minutes by default. */
  catchUpTimeoutMs?: number;
  onProgress?: (progress: RunProgress) => void;
  /** Receives the stages' log lines; errors on standard error by default. */
  logger?: Logger;
  /** Clock for `ingest_time` and durations. */
  now?: () => number;
}

/** Offsets `[start, end)` this run wrote to one raw partition. */
interface OffsetRange {
  topic: string;
  partition: number;
  start: bigint;
  end: bigint;
}

/**
 * Runs the ingest and normalizer stages against real Kafka and ClickHouse: publishes the
 * records of the input files to the raw topics (as a file backfill ingest does), runs the
 * normalizer stage in this process, waits until its group has committed every published
 * offset (so every record is in ClickHouse), then counts per provider what this run wrote,
 * from `events` and `dlq_events`, restricted to the raw offsets it produced.
 *
 * Throws `InputError` `CIEM_RUN_INPUT_NOT_FOUND` for an input that matches nothing,
 * `DependencyError` when Kafka or ClickHouse fail, and `DependencyError`
 * `CIEM_RUN_CATCH_UP_TIMEOUT` when the normalizer does not catch up in time.
 */
export async function runDistributed(options: DistributedRunOptions): Promise<RunSummary> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const files = await resolveInputs(options.inputs);
  const logger =
    options.logger ??
    createLogger({ service: 'ciem-run', level: 'error', destination: process.stderr });
  const topics = topicNames(options.topicPrefix ?? '');
  const groupId = options.groupId ?? 'ciem-run';

  const clickhouse = createClickHouse({
    url: options.clickhouseUrl,
    database: options.database,
    ...(options.clickhouseUser === undefined ? {} : { username: options.clickhouseUser }),
    ...(options.clickhousePassword === undefined ? {} : { password: options.clickhousePassword }),
    logger,
  });
  const kafka = createKafkaClient({
    brokers: options.brokers,
    clientId: 'ciem-run',
    logger,
    ...options.kafkaSecurity,
  });
  const stage = createNormalizerStage({
    kafka,
    topics,
    groupId,
    clickhouse,
    database: options.database,
    logger: logger.child({ stage: 'normalizer' }),
    metrics: stageMetrics(createMetrics({ defaultMetrics: false }), 'normalizer'),
    tracer: trace.getTracer('ciem-run'),
    batchMaxRows: 10_000,
    batchMaxWaitMs: 500,
    maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
  });

  let failure: unknown;
  try {
    await runMigrations({ client: clickhouse, database: options.database, logger });
    await createPlatformTopics(kafka, {
      prefix: options.topicPrefix ?? '',
      partitions: options.partitions ?? 3,
      replicationFactor: 1,
      maxMessageBytes: 16 * 1_048_576,
    });
    await stage.start({
      fail: (error) => {
        failure = error;
      },
    });

    const before = await highWatermarks(kafka, groupId, topics);
    const producer = await kafka.createProducer();
    const deadLetterWriter = createDeadLetterWriter({
      client: clickhouse,
      database: options.database,
      maxRows: 1_000,
      maxWaitMs: 500,
    });
    let published;
    try {
      published = await publishRawFiles({
        files,
        producer,
        topics,
        ingestTime: startedAt,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        onDeadLetter: (row) => deadLetterWriter.add(row),
        onProgress: (records, bytes) =>
          options.onProgress?.({
            files_done: 0,
            files_total: files.length,
            bytes_read: bytes,
            records_read: records,
            elapsed_ms: now() - startedAt,
          }),
      });
      await deadLetterWriter.close();
    } finally {
      await producer.disconnect();
    }
    const after = await highWatermarks(kafka, groupId, topics);
    const ranges = rangesBetween(before, after);

    await waitUntilCaughtUp(stage, ranges, options.catchUpTimeoutMs ?? 600_000, () => failure);
    const providers = await countStored(clickhouse, options.database, ranges);
    for (const [provider, counts] of Object.entries(published.providers)) {
      const entry = (providers.counts[provider] ??= emptyCounts());
      entry.read = counts.read;
      entry.dead_lettered += counts.dead_lettered;
    }

    return {
      files: files.length,
      bytes_read: published.bytes_read,
      duration_ms: now() - startedAt,
      providers: Object.fromEntries(
        Object.entries(providers.counts).sort(([a], [b]) => a.localeCompare(b)),
      ),
      principals: providers.principals,
      permissions_used: providers.permissionsUsed,
      dead_letter_reasons: mergeCounts(providers.reasons, published.dead_letter_reasons),
      top_unmapped: providers.topUnmapped,
      outputs: {
        events: `${options.database}.events`,
        dead_letters: `${options.database}.dlq_events`,
        usage: `${options.database}.permission_usage`,
        normalized: topics.eventsNormalized,
        dlq_topic: topics.deadLetter,
      },
    };
  } finally {
    await stage.stop();
    await kafka.close();
    await clickhouse.close();
  }
}

async function highWatermarks(
  kafka: KafkaClient,
  groupId: string,
  topics: TopicNames,
): Promise<PartitionLag[]> {
  const lags = await Promise.all(
    rawTopicsOf(topics).map(({ topic }) => kafka.fetchLag(groupId, topic)),
  );
  return lags.flat();
}

function rangesBetween(before: PartitionLag[], after: PartitionLag[]): OffsetRange[] {
  const start = new Map(before.map((lag) => [`${lag.topic}/${lag.partition}`, lag.highWatermark]));
  return after
    .map((lag) => ({
      topic: lag.topic,
      partition: lag.partition,
      start: BigInt(start.get(`${lag.topic}/${lag.partition}`) ?? '0'),
      end: BigInt(lag.highWatermark),
    }))
    .filter((range) => range.end > range.start);
}

async function waitUntilCaughtUp(
  stage: { fetchLag(): Promise<PartitionLag[]> },
  ranges: OffsetRange[],
  timeoutMs: number,
  failed: () => unknown,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed();
    if (failure !== undefined) throw failure;
    const lags = await stage.fetchLag().catch(() => []);
    const committed = new Map(
      lags.map((lag) => [`${lag.topic}/${lag.partition}`, lag.committedOffset]),
    );
    const behind = ranges.filter((range) => {
      const offset = committed.get(`${range.topic}/${range.partition}`);
      return offset === undefined || offset === null || BigInt(offset) < range.end;
    });
    if (behind.length === 0) return;
    if (Date.now() >= deadline) {
      throw new DependencyError(
        'CIEM_RUN_CATCH_UP_TIMEOUT',
        `the normalizer did not commit every published record within ${timeoutMs} ms; ${behind.length} partitions are behind (${behind.map((range) => `${range.topic}/${range.partition}`).join(', ')}); check the Kafka and ClickHouse logs above and run again`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Builds a SQL condition selecting the rows whose raw position is in `ranges`. */
function positionCondition(
  ranges: OffsetRange[],
  topic: string,
  partition: string,
  offset: string,
) {
  if (ranges.length === 0) return '0';
  return ranges
    .map(
      (range) =>
        `(${topic} = ${quoteString(range.topic)} AND ${partition} = ${range.partition} AND ${offset} >= ${range.start} AND ${offset} < ${range.end})`,
    )
    .join(' OR ');
}

interface StoredCounts {
  counts: Record<string, ProviderCounts>;
  principals: number;
  permissionsUsed: number;
  reasons: Record<string, number>;
  topUnmapped: Array<{ call: string; count: number }>;
}

async function countStored(
  clickhouse: ClickHouse,
  database: string,
  ranges: OffsetRange[],
): Promise<StoredCounts> {
  const eventsInRun = positionCondition(
    ranges,
    "splitByChar('/', raw_ref)[1]",
    "toInt32(splitByChar('/', raw_ref)[2])",
    "toUInt64(splitByChar('/', raw_ref)[3])",
  );
  const dlqInRun = positionCondition(
    ranges,
    'original_topic',
    'original_partition',
    'original_offset',
  );
  const events = `(SELECT * FROM ${database}.events FINAL WHERE ${eventsInRun})`;

  const perProvider = await clickhouse.query<{
    provider: string;
    normalized: string;
    unmapped: string;
  }>(
    `SELECT provider, uniqExact(event_id) AS normalized, uniqExactIf(event_id, mapping = 'unmapped') AS unmapped FROM ${events} GROUP BY provider`,
  );
  const [totals] = await clickhouse.query<{ principals: string; permissions: string }>(
    `SELECT uniqExact(principal_id) AS principals, uniqExactArray(permissions) AS permissions FROM ${events}`,
  );
  const unmapped = await clickhouse.query<{ call: string; c: string }>(
    `SELECT concat(provider, ' ', service, ' ', operation) AS call, uniqExact(event_id) AS c FROM ${events} WHERE mapping = 'unmapped' GROUP BY call ORDER BY c DESC, call LIMIT 50`,
  );
  const deadLettered = await clickhouse.query<{ provider: string; reason: string; c: string }>(
    `SELECT provider, reason, count() AS c FROM ${database}.dlq_events FINAL WHERE ${dlqInRun} GROUP BY provider, reason`,
  );

  const counts: Record<string, ProviderCounts> = {};
  for (const row of perProvider) {
    counts[row.provider] = {
      ...emptyCounts(),
      normalized: Number(row.normalized),
      unmapped: Number(row.unmapped),
    };
  }
  const reasons: Record<string, number> = {};
  for (const row of deadLettered) {
    (counts[row.provider] ??= emptyCounts()).dead_lettered += Number(row.c);
    const reason = row.reason === '' ? 'internal' : row.reason;
    reasons[reason] = (reasons[reason] ?? 0) + Number(row.c);
  }
  return {
    counts,
    principals: Number(totals?.principals ?? 0),
    permissionsUsed: Number(totals?.permissions ?? 0),
    reasons,
    topUnmapped: unmapped.map((row) => ({ call: row.call, count: Number(row.c) })),
  };
}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [key, value] of Object.entries(b)) merged[key] = (merged[key] ?? 0) + value;
  return merged;
}
