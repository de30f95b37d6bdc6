import type {
  AnomalyEngine,
  AnomalyOptions,
  GeoLookup,
  UnusedPermissionEntry,
} from '@ciem/anomaly';
import { createAnomalyEngine, createUnusedPermissionIndex, processEvents } from '@ciem/anomaly';
import type { ClickHouse } from '@ciem/clickhouse';
import { DependencyError, InputError, errorTypeOf } from '@ciem/errors';
import type { NormalizedEvent } from '@ciem/events';
import { decodeNormalizedEvent, encodeAlert } from '@ciem/events';
import type {
  KafkaClient,
  KafkaProducer,
  ReceivedBatch,
  RunningConsumer,
  TopicNames,
} from '@ciem/kafka';
import { publishToDeadLetter } from '@ciem/kafka';
import type { Stage, StageContext, StageHealth } from '@ciem/runtime';
import { injectProducerSpan, recordSpanFailure, startMessageSpan } from '@ciem/telemetry';
import type { Logger, MessageSpan, StageMetrics } from '@ciem/telemetry';
import { ALERT_COLUMNS, toAlertRow } from './alert-row.js';
import type { AnomalyCheckpointStore } from './anomaly-checkpoint-store.js';

/** Name of the stage in logs, metrics, `/readyz` and the `stage` dead-letter header. */
export const ANOMALY_STAGE = 'analyzer-anomaly';

/** Options of {@link createAnomalyStage}. Times in milliseconds. */
export interface AnomalyStageOptions {
  kafka: KafkaClient;
  topics: TopicNames;
  groupId: string;
  clickhouse: ClickHouse;
  /** Database holding `alerts`; migrations must have run. */
  database: string;
  checkpoints: AnomalyCheckpointStore;
  /** Minimum time between two checkpoint writes of one partition; 0 writes after every batch. */
  checkpointIntervalMs: number;
  engine: AnomalyOptions;
  /** Loads the GeoIP port at start; without it only network novelty is checked. */
  loadGeo?: () => Promise<GeoLookup>;
  /**
   * Reads the latest unused permissions per principal from right-sizing, at start and then
   * every `unusedRefreshMs`; without it the `unused-high-risk-permission` rule never fires.
   */
  loadUnused?: () => Promise<UnusedPermissionEntry[]>;
  /** Time between two reads of `loadUnused`; default 15 minutes. */
  unusedRefreshMs?: number;
  logger: Logger;
  metrics: StageMetrics;
  sessionTimeoutMs?: number;
  /** Interval of the consumer lag reports, in milliseconds; 15 000 by default. */
  lagIntervalMs?: number;
  /** Clock for checkpoint timing; `Date.now` by default. */
  now?: () => number;
}

interface PartitionState {
  engine: AnomalyEngine;
  /** Offset of the last message applied to the engine, or null before the first. */
  appliedOffset: bigint | null;
  savedAt: number;
}

/**
 * Creates the anomaly stage: a consumer of the normalized topic (partitioned by principal, so
 * each principal's baseline lives in one partition's engine) that produces Avro alerts to the
 * alerts topic, keyed by dedupe key, and inserts them into `alerts`. A batch's offsets are
 * committed only after both sinks acknowledged. The engine of a partition is restored from
 * its checkpoint file when the partition's first batch arrives, and messages at or below the
 * checkpoint's offset are skipped, so a restart neither repeats nor loses detections.
 *
 * NOTE: checkpoints are written at most every `checkpointIntervalMs` and on stop. After a
 * crash the baseline updates of the committed batches since the last checkpoint are lost.
 * No alert is repeated, but a first use in that gap can alert again. A partition that moves
 * to another instance is restored there from the same folder only when the instances share
 * it (one machine); otherwise its baselines start empty and warm up again.
 */
