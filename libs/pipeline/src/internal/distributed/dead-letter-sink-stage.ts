import type { ClickHouse, RetryOptions } from '@ciem/clickhouse';
import { InputError, errorTypeOf } from '@ciem/errors';
import type { DeadLetterRow } from '@ciem/event-store';
import { createDeadLetterWriter, toDeadLetterRow } from '@ciem/event-store';
import type {
  BatchControl,
  KafkaClient,
  PartitionLag,
  ReceivedBatch,
  ReceivedMessage,
  RunningConsumer,
  TopicNames,
} from '@ciem/kafka';
import { DEAD_LETTER_HEADERS } from '@ciem/kafka';
import type { Stage, StageContext, StageHealth } from '@ciem/runtime';
import type { Logger, StageMetrics } from '@ciem/telemetry';
import { NORMALIZER_DEAD_LETTER_HEADERS } from './normalize-batch.js';
import { NORMALIZER_STAGE } from './normalizer-stage.js';
import { FILE_INGEST_STAGE } from './publish-raw-files.js';
import { RAW_RECORD_HEADERS, headerText } from './raw-headers.js';
import { waitWithHeartbeat } from './wait-with-heartbeat.js';

/** Name of the stage in logs, metrics and `/readyz`. */
export const DEAD_LETTER_SINK_STAGE = 'dlq-sink';

/**
 * Stages that write their own `dlq_events` rows next to their dead-letter messages, so the
 * sink leaves their records alone: the normalizer and the file ingest of `ciem run`.
 */
export const SELF_RECORDING_STAGES: readonly string[] = Object.freeze([
  NORMALIZER_STAGE,
  FILE_INGEST_STAGE,
]);

/** `stage` of a dead-letter message that carries no `stage` header. */
const UNKNOWN_STAGE = 'unknown';

/** Options of `createDeadLetterSinkStage`. Times in milliseconds, sizes in bytes. */
export interface DeadLetterSinkStageOptions {
  kafka: KafkaClient;
  /** Topic names with the configured prefix, from `topicNames(prefix)`. */
  topics: TopicNames;
  groupId: string;
  clickhouse: ClickHouse;
  /** Database holding `dlq_events`; migrations must have run. */
  database: string;
  logger: Logger;
  metrics: StageMetrics;
  /** Rows per ClickHouse INSERT. */
  batchMaxRows: number;
  /** Maximum time a row waits before its INSERT when a batch contains more than `batchMaxRows` rows. */
  batchMaxWaitMs: number;
  /** Bytes of an original kept in its `dlq_events` row; 1 MiB by default. */
  maxDeadLetterPayloadBytes?: number;
  /** Stages whose records are skipped because they write their rows; `SELF_RECORDING_STAGES` by default. */
  skipStages?: readonly string[];
  sessionTimeoutMs?: number;
  /** Interval of the consumer lag reports, in milliseconds; 15 000 by default. */
  lagIntervalMs?: number;
  /** Read the dead-letter topic from the oldest retained message when the group has no offsets; true by default. */
  fromBeginning?: boolean;
  /** Attempts of one ClickHouse INSERT before the Kafka batch is handed back; 6 by default. */
  writerRetry?: RetryOptions;
  /** Interval of group heartbeats while a batch waits for ClickHouse; 3000 by default. */
  heartbeatIntervalMs?: number;
}

/** The dead-letter sink, with the lag of its group on the dead-letter topic. */
export interface DeadLetterSinkStage extends Stage {
  fetchLag(): Promise<PartitionLag[]>;
}

const defaultWriterRetry: RetryOptions = { maxAttempts: 6, initialDelayMs: 200, maxDelayMs: 5_000 };

/** Returns the whole-number header value, or `fallback` when it is missing or not a number. */
function integerHeader(message: ReceivedMessage, name: string, fallback: number): number {
  const text = headerText(message.headers, name);
  return text !== undefined && /^-?\d{1,10}$/.test(text) ? Number(text) : fallback;
}

/**
 * Builds the `dlq_events` row of a dead-letter message from its headers. A record that an
 * ingest stage dead-lettered before Kafka had it (position -1) is identified by its `raw_ref`
 * (file and line, object or message id), so the same failure dead-lettered again collapses
 * into one row. Any other record is identified by its original topic, partition and offset,
 * as the normalizer does.
 */
export function deadLetterRowOf(
  batch: Pick<ReceivedBatch, 'topic' | 'partition'>,
  message: ReceivedMessage,
  maxPayloadBytes: number,
): DeadLetterRow {
  const text = (name: string) => headerText(message.headers, name);
  const stage = text(DEAD_LETTER_HEADERS.stage) ?? UNKNOWN_STAGE;
  const original = {
    topic: text(DEAD_LETTER_HEADERS.originalTopic) ?? '',
    partition: integerHeader(message, DEAD_LETTER_HEADERS.originalPartition, -1),
    offset: String(integerHeader(message, DEAD_LETTER_HEADERS.originalOffset, -1)),
    key: message.key,
    value: message.value,
  };
  const rawRef = text(RAW_RECORD_HEADERS.rawRef);
  const position = `${batch.topic}/${batch.partition}/${message.offset}`;
  let dedupeKey: string | undefined;
  if (original.partition < 0) dedupeKey = rawRef ?? position;
  else if (original.topic === '') dedupeKey = position;
  const reason = text(NORMALIZER_DEAD_LETTER_HEADERS.reason);
  const row = toDeadLetterRow({
    stage,
    error: undefined,
    original,
    deadLetteredAt: message.timestamp,
    ...(dedupeKey === undefined ? {} : { dedupeKey }),
    provider: text(NORMALIZER_DEAD_LETTER_HEADERS.provider) ?? '',
    ...(reason === undefined ? {} : { reason }),
    field: text(NORMALIZER_DEAD_LETTER_HEADERS.field) ?? null,
    ...(rawRef === undefined ? {} : { sourceRef: rawRef }),
    maxPayloadBytes,
  });
  // The error travelled as headers; a message without them keeps the row's placeholders.
  return {
    ...row,
    error_code: text(DEAD_LETTER_HEADERS.errorCode) ?? row.error_code,
    error_type: text(DEAD_LETTER_HEADERS.errorType) ?? row.error_type,
    error_message: text(DEAD_LETTER_HEADERS.errorMessage) ?? '',
  };
}

