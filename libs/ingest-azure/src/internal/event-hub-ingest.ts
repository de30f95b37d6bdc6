import { setTimeout as sleep } from 'node:timers/promises';
import type { PartitionContext, ReceivedEventData, Subscription } from '@azure/event-hubs';
import { earliestEventPosition, latestEventPosition } from '@azure/event-hubs';
import { ConfigError, errorCodeOf, errorTypeOf, isRetriable, messageOf } from '@ciem/errors';
import { ingestRecords } from '@ciem/ingest';
import type { RawPublisher } from '@ciem/ingest';
import { computeBackoffMs, defaultBackoff } from '@ciem/kafka';
import type { BackoffOptions } from '@ciem/kafka';
import type { Stage, StageContext, StageHealth } from '@ciem/runtime';
import { createRateLimitedLog, stageMetrics } from '@ciem/telemetry';
import type { Logger, MetricsRegistry, StageMetrics } from '@ciem/telemetry';
import { lastOfCompletedPrefix } from './completed-prefix.js';
import { invalidOption } from './errors.js';
import { eventBodyBytes, eventSource, readEventRecords } from './event-body.js';
import type { EventHubSubscriber } from './event-hub-port.js';

/** Start position of a partition that has no checkpoint yet. */
export type StartPosition = 'earliest' | 'latest';

/** Options of {@link createEventHubIngestStage}. */
export interface EventHubIngestOptions {
  /** An `EventHubConsumerClient` built with a checkpoint store, or the in-memory fake. */
  client: EventHubSubscriber;
  /** Publisher of the `azure` raw topic; the caller closes it after the stage stopped. */
  publisher: RawPublisher;
  logger: Logger;
  /** Registry of the stage's error counters; the publisher counts the records itself. */
  metrics?: MetricsRegistry;
  /** Stage name in logs, metrics and `/readyz`; `ingest-azure` by default. */
  name?: string;
  /** Most events handed to one `processEvents` call (default 100). */
  maxBatchSize?: number;
  /** Seconds the SDK waits to fill a batch before it hands over a smaller one (default 5). */
  maxWaitTimeInSeconds?: number;
  /** Start of a partition that has no checkpoint yet (default `earliest`, so nothing retained is skipped). */
  startPosition?: StartPosition;
  /** Largest record kept, in bytes; larger records are dead-lettered (default that of `readRecords`). */
  maxRecordBytes?: number;
  /** Back-off between retries of an event whose records Kafka did not acknowledge. */
  backoff?: BackoffOptions;
}

type Outcome = 'done' | 'stopped';

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalidOption(name, 'a positive integer', value);
  return value;
}

/**
 * Creates the stage that reads Azure Activity Log records from Event Hubs into the raw topic.
 *
 * Each event body (`{"records":[...]}`, one record, JSON Lines or an array; see
 * `readEventRecords`) is split into records, which go to the raw topic with the key of their
 * subscription and the `source` header `eventhub:<partition>/<sequence>`. Records that cannot
 * be read go to the dead-letter topic. A partition's checkpoint moves to an event only after
 * Kafka acknowledged every record of it and of every earlier event of that partition, so a
 * restart repeats at most the events that were not yet acknowledged.
 *
 * A Kafka failure that may pass (`DependencyError`) retries the event with capped back-off
 * until it succeeds or the stage stops; the retry publishes the whole event again, so records
 * acknowledged before the failure can appear twice. A record Kafka rejects for good, or an
 * unexpected error, dead-letters the whole event body. A `ConfigError` (such as missing
 * authorization) fails the stage.
 *
 * `stop` stops retries, waits for the batches in flight, checkpoints the events acknowledged
 * so far and closes the client. Throws `ConfigError` `CIEM_INGEST_AZURE_INVALID_OPTION` for
 * invalid options.
 */
