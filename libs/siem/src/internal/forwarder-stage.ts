import type { Alert } from '@ciem/events';
import { decodeAlert } from '@ciem/events';
import { errorCodeOf } from '@ciem/errors';
import type {
  KafkaClient,
  KafkaProducer,
  ReceivedBatch,
  ReceivedMessage,
  RunningConsumer,
} from '@ciem/kafka';
import { publishToDeadLetter } from '@ciem/kafka';
import type { Stage, StageContext, StageHealth } from '@ciem/runtime';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { stageMetrics } from '@ciem/telemetry';
import { createSink } from './create-sink.js';
import type { DestinationsConfig } from './destinations.js';
import { invalidAlert } from './errors.js';
import { createAlertForwarder } from './forwarder.js';
import type { AlertForwarder } from './forwarder.js';
import { createForwarderMetrics } from './metrics.js';

/** Name of the stage in logs, metrics and dead-letter headers. */
export const FORWARDER_STAGE = 'alert-forwarder';

/** Header of a dead-lettered alert naming the destination that failed it. */
export const DESTINATION_HEADER = 'destination';

/** Options of `createAlertForwarderStage`. Times in milliseconds. */
export interface AlertForwarderStageOptions {
  kafka: KafkaClient;
  /** Topic of the alerts, prefix included. */
  alertsTopic: string;
  /** Dead-letter topic, prefix included (`ciem.dlq`). */
  deadLetterTopic: string;
  groupId: string;
  destinations: DestinationsConfig;
  logger: Logger;
  registry: MetricsRegistry;
  sessionTimeoutMs?: number;
  /** Interval of the consumer lag reports, in milliseconds; 15 000 by default. */
  lagIntervalMs?: number;
  fromBeginning?: boolean;
}

/**
 * Creates the alert-forwarder stage: consumes Avro alerts, delivers them through the
 * forwarder and commits a batch only after every routed destination delivered or
 * dead-lettered each alert. Dead letters go to `deadLetterTopic` with the original bytes,
 * the `DEAD_LETTER_HEADERS` of `@ciem/kafka` and a `destination` header. A message that is
 * not a valid Alert is dead-lettered without that header.
 */
export function createAlertForwarderStage(options: AlertForwarderStageOptions): Stage {
  const { logger, kafka } = options;
  const metrics = stageMetrics(options.registry, FORWARDER_STAGE, { logger });
  const forwarderMetrics = createForwarderMetrics(options.registry);
  let producer: KafkaProducer | undefined;
  let consumer: RunningConsumer | undefined;
  let forwarder: AlertForwarder | undefined;
  let stopping: Promise<void> | undefined;
  let batchesDone = 0;

  // Decoded alerts of the batches in flight, with the message each came from.
  const sources = new WeakMap<
    Alert,
    { message: ReceivedMessage; topic: string; partition: number }
  >();

  const deadLetter = async (destination: string, alert: Alert, error: unknown): Promise<void> => {
    const source = sources.get(alert);
    if (source === undefined) throw new TypeError(`alert ${alert.alert_id} has no source message`);
    const { message } = source;
    await publishToDeadLetter(producer!, {
      dlqTopic: options.deadLetterTopic,
      original: {
        topic: source.topic,
        partition: source.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: { ...message.headers, [DESTINATION_HEADER]: destination },
      },
      error,
      stage: FORWARDER_STAGE,
    });
  };

  const position = (batch: ReceivedBatch, message: ReceivedMessage) =>
    ({ topic: batch.topic, partition: batch.partition, offset: message.offset }) as const;

  const handleBatch = async (
    batch: ReceivedBatch,
    control: { heartbeat(): Promise<void>; isStopping(): boolean },
  ): Promise<void> => {
    const labels = { topic: batch.topic };
    const finishTimer = metrics.startBatchTimer(labels);
    metrics.countReceived(batch.messages.length, labels);
    const sourceOf = new Map<Alert, ReceivedMessage>();
    let deadLettered = 0;

    for (const message of batch.messages) {
      const where = position(batch, message);
      try {
        if (message.value === null) throw new Error('the message has no value');
        const alert = decodeAlert(message.value);
        sourceOf.set(alert, message);
        sources.set(alert, { message, topic: batch.topic, partition: batch.partition });
      } catch (cause) {
        const error = invalidAlert(`${where.topic}/${where.partition}@${where.offset}`, cause);
        await publishToDeadLetter(producer!, {
          dlqTopic: options.deadLetterTopic,
          original: { ...where, key: message.key, value: message.value, headers: message.headers },
          error,
          stage: FORWARDER_STAGE,
        });
        deadLettered += 1;
        metrics.countError('input', labels);
        logger.warn(
          { ...where, error_code: errorCodeOf(error), err: error },
          'invalid alert dead-lettered',
        );
      }
    }

    const summary = await forwarder!.forward([...sourceOf.keys()], {
      isStopping: control.isStopping,
      onWait: control.heartbeat,
    });
    metrics.countSent(sourceOf.size, labels);
    if (deadLettered + summary.deadLettered > 0) {
      metrics.countDeadLettered(deadLettered + summary.deadLettered, labels);
    }
    batchesDone += 1;
    logger.debug(
      {
        topic: batch.topic,
        partition: batch.partition,
        alerts: sourceOf.size,
        delivered: summary.delivered,
        dead_lettered: summary.deadLettered + deadLettered,
        unrouted: summary.unrouted,
        seconds: finishTimer(),
      },
      'alert batch forwarded',
    );
  };

  return {
    name: FORWARDER_STAGE,
    async start(context: StageContext) {
      producer ??= await kafka.createProducer();
      forwarder = createAlertForwarder({
        destinations: options.destinations.destinations.map((destination) => ({
          name: destination.name,
          routes: destination.routes,
          sink: createSink(destination, options.destinations.product),
        })),
        deadLetter,
        logger,
        metrics: forwarderMetrics,
      });
      consumer = await kafka.runConsumer({
        groupId: options.groupId,
        topics: [options.alertsTopic],
        fromBeginning: options.fromBeginning ?? true,
        sessionTimeoutMs: options.sessionTimeoutMs,
        handleBatch,
        onLag: (group, lags) => metrics.setConsumerLag(group, lags),
        ...(options.lagIntervalMs === undefined ? {} : { lagIntervalMs: options.lagIntervalMs }),
      });
      consumer.done.catch((error: unknown) => {
        if (stopping === undefined) context.fail(error);
      });
    },
    stop() {
      stopping ??= (async () => {
        await consumer?.stop();
        await forwarder?.close();
        await producer?.disconnect();
        logger.info({ batches_done: batchesDone }, 'alert forwarder stopped');
      })();
      return stopping;
    },
    health(): StageHealth {
      if (consumer === undefined) return { ready: false, detail: 'not started' };
      if (stopping !== undefined) return { ready: false, detail: 'stopping' };
      return { ready: true, detail: `${batchesDone} batches done` };
    },
  };
}
