import type { Message, Subscription } from '@google-cloud/pubsub';
import { ConfigError, errorCodeOf, errorTypeOf, isRetriable } from '@ciem/errors';
import type { RawPublishRecord, RawPublisher } from '@ciem/ingest';
import { computeBackoffMs } from '@ciem/kafka';
import type { BackoffOptions } from '@ciem/kafka';
import type { Stage, StageContext, StageHealth } from '@ciem/runtime';
import { createRateLimitedLog, stageMetrics } from '@ciem/telemetry';
import type { Logger, MetricsRegistry, StageMetrics } from '@ciem/telemetry';
import { invalidOption } from './errors.js';
import { messageSource, parseLogEntryMessage } from './log-entry.js';

/** Options of {@link createPubSubIngestStage}. */
export interface PubSubIngestOptions {
  /**
   * A streaming-pull subscription of the log sink's topic, with its flow control set (see
   * `createPubSubSubscription`). The stage adds the `message` listener and closes it on stop.
   */
  subscription: Subscription;
  /** Publisher of the `gcp` raw topic; the caller closes it after the stage stopped. */
  publisher: RawPublisher;
  logger: Logger;
  /** Registry of the stage's error counters; the publisher counts the records itself. */
  metrics?: MetricsRegistry;
  /** Stage name in logs, metrics and `/readyz`; `ingest-gcp` by default. */
  name?: string;
  /** Most messages published to Kafka in one batch (default 500). */
  maxBatchMessages?: number;
  /** Maximum time a message waits for its batch to fill, in milliseconds (default 50). */
  maxBatchWaitMs?: number;
  /**
   * Back-off before a message whose batch Kafka did not acknowledge is nacked for redelivery,
   * by consecutive failed batches (default 1 s doubling to 60 s). The message stays leased
   * until then, so flow control holds new messages back meanwhile.
   */
  nackBackoff?: BackoffOptions;
}

const defaultNackBackoff: BackoffOptions = {
  initialMs: 1_000,
  maxMs: 60_000,
  multiplier: 2,
  jitter: 0.3,
};

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalidOption(name, 'a positive integer', value);
  return value;
}

/**
 * Creates the stage that reads GCP Cloud Audit Log entries from a Pub/Sub subscription into
 * the raw topic. Each message's `data` (one LogEntry as JSON) goes to the raw topic unchanged,
 * keyed by its project (`gcpRecordKey` of `@ciem/ingest`) with the `source` header
 * `pubsub:<message id>`. A message is acked only after Kafka acknowledged it.
 *
 * Messages are published in batches of up to `maxBatchMessages`, gathered for at most
 * `maxBatchWaitMs`. When Kafka fails in a way that may pass, every message of the batch is
 * nacked after a back-off, so Pub/Sub redelivers it. When Kafka rejects the batch for good,
 * its messages are published one at a time and the rejected one is dead-lettered. Data that
 * is not a JSON object, or a record of another cloud, is dead-lettered with the reason and
 * then acked. A `ConfigError` (missing authorization) or a subscription error that the
 * client does not retry (subscription not found, permission denied) fails the stage.
 *
 * `stop` nacks messages that arrive from then on, publishes the gathered batch, waits for
 * the batches in flight, and closes the subscription, which sends the pending acks.
 */
