import { Buffer } from 'node:buffer';
import { CiemError, RejectedError, errorTypeOf } from '@ciem/errors';
import { RAW_TOPIC_BY_PROVIDER } from '@ciem/events';
import type { Provider } from '@ciem/events';
import { publishToDeadLetter, topicNames } from '@ciem/kafka';
import type { KafkaProducer, OutgoingMessage } from '@ciem/kafka';
import { injectProducerSpan, injectTraceHeaders } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { IngestErrorCodes, invalidOption } from './errors.js';
import { InFlightLimiter } from './in-flight-limiter.js';
import { ingestMetrics } from './ingest-metrics.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { INGEST_DEAD_LETTER_HEADERS, RAW_HEADERS } from './raw-headers.js';
import { RECORD_KEY_BY_PROVIDER } from './record-keys.js';
import type { RecordKeyFunction } from './record-keys.js';

/** One original record to publish to a raw topic. */
export interface RawPublishRecord {
  /** The record's original bytes, sent unchanged. */
  value: string | Buffer;
  /**
   * Kafka key: the account, subscription or project. When absent it is derived from
   * `parsed` with the provider's key function; `null` sends the record without a key.
   */
  key?: string | null;
  /** The parsed record, read only to derive the key. */
  parsed?: unknown;
  /** The `source` header, such as `s3://bucket/key` (see `RAW_HEADERS.source`). */
  source: string;
  /** The `raw_ref` header: position inside the source, such as `file.json.gz:1#3`. */
  rawRef: string;
}

/** A record that cannot go to the raw topic, to be dead-lettered with its reason. */
export interface IngestDeadLetter {
  /** The bytes that were read, or null when none were kept (an oversized record, a failed download). */
  value: string | Buffer | null;
  key?: string | null;
  source: string;
  rawRef: string;
  /** The reason; its code, type and message become dead-letter headers. */
  error: unknown;
}

/** Counts of one `publish` or `publishStream` call, all acknowledged by Kafka. */
export interface PublishReport {
  /** Records on the raw topic. */
  records: number;
  /** Bytes of those records. */
  bytes: number;
  /** Records larger than `maxRecordBytes`, sent to the dead-letter topic without their value. */
  deadLettered: number;
}

/** Options of {@link createRawPublisher}. Sizes in bytes. */
export interface RawPublisherOptions {
  /** A connected producer from `@ciem/kafka` (idempotent, acks=all). */
  producer: KafkaProducer;
  provider: Provider;
  /** Prefix of every topic name, such as `staging.`; empty by default. */
  topicPrefix?: string;
  /** Value of the `stage` label and of the dead-letter `stage` header; `ingest` by default. */
  stage?: string;
  /** Registry of the stage metrics and byte counters; no metrics when absent. */
  metrics?: MetricsRegistry;
  /** Receives one debug line per acknowledged batch. */
  logger?: Logger;
  /** Maximum records in one Kafka send (default 500). */
  maxBatchRecords?: number;
  /** Most record bytes in one Kafka send (default 1 MiB); the producer splits requests further. */
  maxBatchBytes?: number;
  /**
   * Largest record sent to the raw topic (default 1,000,000 bytes, under the broker's default
   * `message.max.bytes` of 1 MiB with room for headers). Larger records are dead-lettered
   * without their value, with `CIEM_INGEST_RECORD_TOO_LARGE`.
   */
  maxRecordBytes?: number;
  /** Most records sent but not yet acknowledged, across all callers (default 5,000). */
  maxInFlightRecords?: number;
  /** Most record bytes sent but not yet acknowledged, across all callers (default 16 MiB). */
  maxInFlightBytes?: number;
  /** Key function used when a record has no `key`; the provider's by default. */
  recordKey?: RecordKeyFunction;
  /** Clock of the `ingest_time` header, in milliseconds since the epoch. */
  now?: () => number;
}

/**
 * Publishes original records to a provider's raw topic. Safe to call from several tasks at
 * once: together they never have more than the in-flight limits waiting for Kafka, and a
 * caller whose batch does not fit waits (backpressure).
 */