/**
 * Creates the dead-letter sink: a consumer group on the dead-letter topic that copies each
 * record into `dlq_events`, except the records of `skipStages`, which write their rows
 * themselves. Together they put every dead letter in the table once. Offsets are committed
 * after the batch's rows are written; a ClickHouse outage hands the batch back.
 */
export function createDeadLetterSinkStage(
  options: DeadLetterSinkStageOptions,
): DeadLetterSinkStage {
  const { logger, metrics, topics } = options;
  const skipStages = new Set(options.skipStages ?? SELF_RECORDING_STAGES);
  const maxPayloadBytes = options.maxDeadLetterPayloadBytes ?? 1_048_576;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
  const writerLogger = logger.child({ component: 'clickhouse' });
  let consumer: RunningConsumer | undefined;
  let stopping: Promise<void> | undefined;
  let rowsWritten = 0;
  let lastFailure: string | undefined;

  const handleBatch = async (batch: ReceivedBatch, control: BatchControl): Promise<void> => {
    const labels = { topic: batch.topic };
    const finishTimer = metrics.startBatchTimer(labels);
    metrics.countReceived(batch.messages.length, labels);
    const writer = createDeadLetterWriter({
      client: options.clickhouse,
      database: options.database,
      maxRows: options.batchMaxRows,
      maxWaitMs: options.batchMaxWaitMs,
      retry: options.writerRetry ?? defaultWriterRetry,
      onRejected: (rows, error) => {
        metrics.countError(errorTypeOf(error), labels);
        logger.error(
          {
            err: error,
            rows: rows.length,
            dedupe_keys: rows.slice(0, 5).map((row) => row.dedupe_key),
          },
          'ClickHouse refused dlq_events rows; the records remain in the dead-letter topic',
        );
      },
      logger: writerLogger,
    });

    let rows = 0;
    for (const message of batch.messages) {
      const stage = headerText(message.headers, DEAD_LETTER_HEADERS.stage);
      if (stage !== undefined && skipStages.has(stage)) continue;
      const row = deadLetterRowOf(batch, message, maxPayloadBytes);
      try {
        await writer.add(row);
        rows += 1;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        metrics.countError('internal', labels);
        logger.error(
          { err: error, dedupe_key: row.dedupe_key },
          'dlq_events row cannot be encoded',
        );
      }
    }
    await waitWithHeartbeat(writer.close(), control, heartbeatIntervalMs);

    metrics.countSent(rows, labels);
    rowsWritten += rows;
    lastFailure = undefined;
    const seconds = finishTimer();
    logger.debug(
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: batch.messages[0]?.offset,
        messages: batch.messages.length,
        rows,
        duration_ms: Math.round(seconds * 1000),
      },
      'dead letters copied to dlq_events',
    );
  };

  return {
    name: DEAD_LETTER_SINK_STAGE,

    async start(context: StageContext) {
      consumer = await options.kafka.runConsumer({
        groupId: options.groupId,
        topics: [topics.deadLetter],
        fromBeginning: options.fromBeginning ?? true,
        sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
        onLag: (group, lags) => metrics.setConsumerLag(group, lags),
        ...(options.lagIntervalMs === undefined ? {} : { lagIntervalMs: options.lagIntervalMs }),
        handleBatch: async (batch, control) => {
          try {
            await handleBatch(batch, control);
          } catch (error) {
            metrics.countError(errorTypeOf(error), { topic: batch.topic });
            lastFailure = error instanceof Error ? error.message : String(error);
            throw error;
          }
        },
      });
      consumer.done.catch((error: unknown) => {
        if (stopping === undefined) context.fail(error);
      });
      logger.info(
        { group: options.groupId, topic: topics.deadLetter, skipped_stages: [...skipStages] },
        'dead-letter sink consuming',
      );
    },

    stop() {
      stopping ??= (async () => {
        await consumer?.stop();
        logger.info({ rows_written: rowsWritten }, 'dead-letter sink stopped');
      })();
      return stopping;
    },

    health(): StageHealth {
      if (consumer === undefined) return { ready: false, detail: 'not started' };
      if (stopping !== undefined) return { ready: false, detail: 'stopping' };
      const detail = `${rowsWritten} rows written`;
      return lastFailure === undefined
        ? { ready: true, detail }
        : { ready: true, detail: `${detail}; last batch failed and is retried: ${lastFailure}` };
    },

    async fetchLag() {
      if (consumer === undefined) return [];
      return consumer.fetchLag();
    },
  };
}
