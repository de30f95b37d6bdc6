import { Buffer } from 'node:buffer';
import { DependencyError, errorCodeOf, errorTypeOf, isRetriable, messageOf } from '@ciem/errors';
import type { Admin, Batch, Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { fetchLagWith } from './admin.js';
import { computeBackoffMs, defaultBackoff, waitInterruptibly } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import { KafkaErrorCodes, invalidOption, wrapKafkaError } from './errors.js';
import { checkLagInterval, startLagReporter } from './lag-reporter.js';
import type { LagListener } from './lag-reporter.js';
import type { KafkaLogger, PartitionLag, ReceivedBatch, ReceivedMessage } from './types.js';

/** Controls available to a batch handler while it works. */
export interface BatchControl {
  /** Tells the group coordinator this member is alive; call it during long batches. */
  heartbeat(): Promise<void>;
  /**
   * True once the consumer is stopping or the partition was rebalanced away or rewound. A
   * handler may then throw to hand the batch back uncommitted, or finish it to have it committed.
   */
  isStopping(): boolean;
}

/**
 * Handles one batch of one partition. Resolving means the batch is durable downstream: its
 * offsets are committed right after. Throwing leaves them uncommitted (see `runConsumer`).
 */
export type BatchHandler = (batch: ReceivedBatch, control: BatchControl) => Promise<void>;

/** Settings of a consumer. Times in milliseconds, sizes in bytes. */
export interface ConsumerOptions {
  groupId: string;
  topics: readonly string[];
  /** Start position of a group without committed offsets: the oldest retained message, or only new ones (default). */
  fromBeginning?: boolean;
  handleBatch: BatchHandler;
  /** Time without heartbeats after which the coordinator drops this member. Kafka's default range is 6 000 to 300 000. */
  sessionTimeoutMs?: number;
  /** Interval of the heartbeats the client sends between batches. */
  heartbeatIntervalMs?: number;
  /** Partitions handled at the same time, each in its own `handleBatch` call. */
  partitionsConsumedConcurrently?: number;
  /** Upper bound of the bytes fetched per partition in one request (kafkajs default 1 MiB). */
  maxBytesPerPartition?: number;
  /** Back-off between redeliveries of a batch whose handler threw a retriable error. */
  retryBackoff?: Partial<BackoffOptions>;
  /**
   * Receives the group's lag on every partition of its topics once the consumer runs and then
   * every `lagIntervalMs`, until it stops; `StageMetrics.setConsumerLag` of `@ciem/telemetry` fits.
   */
  onLag?: LagListener;
  /** Interval of `onLag` reports in milliseconds; at least 1000, 15 000 by default. */
  lagIntervalMs?: number;
}

/** A consumer that is running in its group. */
export interface RunningConsumer {
  /**
   * Stops fetching, lets the batch in flight finish and commit, leaves the group and
   * disconnects. Idempotent: every call returns the same promise.
   */
  stop(): Promise<void>;
  /**
   * Settles when the consumer ends: resolves after `stop()`, rejects with a `DependencyError`
   * `CIEM_KAFKA_CONSUMER_FAILED` when it stopped on its own (a non-retriable handler error, or
   * a client failure it could not recover from). The rejection is also logged, so callers that
   * never await it lose nothing but the signal.
   */
  readonly done: Promise<void>;
  /** Returns the group's lag on every partition of its topics. */
  fetchLag(): Promise<PartitionLag[]>;
}

interface ConsumerContext {
  kafka: Kafka;
  logger: KafkaLogger;
  /** An admin client shared for lag queries; connected on first use. */
  admin: () => Promise<Admin>;
}

function toBuffer(value: Buffer | string): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/** Normalises kafkajs headers: values become Buffers, repeated names arrays of Buffers. */
export function normaliseHeaders(headers: IHeaders | undefined): Record<string, Buffer | Buffer[]> {
  const result: Record<string, Buffer | Buffer[]> = {};
  if (headers === undefined) return result;
  // Object.keys, not Object.entries, which would make an array per header of every message.
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    result[name] = Array.isArray(value) ? value.map(toBuffer) : toBuffer(value);
  }
  return result;
}

