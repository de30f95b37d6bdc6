import type { BatchWriter, ClickHouse, RetryOptions } from '@ciem/clickhouse';
import { DependencyError, InputError, errorTypeOf } from '@ciem/errors';
import type { Provider } from '@ciem/events';
import type { DeadLetterRow, EventRow } from '@ciem/event-store';
import { createDeadLetterWriter, createEventWriter } from '@ciem/event-store';
import type {
  BatchControl,
  KafkaClient,
  KafkaProducer,
  PartitionLag,
  ReceivedBatch,
  ReceivedMessage,
  RunningConsumer,
  TopicNames,
} from '@ciem/kafka';
import type { Stage, StageContext, StageHealth } from '@ciem/runtime';
import type { Logger, StageMetrics } from '@ciem/telemetry';
import { createRateLimitedLog } from '@ciem/telemetry';
import type { Tracer } from '@opentelemetry/api';
import type { DeadLetterItem, EventItem } from './normalize-batch.js';
import { deadLetterFor, normalizeBatch } from './normalize-batch.js';
import { rawTopicsOf } from './raw-topics.js';
import { sendKeepingRejected } from './send-messages.js';
import { waitWithHeartbeat } from './wait-with-heartbeat.js';

/** Name of the stage in logs, metrics, `/readyz` and the `stage` dead-letter header. */
export const NORMALIZER_STAGE = 'normalizer';

/** Options of `createNormalizerStage`. Times in milliseconds, sizes in bytes. */
export interface NormalizerStageOptions {
  kafka: KafkaClient;
  /** Topic names with the configured prefix, from `topicNames(prefix)`. */
  topics: TopicNames;
  groupId: string;
  clickhouse: ClickHouse;
  /** Database holding `events` and `dlq_events`; migrations must have run. */
  database: string;
  logger: Logger;
  metrics: StageMetrics;
  tracer: Tracer;
  /** Rows per ClickHouse INSERT. */
  batchMaxRows: number;
  /** Maximum time a row waits before its INSERT. */
  batchMaxWaitMs: number;
  /** Largest record normalized; larger ones are dead-lettered as `oversized`. */
  maxRecordBytes: number;
  /** Bytes of an original kept in its `dlq_events` row; 1 MiB by default. */
  maxDeadLetterPayloadBytes?: number;
  /** Kafka session timeout: a member silent this long is dropped and its partitions move. */
  sessionTimeoutMs?: number;
  /** Read the raw topics from the oldest retained message when the group has no offsets; true by default. */
  fromBeginning?: boolean;
  /** Attempts of one ClickHouse INSERT before the Kafka batch is handed back; 6 by default. */
  writerRetry?: RetryOptions;
  /**
   * Upper bound of the bytes fetched per partition in one request, and so of a batch;
   * 8 MiB by default. Larger batches spread the per-batch round trips to Kafka and
   * ClickHouse over more records.
   */
  maxBytesPerPartition?: number;
  /** Interval of group heartbeats while a batch waits for its sinks; 3000 by default. */
  heartbeatIntervalMs?: number;
}

/** The normalizer stage, with what `ciem run` needs to tell when it has caught up. */
export interface NormalizerStage extends Stage {
  /** Returns the group's lag on every partition of the raw topics. Throws `DependencyError`. */
  fetchLag(): Promise<PartitionLag[]>;
}