export function createPubSubIngestStage(options: PubSubIngestOptions): Stage {
  const { subscription, publisher, logger } = options;
  const name = options.name ?? 'ingest-gcp';
  const maxBatchMessages = positiveInteger('maxBatchMessages', options.maxBatchMessages, 500);
  const maxBatchWaitMs = positiveInteger('maxBatchWaitMs', options.maxBatchWaitMs, 50);
  const nackBackoff = options.nackBackoff ?? defaultNackBackoff;
  const metrics: StageMetrics | undefined =
    options.metrics === undefined ? undefined : stageMetrics(options.metrics, name, { logger });
  const labels = { provider: 'gcp', topic: publisher.topic };
  const failureLog = createRateLimitedLog(logger, 30_000);

  let stageContext: StageContext | undefined;
  let started = false;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let gathered: Message[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  let consecutiveFailures = 0;
  const inFlight = new Set<Promise<void>>();
  const delayedNacks = new Map<NodeJS.Timeout, Message[]>();

  const failStage = (error: unknown): void => {
    if (stopping) return;
    stageContext?.fail(error);
  };

  /** Nacks `messages` after the back-off of the current failure streak, or at once when stopping. */
  const nackLater = (messages: Message[], error: unknown): void => {
    const delayMs = computeBackoffMs(consecutiveFailures, nackBackoff, error);
    consecutiveFailures += 1;
    if (stopping) {
      for (const message of messages) message.nack();
      return;
    }
    const timer = setTimeout(() => {
      delayedNacks.delete(timer);
      for (const message of messages) message.nack();
    }, delayMs);
    timer.unref();
    delayedNacks.set(timer, messages);
    failureLog.log(
      { err: error, messages: messages.length, delay_ms: delayMs, error_code: errorCodeOf(error) },
      'publishing messages to Kafka failed; they are nacked for redelivery after a delay',
    );
  };

  /** Dead-letters one message with `error`, then acks it; nacks it when the dead-letter write fails. */
  const deadLetter = async (message: Message, error: unknown): Promise<void> => {
    const source = messageSource(message.id);
    try {
      await publisher.deadLetter({ value: message.data, source, rawRef: source, error });
      message.ack();
      logger.warn(
        { source, error_code: errorCodeOf(error), err: error },
        'message dead-lettered and acked',
      );
    } catch (writeError) {
      metrics?.countError(errorTypeOf(writeError), labels);
      if (writeError instanceof ConfigError) failStage(writeError);
      nackLater([message], writeError);
    }
  };

  /** Publishes messages one at a time, after Kafka rejected their batch for good. */
  const publishOneByOne = async (
    records: RawPublishRecord[],
    messages: Message[],
  ): Promise<void> => {
    for (const [index, record] of records.entries()) {
      const message = messages[index]!;
      try {
        await publisher.publish([record]);
        message.ack();
      } catch (error) {
        metrics?.countError(errorTypeOf(error), labels);
        if (error instanceof ConfigError) {
          failStage(error);
          nackLater(messages.slice(index), error);
          return;
        }
        if (isRetriable(error)) {
          nackLater([message], error);
          continue;
        }
        await deadLetter(message, error);
      }
    }
  };

  const publishBatch = async (batch: Message[]): Promise<void> => {
    const records: RawPublishRecord[] = [];
    const accepted: Message[] = [];
    const rejected: Array<Promise<void>> = [];
    for (const message of batch) {
      const source = messageSource(message.id);
      const parsed = parseLogEntryMessage(message.data, source);
      if (!parsed.ok) {
        rejected.push(deadLetter(message, parsed.error));
        continue;
      }
      records.push({ value: message.data, parsed: parsed.entry, source, rawRef: source });
      accepted.push(message);
    }

    try {
      if (records.length > 0) await publisher.publish(records);
      for (const message of accepted) message.ack();
      consecutiveFailures = 0;
      logger.debug({ messages: batch.length, published: records.length }, 'message batch acked');
    } catch (error) {
      metrics?.countError(errorTypeOf(error), labels);
      if (error instanceof ConfigError) {
        failStage(error);
        nackLater(accepted, error);
      } else if (isRetriable(error)) {
        nackLater(accepted, error);
      } else {
        await publishOneByOne(records, accepted);
      }
    }
    await Promise.all(rejected);
  };

  const flush = (): void => {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    if (gathered.length === 0) return;
    const batch = gathered;
    gathered = [];
    const task = publishBatch(batch).catch((error: unknown) => {
      // publishBatch handles Kafka errors itself; what gets here is a bug.
      for (const message of batch) message.nack();
      failStage(error);
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const onMessage = (message: Message): void => {
    if (stopping) {
      message.nack();
      return;
    }
    gathered.push(message);
    if (gathered.length >= maxBatchMessages) {
      flush();
    } else if (batchTimer === undefined) {
      batchTimer = setTimeout(flush, maxBatchWaitMs);
      batchTimer.unref();
    }
  };

  const onError = (error: Error): void => {
    metrics?.countError('dependency', labels);
    logger.error({ err: error }, 'Pub/Sub subscription failed and is not retried');
    failStage(error);
  };

  return {
    name,

    async start(context) {
      stageContext = context;
      subscription.on('message', onMessage);
      subscription.on('error', onError);
      started = true;
      logger.info(
        {
          subscription: subscription.name,
          topic: publisher.topic,
          max_batch_messages: maxBatchMessages,
        },
        'Pub/Sub subscription started',
      );
    },

    stop() {
      stopped ??= (async () => {
        stopping = true;
        flush();
        await Promise.all([...inFlight]);
        for (const [timer, messages] of delayedNacks) {
          clearTimeout(timer);
          for (const message of messages) message.nack();
        }
        delayedNacks.clear();
        subscription.removeListener('message', onMessage);
        try {
          await subscription.close();
        } finally {
          subscription.removeListener('error', onError);
          failureLog.flush();
        }
      })();
      return stopped;
    },

    health(): StageHealth {
      if (!started) return { ready: false, detail: 'not started' };
      if (stopping) return { ready: false, detail: 'stopping' };
      if (!subscription.isOpen) return { ready: false, detail: 'subscription closed' };
      return { ready: true, detail: `${inFlight.size} batches in flight` };
    },
  };
}