function toReceivedMessage(message: KafkaMessage): ReceivedMessage {
  return {
    key: message.key ?? null,
    value: message.value ?? null,
    headers: normaliseHeaders(message.headers),
    offset: message.offset,
    timestamp: Number(message.timestamp),
  };
}

function validate(options: ConsumerOptions): void {
  if (typeof options.groupId !== 'string' || options.groupId.length === 0) {
    throw invalidOption('groupId', 'a non-empty string', options.groupId);
  }
  if (!Array.isArray(options.topics) || options.topics.length === 0) {
    throw invalidOption('topics', 'a non-empty array of topic names', options.topics);
  }
  if (typeof options.handleBatch !== 'function') {
    throw invalidOption('handleBatch', 'an async function', options.handleBatch);
  }
  checkLagInterval(options.lagIntervalMs);
}

/**
 * Joins `groupId`, subscribes to `topics` and calls `handleBatch` for each fetched batch.
 * Auto-commit is off: the offset after a batch's last message is committed only once the
 * handler resolves, so every message is handled at least once.
 *
 * When the handler throws:
 * - a retriable error (`DependencyError`): the partition is rewound to the batch's first
 *   offset, and the same messages are delivered again after a capped, jittered back-off.
 *   The back-off grows with each consecutive failure of that partition, and each failure
 *   logs a warning.
 * - any other error (`InputError`, `TypeError`, ...): a bug or a bad record the handler should
 *   have dead-lettered, which a redelivery cannot fix. The error is logged, the consumer stops
 *   without committing the batch, and `done` rejects. The batch goes to the next member of
 *   the group, or to this one when it is started again.
 * When the process dies mid-batch, the coordinator drops the member after `sessionTimeoutMs`
 * and the uncommitted batch goes to another member from the last committed offset.
 */