export interface RawPublisher {
  readonly provider: Provider;
  /** The raw topic, with prefix. */
  readonly topic: string;
  /** The dead-letter topic, with prefix. */
  readonly deadLetterTopic: string;
  /**
   * Sends `records` in batches and resolves once Kafka acknowledged every one, so the caller
   * may then acknowledge or delete its source. Rejects with the producer's error
   * (`DependencyError` `CIEM_KAFKA_SEND_FAILED` or `CIEM_KAFKA_TOPIC_NOT_FOUND`, ...) after
   * every batch started has settled; batches before the failure may stay written, so a
   * retry can duplicate records.
   */
  publish(records: readonly RawPublishRecord[]): Promise<PublishReport>;
  /**
   * Like `publish` for a stream: reads the next record only while the in-flight limits
   * allow, so memory stays bounded whatever the stream's length. Stops reading at the first
   * failed batch and rejects with its error once the batches in flight settled.
   */
  publishStream(records: AsyncIterable<RawPublishRecord>): Promise<PublishReport>;
  /**
   * Writes one record to the dead-letter topic with stage `ingest` (or the `stage` option),
   * the error headers, and the `source`, `raw_ref` and `ingest_time` headers. The original
   * position headers are the raw topic with partition and offset `-1`: the record was never
   * on Kafka. A value the broker rejects as too large is replaced by none. Resolves once
   * Kafka acknowledged it; rejects with the producer's error.
   */
  deadLetter(letter: IngestDeadLetter): Promise<void>;
  /** Records and bytes sent but not yet acknowledged. */
  inFlight(): { records: number; bytes: number };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalidOption(name, 'a positive integer', value);
  return value;
}

interface PreparedBatch {
  messages: OutgoingMessage[];
  bytes: number;
}

/**
 * Creates a publisher for `provider`'s raw topic. Throws `ConfigError`
 * `CIEM_INGEST_INVALID_OPTION` for invalid limits, and what `topicNames` throws for an
 * invalid prefix.
 */
