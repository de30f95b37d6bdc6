import type { ClickHouse, RetryOptions } from '@ciem/clickhouse';
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
  /** Rows per ClickHouse INSERT; a Kafka batch with more rows is written in several. */
  batchMaxRows: number;
  /**
   * Maximum time a row waits before its INSERT. Each Kafka batch writes its rows as soon as it
   * is normalized, so this only bounds a batch of more than `batchMaxRows` rows.
   */
  batchMaxWaitMs: number;
  /** Largest record normalized; larger ones are dead-lettered as `oversized`. */
  maxRecordBytes: number;
  /** Bytes of an original kept in its `dlq_events` row; 1 MiB by default. */
  maxDeadLetterPayloadBytes?: number;
  /** Kafka session timeout: a member silent this long is dropped and its partitions move. */
  sessionTimeoutMs?: number;
  /** Interval of the consumer lag reports, in milliseconds; 15 000 by default. */
  lagIntervalMs?: number;
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
  /**
   * Partitions handled at the same time, each one batch at a time; 4 by default. While one
   * batch waits for Kafka and ClickHouse, the others normalize.
   */
  partitionsConsumedConcurrently?: number;
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
 * Several partitions are handled at the same time (`partitionsConsumedConcurrently`), and
 * in each batch the produce and the ClickHouse INSERT run side by side. Offsets of a batch
 * are committed, in order per partition, only once its Kafka sends are acknowledged and its
 * own ClickHouse writes are done. A Kafka or ClickHouse outage makes the batch fail with a
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
  let stopping: Promise<void> | undefined;
  let batchesDone = 0;
  let lastFailure: string | undefined;
  const writerLogger = logger.child({ component: 'clickhouse' });
  const writerRetry = options.writerRetry ?? defaultWriterRetry;

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

  /**
   * Writes the `dlq_events` rows of one batch with a writer of its own, so that the batch
   * waits for exactly its own INSERT. A row that cannot be encoded or that ClickHouse refuses
   * loses only its table copy: the record is in the dead-letter topic already.
   */
  const writeDeadLetterRows = async (rows: DeadLetterRow[]): Promise<void> => {
    if (rows.length === 0) return;
    const writer = createDeadLetterWriter({
      client: options.clickhouse,
      database: options.database,
      maxRows: options.batchMaxRows,
      maxWaitMs: options.batchMaxWaitMs,
      retry: writerRetry,
      onRejected: (refused, error) => {
        metrics.countError(errorTypeOf(error), { topic: topics.deadLetter });
        logger.error(
          {
            err: error,
            rows: refused.length,
            dedupe_keys: refused.slice(0, 5).map((row) => row.dedupe_key),
          },
          'ClickHouse refused dlq_events rows; the records remain in the dead-letter topic',
        );
      },
      logger: writerLogger,
    });
    for (const row of rows) {
      try {
        await writer.add(row);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        metrics.countError('internal', { topic: topics.deadLetter });
        logger.error(
          { err: error, dedupe_key: row.dedupe_key },
          'dlq_events row cannot be encoded',
        );
      }
    }
    await writer.close();
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

    // Each batch writes its `events` rows with a writer of its own and waits for that
    // writer's result alone: with several partitions in flight, a shared writer would report
    // one batch's failed INSERT to whichever batch flushed next.
    const sourceOfRow = new Map<EventRow, ReceivedMessage>();
    const refusedRows: DeadLetterItem[] = [];
    const eventWriter = createEventWriter({
      client: options.clickhouse,
      database: options.database,
      maxRows: options.batchMaxRows,
      maxWaitMs: options.batchMaxWaitMs,
      retry: writerRetry,
      // Rows ClickHouse refused for good become dead letters of this batch.
      onRejected: (rows, error) => {
        for (const row of rows) {
          const source = sourceOfRow.get(row);
          if (source !== undefined) refusedRows.push(deadLetterOf(batch, source, error, provider));
        }
      },
      logger: writerLogger,
    });

    // A row ClickHouse cannot encode (a bug in the mapping) turns its record into a dead
    // letter before anything is sent.
    const encoded: EventItem[] = [];
    for (const item of events) {
      sourceOfRow.set(item.row, item.source);
      try {
        await eventWriter.add(item.row);
        encoded.push(item);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        deadLetters.push(deadLetterOf(batch, item.source, error, provider));
      }
    }

    // The INSERT and the produce run at the same time; the batch goes on once both are done.
    // Events the normalized topic refuses for good (none expected: an Avro event is small)
    // are dead-lettered instead, so that the batch still commits.
    const inserted = eventWriter.close();
    const sending = sendKeepingRejected(
      producer,
      topics.eventsNormalized,
      encoded.map((item) => item.message),
    );
    const [insertOutcome, sendOutcome] = await waitWithHeartbeat(
      Promise.allSettled([inserted, sending]),
      control,
      heartbeatIntervalMs,
    );
    if (insertOutcome.status === 'rejected') throw insertOutcome.reason;
    if (sendOutcome.status === 'rejected') throw sendOutcome.reason;
    const sent = sendOutcome.value;
    const refused = new Set(sent.rejected);
    let eventsSent = 0;
    for (const [index, item] of encoded.entries()) {
      if (refused.has(index))
        deadLetters.push(deadLetterOf(batch, item.source, sent.error, provider));
      else eventsSent += 1;
    }
    deadLetters.push(...refusedRows);

    if (deadLetters.length > 0) {
      const written = await waitWithHeartbeat(
        Promise.allSettled([
          sendDeadLetters(deadLetters),
          writeDeadLetterRows(deadLetters.map((item) => item.row)),
        ]),
        control,
        heartbeatIntervalMs,
      );
      for (const outcome of written) if (outcome.status === 'rejected') throw outcome.reason;
    }

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
      producer ??= await options.kafka.createProducer();
      // NOTE: batches of one partition still run one after another, because runConsumer
      // commits a batch when its handler resolves. The stage misses the throughput goal of
      // test/bench/pipeline.md, which lists where the remaining cost goes.
      consumer = await options.kafka.runConsumer({
        groupId: options.groupId,
        topics: rawTopics.map((entry) => entry.topic),
        fromBeginning: options.fromBeginning ?? true,
        sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
        ...(options.lagIntervalMs === undefined ? {} : { lagIntervalMs: options.lagIntervalMs }),
        maxBytesPerPartition: options.maxBytesPerPartition ?? 8 * 1_048_576,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
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
        // The consumer lets the batches in flight finish (each waits for its own writes) and
        // commit before it leaves the group.
        await consumer?.stop();
        await producer?.disconnect();
        logger.info({ batches_done: batchesDone }, 'normalizer stopped');
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
