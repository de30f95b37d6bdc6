import { CompressionTypes } from './kafkajs.js';
import { CachingPartitioner } from './partitioner.js';
import type { Kafka, Message, Producer, RecordMetadata } from 'kafkajs';
import { chunkMessages } from './batching.js';
import { KafkaErrorCodes, invalidOption, wrapKafkaError } from './errors.js';
import type { KafkaLogger, MessageHeaders, OutgoingMessage, PartitionAck } from './types.js';

/** Settings of a producer. Sizes in bytes, times in milliseconds. */
export interface ProducerOptions {
  /**
   * Upper bound of the estimated bytes sent in one produce request; larger sends are split
   * into consecutive requests. Keep it under the broker's `message.max.bytes` (1 MiB by default).
   */
  maxRequestBytes?: number;
  /** Upper bound of messages in one produce request. */
  maxRequestMessages?: number;
  /** Time the broker may take to replicate a write to all in-sync replicas (acks=all). */
  ackTimeoutMs?: number;
  /**
   * How many times the client retries a retriable failure (leader moved, broker down) within
   * one send before it fails with `CIEM_KAFKA_SEND_FAILED`. With the client's back-off of
   * 300 ms doubling to a cap of 30 s, the default of 10 spans about two minutes.
   */
  retries?: number;
  /** gzip-compress produce requests. Off by default: most records are small JSON. */
  gzip?: boolean;
}

/** A connected, idempotent producer writing with acks=all. */
export interface KafkaProducer {
  /**
   * Writes messages to `topic` and resolves once the broker has acknowledged every one of
   * them from all in-sync replicas. Messages go in as few produce requests as
   * `maxRequestBytes` allows, in order, so per-partition order is kept.
   *
   * Throws `RejectedError` (`CIEM_KAFKA_MESSAGE_TOO_LARGE`, `CIEM_KAFKA_RECORD_REJECTED`) for
   * data the broker refuses, `ConfigError` (`CIEM_KAFKA_NOT_AUTHORIZED`), or `DependencyError`
   * (`CIEM_KAFKA_TOPIC_NOT_FOUND`, `CIEM_KAFKA_SEND_FAILED`) when a retry may succeed. When a
   * request of a multi-request send fails, the requests before it stay written.
   */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<PartitionAck[]>;
  /** Waits for the send in flight, then disconnects. Idempotent. */
  disconnect(): Promise<void>;
}

interface ProducerContext {
  kafka: Kafka;
  logger: KafkaLogger;
  injectHeaders: (headers: MessageHeaders) => MessageHeaders;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalidOption(name, 'a positive integer', value);
  return value;
}

/**
 * Creates and connects a producer. Idempotence (KIP-98) makes the broker drop the duplicates
 * that client retries would otherwise write. kafkajs keeps one sequence number per partition
 * and does not support concurrent sends on an idempotent producer, so `maxInFlightRequests`
 * is 1 and sends are queued here one after another.
 */
export async function createProducer(
  context: ProducerContext,
  options: ProducerOptions = {},
): Promise<KafkaProducer> {
  const maxRequestBytes = positiveInteger('maxRequestBytes', options.maxRequestBytes, 900_000);
  const maxRequestMessages = positiveInteger(
    'maxRequestMessages',
    options.maxRequestMessages,
    10_000,
  );
  const ackTimeoutMs = positiveInteger('ackTimeoutMs', options.ackTimeoutMs, 30_000);
  const retries = positiveInteger('retries', options.retries, 10);

  const newProducer = (): Producer =>
    context.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: CachingPartitioner,
      retry: { retries, initialRetryTime: 300, maxRetryTime: 30_000 },
    });

  let producer = newProducer();
  try {
    await producer.connect();
  } catch (error) {
    throw wrapKafkaError(error, 'connecting the producer', {}, KafkaErrorCodes.connectFailed);
  }

  let queue: Promise<unknown> = Promise.resolve();
  let needsNewSession = false;
  let disconnecting: Promise<void> | undefined;

  const toKafkajs = (message: OutgoingMessage): Message => ({
    key: message.key ?? null,
    value: message.value,
    headers: context.injectHeaders({ ...(message.headers ?? {}) }),
    ...(message.partition === undefined ? {} : { partition: message.partition }),
  });

  const sendNow = async (
    topic: string,
    messages: readonly OutgoingMessage[],
  ): Promise<PartitionAck[]> => {
    if (needsNewSession) {
      // A failed send leaves kafkajs' sequence numbers unsure of what the broker kept, and
      // the broker would reject the next batch as out of order. A new producer gets a new
      // producer id and starts its sequences afresh.
      await producer.disconnect().catch(() => {});
      producer = newProducer();
      try {
        await producer.connect();
      } catch (error) {
        throw wrapKafkaError(
          error,
          'reconnecting the producer',
          { topic },
          KafkaErrorCodes.connectFailed,
        );
      }
      needsNewSession = false;
    }
    const acks: PartitionAck[] = [];
    for (const chunk of chunkMessages(messages, maxRequestBytes, maxRequestMessages)) {
      let metadata: RecordMetadata[];
      try {
        metadata = await producer.send({
          topic,
          acks: -1,
          timeout: ackTimeoutMs,
          messages: chunk.map(toKafkajs),
          ...(options.gzip ? { compression: CompressionTypes.GZIP } : {}),
        });
      } catch (error) {
        // NOTE: a request that timed out may still have been written, and the new producer
        // session cannot recognise it, so retrying such a send can duplicate records. The
        // platform's sinks are idempotent for that reason.
        needsNewSession = true;
        throw wrapKafkaError(
          error,
          'producing to Kafka',
          { topic, messages: chunk.length },
          KafkaErrorCodes.sendFailed,
        );
      }
      for (const entry of metadata) {
        acks.push({
          topic: entry.topicName,
          partition: entry.partition,
          baseOffset: entry.baseOffset ?? '-1',
        });
      }
    }
    return acks;
  };

  return {
    send(topic, messages) {
      if (disconnecting) {
        return Promise.reject(invalidOption('producer', 'a connected producer', 'disconnected'));
      }
      if (messages.length === 0) return Promise.resolve([]);
      const result = queue.then(() => sendNow(topic, messages));
      queue = result.catch(() => {});
      return result;
    },
    disconnect() {
      disconnecting ??= (async () => {
        await queue;
        await producer.disconnect();
        context.logger.debug({}, 'Kafka producer disconnected');
      })();
      return disconnecting;
    },
  };
}