export function createRawPublisher(options: RawPublisherOptions): RawPublisher {
  const { producer, provider, logger } = options;
  if (!(provider in RAW_TOPIC_BY_PROVIDER)) {
    throw invalidOption('provider', 'aws, azure or gcp', provider);
  }
  const stage = options.stage ?? 'ingest';
  const maxBatchRecords = positiveInteger('maxBatchRecords', options.maxBatchRecords, 500);
  const maxBatchBytes = positiveInteger('maxBatchBytes', options.maxBatchBytes, 1024 * 1024);
  const maxRecordBytes = positiveInteger('maxRecordBytes', options.maxRecordBytes, 1_000_000);
  const limiter = new InFlightLimiter(
    positiveInteger('maxInFlightRecords', options.maxInFlightRecords, 5_000),
    positiveInteger('maxInFlightBytes', options.maxInFlightBytes, 16 * 1024 * 1024),
  );
  const recordKey = options.recordKey ?? RECORD_KEY_BY_PROVIDER[provider];
  const now = options.now ?? Date.now;
  const prefix = options.topicPrefix ?? '';
  const names = topicNames(prefix);
  const topic = `${prefix}${RAW_TOPIC_BY_PROVIDER[provider]}`;
  const deadLetterTopic = names.deadLetter;
  const metrics: IngestMetrics | undefined =
    options.metrics === undefined ? undefined : ingestMetrics(options.metrics, stage, logger);
  const labels = { provider, topic };

  const toMessage = (record: RawPublishRecord, ingestTime: string): OutgoingMessage => {
    const key = record.key !== undefined ? record.key : recordKey(record.parsed);
    return {
      key,
      value: record.value,
      // Each record gets a producer span, the root of its trace unless the caller runs in one.
      headers: injectProducerSpan(
        {
          [RAW_HEADERS.source]: record.source,
          [RAW_HEADERS.rawRef]: record.rawRef,
          [RAW_HEADERS.ingestTime]: ingestTime,
        },
        'publish raw record',
        { 'messaging.system': 'kafka', 'messaging.destination.name': topic },
      ),
    };
  };

  /**
   * Sends one batch once it fits the in-flight limits. Resolves when the send started, with
   * a holder of the promise that settles on the ack: an async function returning the promise
   * itself would wait for the ack.
   */
  const startBatch = async (batch: PreparedBatch): Promise<{ acked: Promise<void> }> => {
    await limiter.acquire(batch.messages.length, batch.bytes);
    const stopTimer = metrics?.startBatchTimer(labels);
    const sent = producer.send(topic, batch.messages).then(
      () => {
        stopTimer?.();
        metrics?.countSent(batch.messages.length, labels);
        metrics?.countSentBytes(batch.bytes, labels);
        logger?.debug(
          { topic, records: batch.messages.length, bytes: batch.bytes },
          'raw batch acknowledged',
        );
      },
      (error: unknown) => {
        metrics?.countError(errorTypeOf(error), labels);
        throw error;
      },
    );
    return { acked: sent.finally(() => limiter.release(batch.messages.length, batch.bytes)) };
  };

  const publishStream = async (
    records: AsyncIterable<RawPublishRecord> | Iterable<RawPublishRecord>,
  ): Promise<PublishReport> => {
    const pending: Array<Promise<void>> = [];
    let failure: { error: unknown } | undefined;
    const watch = ({ acked }: { acked: Promise<void> }): void => {
      pending.push(acked);
      acked.catch((error: unknown) => {
        failure ??= { error };
      });
    };
    const report: PublishReport = { records: 0, bytes: 0, deadLettered: 0 };
    let batch: PreparedBatch = { messages: [], bytes: 0 };
    let ingestTime = String(now());

    for await (const record of records) {
      if (failure !== undefined) break;
      const bytes = Buffer.byteLength(record.value);
      if (bytes > maxRecordBytes) {
        metrics?.countReceived(1, labels);
        metrics?.countReceivedBytes(bytes, labels);
        await deadLetter({
          value: null,
          key: record.key !== undefined ? record.key : recordKey(record.parsed),
          source: record.source,
          rawRef: record.rawRef,
          error: new RejectedError(
            IngestErrorCodes.recordTooLarge,
            `Record ${record.rawRef} has ${bytes} bytes, more than the ${maxRecordBytes} bytes a raw topic message may hold; it was dead-lettered without its value. Read it from ${record.source}, or raise maxRecordBytes together with the topic's max.message.bytes.`,
            { details: { raw_ref: record.rawRef, reason: 'oversized' } },
          ),
        });
        report.deadLettered += 1;
        continue;
      }
      if (
        batch.messages.length > 0 &&
        (batch.messages.length >= maxBatchRecords || batch.bytes + bytes > maxBatchBytes)
      ) {
        watch(await startBatch(batch));
        batch = { messages: [], bytes: 0 };
        ingestTime = String(now());
      }
      metrics?.countReceived(1, labels);
      metrics?.countReceivedBytes(bytes, labels);
      batch.messages.push(toMessage(record, ingestTime));
      batch.bytes += bytes;
      report.records += 1;
      report.bytes += bytes;
    }
    if (failure === undefined && batch.messages.length > 0) watch(await startBatch(batch));

    await Promise.allSettled(pending);
    if (failure !== undefined) throw failure.error;
    return report;
  };

  /** Returns the dead-letter headers of the provider, and of the reason and field in the error details. */
  const failureHeaders = (error: unknown): Record<string, string> => {
    const headers: Record<string, string> = { [INGEST_DEAD_LETTER_HEADERS.provider]: provider };
    if (!(error instanceof CiemError)) return headers;
    const { reason, field } = error.details;
    if (typeof reason === 'string') headers[INGEST_DEAD_LETTER_HEADERS.reason] = reason;
    if (typeof field === 'string') headers[INGEST_DEAD_LETTER_HEADERS.field] = field;
    return headers;
  };

  async function deadLetter(letter: IngestDeadLetter): Promise<void> {
    const value =
      letter.value === null || Buffer.isBuffer(letter.value)
        ? letter.value
        : Buffer.from(letter.value, 'utf8');
    const send = (bytes: Buffer | null) =>
      publishToDeadLetter(producer, {
        dlqTopic: deadLetterTopic,
        stage,
        error: letter.error,
        original: {
          topic,
          partition: -1,
          offset: '-1',
          key: letter.key ?? null,
          value: bytes,
          headers: injectTraceHeaders({
            [RAW_HEADERS.source]: letter.source,
            [RAW_HEADERS.rawRef]: letter.rawRef,
            [RAW_HEADERS.ingestTime]: String(now()),
            ...failureHeaders(letter.error),
          }),
        },
      });
    try {
      try {
        await send(value);
      } catch (error) {
        // A broken record can be larger than the broker's message.max.bytes. Retrying
        // with the same bytes would fail for ever and block the source, so the letter
        // goes without its value; source and raw_ref still locate the original.
        if (!(error instanceof RejectedError) || value === null) throw error;
        logger?.warn(
          {
            topic: deadLetterTopic,
            source: letter.source,
            raw_ref: letter.rawRef,
            bytes: value.length,
          },
          'dead letter rejected by Kafka; sent again without its value',
        );
        await send(null);
      }
    } catch (error) {
      metrics?.countError(errorTypeOf(error), { provider, topic: deadLetterTopic });
      throw error;
    }
    metrics?.countDeadLettered(1, labels);
    metrics?.countError(errorTypeOf(letter.error), labels);
  }

  return {
    provider,
    topic,
    deadLetterTopic,
    publish: (records) => publishStream(records),
    publishStream,
    deadLetter,
    inFlight: () => limiter.current,
  };
}