const defaultWriterRetry: RetryOptions = { maxAttempts: 6, initialDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Creates the normalizer stage: a consumer group on the three raw topics that normalizes each
 * batch, produces the Avro `NormalizedEvent`s (key = principal id) to the normalized topic,
 * writes `events` rows, and dead-letters failures to the dead-letter topic and `dlq_events`.
 *
 * Offsets are committed only once the Kafka sends are acknowledged and both ClickHouse
 * writers' `flush()` resolved. A Kafka or ClickHouse outage makes the batch fail with a
 * `DependencyError`, and the consumer delivers it again after a back-off, so records are
 * neither lost nor skipped. Redelivered rows collapse in the ReplacingMergeTree tables, while
 * redelivered messages may repeat on the topics (at-least-once).
 */
export function createNormalizerStage(options: NormalizerStageOptions): NormalizerStage {
  const { logger, metrics, topics } = options;
  const rawTopics = rawTopicsOf(topics);
  const providerByTopic = new Map(rawTopics.map((entry) => [entry.topic, entry.provider]));
  const maxDeadLetterPayloadBytes = options.maxDeadLetterPayloadBytes ?? 1_048_576;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
  const deadLetterWarnings = createRateLimitedLog(logger, 60_000);

  let producer: KafkaProducer | undefined;
  let consumer: RunningConsumer | undefined;
  let eventWriter: BatchWriter<EventRow> | undefined;
  let deadLetterWriter: BatchWriter<DeadLetterRow> | undefined;
  let stopping: Promise<void> | undefined;
  let batchesDone = 0;
  let lastFailure: string | undefined;
  /** The raw message and batch behind each `events` row in flight, to dead-letter refused rows. */
  const rowSources = new WeakMap<EventRow, { batch: ReceivedBatch; message: ReceivedMessage }>();

  const sendDeadLetters = async (items: DeadLetterItem[]): Promise<void> => {
    if (producer === undefined || items.length === 0) return;
    const outcome = await sendKeepingRejected(
      producer,
      topics.deadLetter,
      items.map((item) => item.message),
    );
    for (const index of outcome.rejected) {
      // The dead-letter topic rejected the original because it exceeds max.message.bytes, so
      // only the headers go. The record stays in its raw topic at the offset the headers
      // name, and the dlq_events row keeps the head of its bytes.
      const item = items[index] as DeadLetterItem;
      logger.error(
        { topic: topics.deadLetter, err: outcome.error, original: item.row.dedupe_key },
        'dead-letter topic refused a record; sending its headers without the value',
      );
      await producer.send(topics.deadLetter, [
        {
          key: item.message.key ?? null,
          value: null,
          headers: {
            ...item.message.headers,
            'payload.omitted': 'too large for the dead-letter topic',
          },
        },
      ]);
    }
  };

  const countDeadLetters = (items: DeadLetterItem[], batch: ReceivedBatch, provider: Provider) => {
    for (const item of items) {
      metrics.countDeadLettered(1, { provider, topic: batch.topic });
      metrics.countError(item.errorType, { provider, topic: batch.topic });
      deadLetterWarnings.log(
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: item.row.original_offset,
          error_code: item.row.error_code,
          error_type: item.row.error_type,
          reason: item.row.reason,
          field: item.row.field,
        },
        'record dead-lettered',
      );
    }
  };

  const deadLetterOf = (
    batch: ReceivedBatch,
    message: ReceivedMessage,
    error: unknown,
    provider: Provider,
  ): DeadLetterItem =>
    deadLetterFor(
      batch,
      message,
      error,
      { provider },
      {
        stage: NORMALIZER_STAGE,
        maxDeadLetterPayloadBytes,
      },
    );

  const addDeadLetterRow = async (row: DeadLetterRow): Promise<void> => {
    try {
      await deadLetterWriter?.add(row);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // The record is in the dead-letter topic already; only its table copy is lost.
      metrics.countError('internal', { topic: topics.deadLetter });
      logger.error({ err: error, dedupe_key: row.dedupe_key }, 'dlq_events row cannot be encoded');
    }
  };

  /** Dead-letters `events` rows that ClickHouse refused for good (called during `flush()`). */
  const onEventsRejected = async (rows: EventRow[], error: Error): Promise<void> => {
    const items: DeadLetterItem[] = [];
    for (const row of rows) {
      const source = rowSources.get(row);
      if (source === undefined) continue;
      const provider = providerByTopic.get(source.batch.topic) ?? 'aws';
      const item = deadLetterOf(source.batch, source.message, error, provider);
      items.push(item);
      countDeadLetters([item], source.batch, provider);
    }
    await sendDeadLetters(items);
    for (const item of items) await addDeadLetterRow(item.row);
  };

  const handleBatch = async (batch: ReceivedBatch, control: BatchControl): Promise<void> => {
    const provider = providerByTopic.get(batch.topic);
    if (provider === undefined || producer === undefined) {
      throw new DependencyError(
        'CIEM_PIPELINE_STAGE_NOT_READY',
        `normalizer received a batch of ${batch.topic} before it was ready; it is delivered again`,
      );
    }
    const labels = { provider, topic: batch.topic };
    const finishTimer = metrics.startBatchTimer(labels);
    metrics.countReceived(batch.messages.length, labels);

    const { events, deadLetters } = normalizeBatch(batch, {
      stage: NORMALIZER_STAGE,
      provider,
      tracer: options.tracer,
      maxRecordBytes: options.maxRecordBytes,
      maxDeadLetterPayloadBytes,
    });

    // Rows are added before the sends: a row ClickHouse cannot encode (a bug in the mapping)
    // turns its record into a dead letter, and rows written ahead of a failed send only repeat
    // on redelivery, where they collapse.
    const encoded: EventItem[] = [];
    for (const item of events) {
      rowSources.set(item.row, { batch, message: item.source });
      try {
        await eventWriter?.add(item.row);
        encoded.push(item);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        deadLetters.push(deadLetterOf(batch, item.source, error, provider));
      }
    }

    // Events the normalized topic refuses for good (none expected: an Avro event is small)
    // are dead-lettered instead, so that the batch still commits.
    const sent = await waitWithHeartbeat(
      sendKeepingRejected(
        producer,
        topics.eventsNormalized,
        encoded.map((item) => item.message),
      ),
      control,
      heartbeatIntervalMs,
    );
    const refused = new Set(sent.rejected);
    let eventsSent = 0;
    for (const [index, item] of encoded.entries()) {
      if (refused.has(index))
        deadLetters.push(deadLetterOf(batch, item.source, sent.error, provider));
      else eventsSent += 1;
    }
    await waitWithHeartbeat(sendDeadLetters(deadLetters), control, heartbeatIntervalMs);
    for (const item of deadLetters) await addDeadLetterRow(item.row);

    // The events writer may dead-letter refused rows during its flush, which adds rows to the
    // dead-letter writer, so that one is flushed second.
    await waitWithHeartbeat(flushOf(eventWriter), control, heartbeatIntervalMs);
    await waitWithHeartbeat(flushOf(deadLetterWriter), control, heartbeatIntervalMs);

    metrics.countSent(eventsSent, { provider, topic: topics.eventsNormalized });
    countDeadLetters(deadLetters, batch, provider);
    const seconds = finishTimer();
    batchesDone += 1;
    lastFailure = undefined;
    logger.debug(
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: batch.messages[0]?.offset,
        messages: batch.messages.length,
        events: eventsSent,
        dead_lettered: deadLetters.length,
        duration_ms: Math.round(seconds * 1000),
      },
      'raw batch normalized',
    );
  };

  const handleBatchCounted = async (batch: ReceivedBatch, control: BatchControl) => {
    try {
      await handleBatch(batch, control);
    } catch (error) {
      const provider = providerByTopic.get(batch.topic);
      metrics.countError(errorTypeOf(error), {
        topic: batch.topic,
        ...(provider ? { provider } : {}),
      });
      lastFailure = error instanceof Error ? error.message : String(error);
      throw error;
    }
  };

  return {
    name: NORMALIZER_STAGE,

    async start(context: StageContext) {
      const writerLogger = logger.child({ component: 'clickhouse' });
      // A start that failed half-way (a broker still down) is retried: keep what it made.
      eventWriter ??= createEventWriter({
        client: options.clickhouse,
        database: options.database,
        maxRows: options.batchMaxRows,
        maxWaitMs: options.batchMaxWaitMs,
        retry: options.writerRetry ?? defaultWriterRetry,
        onRejected: onEventsRejected,
        logger: writerLogger,
      });
      deadLetterWriter ??= createDeadLetterWriter({
        client: options.clickhouse,
        database: options.database,
        maxRows: options.batchMaxRows,
        maxWaitMs: options.batchMaxWaitMs,
        retry: options.writerRetry ?? defaultWriterRetry,
        // The record is in the dead-letter topic already; a refused row loses only the copy.
        onRejected: (rows, error) => {
          metrics.countError(errorTypeOf(error), { topic: topics.deadLetter });
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
      producer ??= await options.kafka.createProducer();
      // NOTE: partitions are handled one batch at a time, because the shared batch writers
      // report a failed INSERT to whichever flush() comes next, and a concurrent batch could
      // then commit rows that were never written. The Kafka and ClickHouse round trips of
      // each batch therefore add up (see test/bench/pipeline.md).
      consumer = await options.kafka.runConsumer({
        groupId: options.groupId,
        topics: rawTopics.map((entry) => entry.topic),
        fromBeginning: options.fromBeginning ?? true,
        sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
        maxBytesPerPartition: options.maxBytesPerPartition ?? 8 * 1_048_576,
        handleBatch: handleBatchCounted,
        onLag: (group, lags) => metrics.setConsumerLag(group, lags),
      });
      consumer.done.catch((error: unknown) => {
        if (stopping === undefined) context.fail(error);
      });
      logger.info(
        {
          group: options.groupId,
          topics: rawTopics.map((entry) => entry.topic),
          database: options.database,
        },
        'normalizer consuming',
      );
    },

    stop() {
      stopping ??= (async () => {
        await consumer?.stop();
        const closing = await Promise.allSettled([
          eventWriter?.close({ timeoutMs: 5_000 }),
          deadLetterWriter?.close({ timeoutMs: 5_000 }),
        ]);
        await producer?.disconnect();
        logger.info({ batches_done: batchesDone }, 'normalizer stopped');
        const failed = closing.find((outcome) => outcome.status === 'rejected');
        // Rows the writers gave up belong to batches whose offsets were not committed, because
        // commits wait for flush(). The group delivers those records again.
        if (failed !== undefined) {
          logger.warn({ err: failed.reason }, 'ClickHouse writer closed with rows unwritten');
        }
      })();
      return stopping;
    },

    health(): StageHealth {
      if (consumer === undefined) return { ready: false, detail: 'not started' };
      if (stopping !== undefined) return { ready: false, detail: 'stopping' };
      const detail = `${batchesDone} batches done`;
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

function flushOf(writer: BatchWriter<object> | undefined): Promise<void> {
  return writer === undefined ? Promise.resolve() : writer.flush();
}