export function createEventHubIngestStage(options: EventHubIngestOptions): Stage {
  const { client, publisher } = options;
  const name = options.name ?? 'ingest-azure';
  const maxBatchSize = positiveInteger('maxBatchSize', options.maxBatchSize, 100);
  const maxWaitTimeInSeconds = positiveInteger(
    'maxWaitTimeInSeconds',
    options.maxWaitTimeInSeconds,
    5,
  );
  const startPosition = options.startPosition ?? 'earliest';
  if (startPosition !== 'earliest' && startPosition !== 'latest') {
    throw invalidOption('startPosition', 'earliest or latest', startPosition);
  }
  const backoff = options.backoff ?? defaultBackoff;
  const logger = options.logger;
  const metrics: StageMetrics | undefined =
    options.metrics === undefined ? undefined : stageMetrics(options.metrics, name, { logger });
  const labels = { provider: 'azure', topic: publisher.topic };
  const retryLog = createRateLimitedLog(logger, 30_000);
  const receiveErrorLog = createRateLimitedLog(logger, 30_000);

  const stopping = new AbortController();
  let subscription: Subscription | undefined;
  let stageContext: StageContext | undefined;
  const partitions = new Set<string>();
  let stopped: Promise<void> | undefined;

  /** Runs `action` until it succeeds, retrying retriable errors with back-off until the stage stops. */
  const retryUntilDone = async (
    action: () => Promise<unknown>,
    fields: Record<string, unknown>,
  ): Promise<Outcome> => {
    for (let attempt = 0; ; attempt += 1) {
      if (stopping.signal.aborted) return 'stopped';
      try {
        await action();
        return 'done';
      } catch (error) {
        if (!isRetriable(error)) throw error;
        metrics?.countError(errorTypeOf(error), labels);
        const delayMs = computeBackoffMs(attempt, backoff, error);
        retryLog.log(
          { ...fields, err: error, attempt: attempt + 1, delay_ms: delayMs },
          'publishing an event to Kafka failed; retrying',
        );
        try {
          await sleep(delayMs, undefined, { signal: stopping.signal });
        } catch {
          return 'stopped';
        }
      }
    }
  };

  /** Publishes the records of one event, or dead-letters the event; resolves once Kafka acknowledged. */
  const ingestEvent = async (event: ReceivedEventData, partitionId: string): Promise<Outcome> => {
    const source = eventSource(partitionId, event.sequenceNumber);
    const fields = { partition: partitionId, sequence_number: event.sequenceNumber, source };
    const bytes = eventBodyBytes(event.body, source);
    const publishEvent = (): Promise<unknown> =>
      bytes instanceof Error
        ? publisher.deadLetter({ value: null, source, rawRef: source, error: bytes })
        : ingestRecords({
            records: readEventRecords(bytes, source, options.maxRecordBytes),
            source,
            publisher,
          });

    let failure: unknown;
    try {
      return await retryUntilDone(publishEvent, fields);
    } catch (error) {
      failure = error;
    }
    if (failure instanceof ConfigError) throw failure;

    // Kafka rejected a record for good, or a bug surfaced: the event goes to the dead-letter
    // topic whole, so its records are not lost and the partition moves on.
    metrics?.countError(errorTypeOf(failure), labels);
    logger.warn(
      { ...fields, err: failure, error_code: errorCodeOf(failure) },
      'event could not be published; dead-lettering its body',
    );
    return retryUntilDone(
      () =>
        publisher.deadLetter({
          value: bytes instanceof Error ? null : bytes,
          source,
          rawRef: source,
          error: failure,
        }),
      fields,
    );
  };

  const processEvents = async (
    events: ReceivedEventData[],
    context: PartitionContext,
  ): Promise<void> => {
    if (events.length === 0) return;
    const partitionId = context.partitionId;
    const completed = events.map(() => false);
    const started = performance.now();

    const results = await Promise.allSettled(
      events.map(async (event, index) => {
        completed[index] = (await ingestEvent(event, partitionId)) === 'done';
      }),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      // Only a ConfigError gets here: waiting will not fix it, so the service stops with the
      // events acknowledged so far checkpointed below.
      stopping.abort();
      stageContext?.fail(failed.reason);
    }

    const last = lastOfCompletedPrefix(completed);
    logger.debug(
      {
        partition: partitionId,
        events: events.length,
        events_done: last + 1,
        first_sequence_number: events[0]?.sequenceNumber,
        last_sequence_number: events.at(-1)?.sequenceNumber,
        duration_ms: Math.round(performance.now() - started),
      },
      'event batch processed',
    );
    const checkpointEvent = events[last];
    if (checkpointEvent === undefined) return;
    try {
      await context.updateCheckpoint(checkpointEvent);
    } catch (error) {
      // The records are on Kafka; a later batch's checkpoint covers this one, and a restart
      // before it repeats these events.
      metrics?.countError(errorTypeOf(error), labels);
      logger.warn(
        { partition: partitionId, sequence_number: checkpointEvent.sequenceNumber, err: error },
        'checkpoint update failed; a restart repeats the events after the previous checkpoint',
      );
    }
  };

  return {
    name,

    async start(context) {
      stageContext = context;
      subscription = client.subscribe(
        {
          processEvents,
          processError: async (error, partitionContext) => {
            metrics?.countError('dependency', labels);
            receiveErrorLog.log(
              {
                partition: partitionContext.partitionId,
                error_code: (error as { code?: unknown }).code,
                err: { message: messageOf(error), name: error.name },
              },
              'receiving from Event Hubs failed; the SDK retries',
            );
          },
          processInitialize: async (partitionContext) => {
            partitions.add(partitionContext.partitionId);
            logger.info({ partition: partitionContext.partitionId }, 'partition claimed');
          },
          processClose: async (reason, partitionContext) => {
            partitions.delete(partitionContext.partitionId);
            logger.info({ partition: partitionContext.partitionId, reason }, 'partition closed');
          },
        },
        {
          maxBatchSize,
          maxWaitTimeInSeconds,
          // Keeps bodies as the bytes the sender wrote, so records reach Kafka unchanged.
          skipParsingBodyAsJson: true,
          startPosition: startPosition === 'earliest' ? earliestEventPosition : latestEventPosition,
        },
      );
      logger.info(
        { max_batch_size: maxBatchSize, start_position: startPosition, topic: publisher.topic },
        'Event Hubs subscription started',
      );
    },

    stop() {
      stopped ??= (async () => {
        stopping.abort();
        try {
          await subscription?.close();
        } finally {
          await client.close();
          retryLog.flush();
          receiveErrorLog.flush();
        }
      })();
      return stopped;
    },

    health(): StageHealth {
      if (subscription === undefined) return { ready: false, detail: 'not started' };
      if (stopping.signal.aborted) return { ready: false, detail: 'stopping' };
      if (!subscription.isRunning) return { ready: false, detail: 'subscription not running' };
      return { ready: true, detail: `${partitions.size} partitions claimed` };
    },
  };
}