export function createAnomalyStage(options: AnomalyStageOptions): Stage {
  const { logger, metrics, topics, checkpoints } = options;
  const now = options.now ?? Date.now;
  const partitions = new Map<number, PartitionState>();
  let producer: KafkaProducer | undefined;
  let consumer: RunningConsumer | undefined;
  let ready = false;
  let engineOptions = options.engine;
  const unused = createUnusedPermissionIndex();
  let unusedTimer: NodeJS.Timeout | undefined;

  const refreshUnused = async (): Promise<void> => {
    if (options.loadUnused === undefined) return;
    try {
      const kept = unused.replace(await options.loadUnused());
      logger.info({ permissions: kept }, 'unused high-risk permissions refreshed');
    } catch (error) {
      // The previous index stays in use; the next refresh tries again.
      metrics.countError(errorTypeOf(error), { topic: 'recommendations' });
      logger.warn({ err: error }, 'unused high-risk permissions not refreshed');
    }
  };

  const partitionState = async (partition: number): Promise<PartitionState> => {
    const existing = partitions.get(partition);
    if (existing !== undefined) return existing;
    const saved = await checkpoints.load(topics.eventsNormalized, partition);
    const state: PartitionState = {
      engine: createAnomalyEngine(engineOptions, saved?.state),
      appliedOffset: saved === undefined ? null : BigInt(saved.offset),
      savedAt: now(),
    };
    logger.info(
      { topic: topics.eventsNormalized, partition, offset: saved?.offset ?? null },
      saved === undefined ? 'anomaly baselines start empty' : 'anomaly baselines restored',
    );
    partitions.set(partition, state);
    return state;
  };

  const save = async (partition: number, state: PartitionState): Promise<void> => {
    if (state.appliedOffset === null) return;
    await checkpoints.save(topics.eventsNormalized, partition, {
      offset: state.appliedOffset.toString(),
      state: state.engine.checkpoint(),
    });
    state.savedAt = now();
  };

  const handleBatch = async (batch: ReceivedBatch): Promise<void> => {
    if (producer === undefined) {
      throw new DependencyError(
        'CIEM_ANOMALY_STAGE_NOT_READY',
        `analyzer-anomaly received a batch of ${batch.topic} before it was ready; it is delivered again`,
      );
    }
    const labels = { topic: batch.topic };
    const finishTimer = metrics.startBatchTimer(labels);
    metrics.countReceived(batch.messages.length, labels);
    const state = await partitionState(batch.partition);

    const events: NormalizedEvent[] = [];
    // Each event's span continues the trace its headers carry; alerts are published under
    // the span of their latest evidence event.
    const spans: Array<MessageSpan['span']> = [];
    const traceContextByEvent = new Map<string, MessageSpan['context']>();
    let lastOffset = state.appliedOffset;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (state.appliedOffset !== null && offset <= state.appliedOffset) continue;
      lastOffset = offset;
      const traced = startMessageSpan('analyze event', message.headers, {
        'messaging.system': 'kafka',
        'messaging.destination.name': batch.topic,
        'messaging.kafka.partition': batch.partition,
        'messaging.kafka.offset': message.offset,
      });
      spans.push(traced.span);
      try {
        if (message.value === null) throw new Error('message has no value');
        const event = decodeNormalizedEvent(message.value);
        events.push(event);
        traceContextByEvent.set(event.event_id, traced.context);
      } catch (cause) {
        const error = new InputError(
          'CIEM_ANOMALY_UNDECODABLE_EVENT',
          `Message at ${batch.topic}/${batch.partition}@${message.offset} is not an Avro NormalizedEvent: ${(cause as Error).message}. It is dead-lettered; check the producer of the topic.`,
          { cause },
        );
        recordSpanFailure(traced.span, error);
        await publishToDeadLetter(producer, {
          dlqTopic: topics.deadLetter,
          stage: ANOMALY_STAGE,
          error,
          original: { ...message, topic: batch.topic, partition: batch.partition },
        });
        metrics.countDeadLettered(1, labels);
        metrics.countError(errorTypeOf(error), labels);
        logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset, err: error },
          'event dead-lettered',
        );
      }
    }

    const alerts = processEvents(state.engine, events);
    const traceContextOf = (evidence: readonly string[]): MessageSpan['context'] | undefined => {
      for (let index = evidence.length - 1; index >= 0; index -= 1) {
        const found = traceContextByEvent.get(evidence[index] as string);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    try {
      if (alerts.length > 0) {
        await producer.send(
          topics.alerts,
          alerts.map((alert) => ({
            key: alert.dedupe_key,
            value: encodeAlert(alert),
            headers: injectProducerSpan(
              {},
              'publish alert',
              { 'alert.id': alert.alert_id, 'alert.rule_id': alert.rule_id },
              traceContextOf(alert.evidence_event_ids),
            ),
          })),
        );
        await options.clickhouse.insert(`${options.database}.alerts`, alerts.map(toAlertRow), {
          columns: ALERT_COLUMNS,
        });
      }
      state.appliedOffset = lastOffset;
      if (now() - state.savedAt >= options.checkpointIntervalMs) await save(batch.partition, state);
    } catch (error) {
      // The engine already contains this batch, so it is dropped and rebuilt from the checkpoint
      // when the batch is delivered again.
      partitions.delete(batch.partition);
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
    metrics.countSent(alerts.length, { topic: topics.alerts });
    finishTimer();
    logger.debug(
      {
        topic: batch.topic,
        partition: batch.partition,
        events: events.length,
        alerts: alerts.length,
      },
      'batch analyzed',
    );
  };

  return {
    name: ANOMALY_STAGE,
    async start(context: StageContext) {
      if (options.loadGeo !== undefined) {
        engineOptions = { ...engineOptions, geo: await options.loadGeo() };
        logger.info({}, 'GeoIP country data loaded');
      }
      if (options.loadUnused !== undefined) {
        engineOptions = { ...engineOptions, isMarkedUnused: unused.lookup };
        await refreshUnused();
        const interval = options.unusedRefreshMs ?? 900_000;
        unusedTimer = setInterval(() => void refreshUnused(), interval);
        unusedTimer.unref();
      }
      producer = await options.kafka.createProducer();
      consumer = await options.kafka.runConsumer({
        groupId: options.groupId,
        topics: [topics.eventsNormalized],
        fromBeginning: true,
        handleBatch,
        onLag: (group, lags) => metrics.setConsumerLag(group, lags),
        ...(options.sessionTimeoutMs === undefined
          ? {}
          : { sessionTimeoutMs: options.sessionTimeoutMs }),
        ...(options.lagIntervalMs === undefined ? {} : { lagIntervalMs: options.lagIntervalMs }),
      });
      ready = true;
      consumer.done.catch((error: unknown) => context.fail(error));
    },
    async stop() {
      ready = false;
      clearInterval(unusedTimer);
      await consumer?.stop();
      for (const [partition, state] of partitions) {
        try {
          await save(partition, state);
        } catch (error) {
          logger.error({ partition, err: error }, 'anomaly checkpoint not saved at stop');
        }
      }
      await producer?.disconnect();
    },
    health(): StageHealth {
      return ready
        ? { ready: true, detail: `${partitions.size} partitions` }
        : { ready: false, detail: 'not started' };
    },
  };
}