export async function runConsumer(
  context: ConsumerContext,
  options: ConsumerOptions,
): Promise<RunningConsumer> {
  validate(options);
  const { logger } = context;
  const { groupId } = options;
  const topics = [...options.topics];
  const backoff: BackoffOptions = { ...defaultBackoff, ...options.retryBackoff };

  const consumer: Consumer = context.kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
    ...(options.maxBytesPerPartition === undefined
      ? {}
      : { maxBytesPerPartition: options.maxBytesPerPartition }),
  });

  let stopping = false;
  let stopPromise: Promise<void> | undefined;
  let stopLagReports = (): void => {};
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => {});
  const consecutiveFailures = new Map<string, number>();

  // NOTE: stop() has no deadline of its own: it waits for the handler in flight, so a
  // handler that never settles keeps it pending. Callers race it with their shutdown timeout.
  const stop = (): Promise<void> => {
    stopping = true;
    stopLagReports();
    stopPromise ??= (async () => {
      try {
        await consumer.disconnect();
        logger.info({ group: groupId, topics }, 'Kafka consumer stopped');
      } catch (error) {
        logger.error({ group: groupId, err: error }, 'Kafka consumer failed to disconnect cleanly');
      }
      settle?.resolve();
    })();
    return stopPromise;
  };

  const fail = (error: unknown, reason: string): void => {
    const wrapped = new DependencyError(
      KafkaErrorCodes.consumerFailed,
      `Kafka consumer of group ${groupId} stopped: ${reason}: ${messageOf(error)}; restart it after fixing the cause`,
      { cause: error, details: { group: groupId } },
    );
    logger.error(
      { group: groupId, err: error },
      'Kafka consumer stopped after a non-recoverable error',
    );
    const rejectLater = settle?.reject;
    settle = undefined;
    void stop().then(() => rejectLater?.(wrapped));
  };

  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(event.payload.error, 'the client crashed');
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    logger.info(
      {
        group: groupId,
        member_id: event.payload.memberId,
        assignment: event.payload.memberAssignment,
      },
      'Kafka consumer joined its group',
    );
  });

  const handleBatch = async (
    batch: Batch,
    resolveOffset: (offset: string) => void,
    commit: (offsets: {
      topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
    }) => Promise<void>,
    heartbeat: () => Promise<void>,
    isStopping: () => boolean,
  ): Promise<void> => {
    const { topic, partition } = batch;
    const partitionKey = `${topic}/${partition}`;
    const firstOffset = batch.firstOffset() ?? batch.messages[0]?.offset ?? '0';
    const received: ReceivedBatch = {
      topic,
      partition,
      messages: batch.messages.map(toReceivedMessage),
    };

    logger.debug(
      { topic, partition, offset: firstOffset, messages: received.messages.length },
      'Kafka batch received',
    );
    try {
      await options.handleBatch(received, { heartbeat, isStopping });
    } catch (error) {
      // Rewind so this batch, not a later one of the same partition, is handled next: a later
      // batch committing past this one would lose it.
      consumer.seek({ topic, partition, offset: firstOffset });
      if (!isRetriable(error)) {
        fail(
          error,
          `handleBatch threw a non-retriable ${errorTypeOf(error)} error at ${partitionKey} offset ${firstOffset}`,
        );
        return;
      }
      const attempt = consecutiveFailures.get(partitionKey) ?? 0;
      consecutiveFailures.set(partitionKey, attempt + 1);
      const delayMs = computeBackoffMs(attempt, backoff, error);
      logger.warn(
        {
          topic,
          partition,
          offset: firstOffset,
          attempt: attempt + 1,
          delay_ms: delayMs,
          error_code: errorCodeOf(error),
          err: error,
        },
        'Kafka batch failed; it will be delivered again',
      );
      await waitInterruptibly(delayMs, isStopping, () => heartbeat().catch(() => {}));
      return;
    }

    consecutiveFailures.delete(partitionKey);
    const lastOffset = batch.lastOffset();
    resolveOffset(lastOffset);
    const next = (BigInt(lastOffset) + 1n).toString();
    try {
      // The batch's own commit function, unlike consumer.commitOffsets, still commits once
      // stop() has begun, which is what lets stop() finish and commit the batch in flight.
      await commit({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
    } catch (error) {
      logger.warn(
        {
          topic,
          partition,
          offset: next,
          err: wrapKafkaError(
            error,
            'committing offsets',
            { topic, partition },
            KafkaErrorCodes.commitFailed,
          ),
        },
        'Kafka offset commit failed; the batch may be delivered again',
      );
      // kafkajs rejoins the group when the commit failed because of a rebalance.
      throw error;
    }
  };

  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? false });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({
        batch,
        resolveOffset,
        commitOffsetsIfNecessary,
        heartbeat,
        isRunning,
        isStale,
      }) => {
        const isStopping = (): boolean => stopping || !isRunning() || isStale();
        // A stale batch was fetched before a rewind of its partition; it arrives again later.
        if (batch.isEmpty() || isStopping()) return;
        await handleBatch(batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isStopping);
      },
    });
  } catch (error) {
    await consumer.disconnect().catch(() => {});
    throw wrapKafkaError(
      error,
      'starting the consumer',
      { group: groupId, topics: topics.join(',') },
      KafkaErrorCodes.connectFailed,
    );
  }
  logger.info({ group: groupId, topics }, 'Kafka consumer started');

  const fetchLag = async (): Promise<PartitionLag[]> => {
    const admin = await context.admin();
    const perTopic = await Promise.all(topics.map((topic) => fetchLagWith(admin, groupId, topic)));
    return perTopic.flat();
  };
  if (options.onLag !== undefined && !stopping) {
    stopLagReports = startLagReporter({
      groupId,
      fetchLag,
      onLag: options.onLag,
      ...(options.lagIntervalMs === undefined ? {} : { intervalMs: options.lagIntervalMs }),
      logger,
    });
  }

  return { stop, done, fetchLag };
}
