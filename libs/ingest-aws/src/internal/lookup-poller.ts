import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigError, DependencyError, InputError, errorTypeOf, messageOf } from '@ciem/errors';
import type { CheckpointStore, RawPublishRecord, RawPublisher } from '@ciem/ingest';
import { computeBackoffMs } from '@ciem/kafka';
import type { BackoffOptions } from '@ciem/kafka';
import type { Stage, StageContext } from '@ciem/runtime';
import { createRateLimitedLog } from '@ciem/telemetry';
import type { Logger, StageMetrics } from '@ciem/telemetry';
import { isProgrammingError, isThrottlingError } from './aws-errors.js';
import { IngestAwsErrorCodes, invalidOption } from './errors.js';
import { halveWindow, initialCheckpoint, nextWindow, settleWindow } from './lookup-window.js';
import type { LookupCheckpoint, LookupEventItem, LookupWindow } from './lookup-window.js';
import type { TokenBucket } from './token-bucket.js';

/** Options of {@link createLookupPollerStage}. Times in milliseconds. */
export interface LookupPollerOptions {
  /** A CloudTrail client of `region`; give it `maxAttempts: 1`, because this poller backs off itself. */
  client: CloudTrailClient;
  region: string;
  publisher: RawPublisher;
  store: CheckpointStore;
  /**
   * Paces LookupEvents calls. CloudTrail allows 2 requests per second per account and region,
   * so pollers of one account and region share one bucket of rate 2.
   */
  bucket: TokenBucket;
  logger: Logger;
  metrics?: StageMetrics;
  /** Checkpoint key; `lookup-<region>` by default. Give each account its own key. */
  checkpointKey?: string;
  /** Time left for events to become visible in LookupEvents before their second is read (default 10 minutes). */
  delayMs?: number;
  /** Maximum window read at once (default 5 minutes); a long backlog is read in windows this long. */
  maxWindowMs?: number;
  /** Maximum events kept of one window; a window with more is halved and read again (default 10,000). */
  maxWindowEvents?: number;
  /** Start of the first window, before now, when there is no checkpoint (default 1 hour). */
  lookbackMs?: number;
  /** Wait between polls once caught up (default 60 s). */
  intervalMs?: number;
  /** Back-off after throttling and failures. */
  backoff?: BackoffOptions;
  /** Wall clock in milliseconds since the epoch; `Date.now` by default. */
  now?: () => number;
  /** Stage name; `ingest-aws-lookup-<region>` by default. */
  name?: string;
}

/** A LookupEvents poller stage, with counts for tests and `/readyz`. */
export interface LookupPollerStage extends Stage {
  /** Windows completed, events published and throttling responses since start. */
  stats(): { windows: number; published: number; throttled: number };
}

const pageSize = 50; // the most LookupEvents returns per page (MaxResults)
const lookupBackoff: BackoffOptions = {
  initialMs: 1_000,
  maxMs: 60_000,
  multiplier: 2,
  jitter: 0.3,
};

class WindowTooLarge extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw invalidOption(name, 'an integer ≥ 0', value);
  return value;
}

/**
 * Creates a stage that polls CloudTrail LookupEvents in one region and publishes each
 * event's `CloudTrailEvent` string to the raw topic, with source `lookup:<region>` and
 * raw_ref `lookup:<region>:<EventId>`.
 *
 * LookupEvents returns the newest events first, so the poller reads a whole time window
 * (every page) before it publishes, and stores the checkpoint (see `LookupCheckpoint`) only
 * after Kafka acknowledged the window. A restart reads from the checkpoint and skips the
 * events it lists, so it repeats and misses nothing that LookupEvents showed by the time the
 * window was read. NOTE: an event that becomes visible later than `delayMs` after it happened
 * is missed; the S3 delivery path has no such limit.
 *
 * Requests go through the token bucket; a `ThrottlingException` empties the bucket and backs
 * off with jitter before the same page is asked again. Other failures back off and read the
 * window again. A bug (`TypeError`, ...) or a `ConfigError` fails the stage.
 */
export function createLookupPollerStage(options: LookupPollerOptions): LookupPollerStage {
  const { client, region, publisher, store, bucket, logger, metrics } = options;
  if (typeof region !== 'string' || region.length === 0) {
    throw invalidOption('region', 'an AWS region such as us-east-1', region);
  }
  const name = options.name ?? `ingest-aws-lookup-${region}`;
  const checkpointKey = options.checkpointKey ?? `lookup-${region}`;
  const delayMs = nonNegative('delayMs', options.delayMs, 600_000);
  const maxWindowMs = nonNegative('maxWindowMs', options.maxWindowMs, 300_000);
  const maxWindowEvents = nonNegative('maxWindowEvents', options.maxWindowEvents, 10_000);
  const lookbackMs = nonNegative('lookbackMs', options.lookbackMs, 3_600_000);
  const intervalMs = nonNegative('intervalMs', options.intervalMs, 60_000);
  if (maxWindowMs < 1000) throw invalidOption('maxWindowMs', 'at least 1000', maxWindowMs);
  const backoff = options.backoff ?? lookupBackoff;
  const now = options.now ?? Date.now;
  const source = `lookup:${region}`;
  const labels = { provider: 'aws', phase: 'lookup' };
  const failureLog = createRateLimitedLog(logger, 60_000);

  const stopController = new AbortController();
  const { signal } = stopController;
  const stats = { windows: 0, published: 0, throttled: 0 };
  let loop: Promise<void> | undefined;
  let lastError: string | undefined;

  /** Sends one LookupEvents page request, waiting for a token and backing off on throttling. */
  const fetchPage = async (window: LookupWindow, nextToken: string | undefined) => {
    let attempt = 0;
    for (;;) {
      await bucket.take();
      try {
        return await client.send(
          new LookupEventsCommand({
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            MaxResults: pageSize,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (signal.aborted || isProgrammingError(error)) throw error;
        if (!isThrottlingError(error)) throw lookupFailed(region, error);
        stats.throttled += 1;
        bucket.drain();
        const waitMs = computeBackoffMs(attempt, backoff);
        attempt += 1;
        failureLog.log({ region, wait_ms: waitMs }, 'LookupEvents throttled; backing off');
        await sleep(waitMs, signal);
        if (signal.aborted) throw error;
      }
    }
  };

  /** Reads every page of a window, or throws WindowTooLarge past `maxWindowEvents`. */
  const readWindow = async (window: LookupWindow): Promise<LookupEventItem[]> => {
    const events: LookupEventItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await fetchPage(window, nextToken);
      for (const event of page.Events ?? []) {
        if (event.EventId === undefined || event.EventTime === undefined) continue;
        events.push({
          eventId: event.EventId,
          eventTime: event.EventTime.getTime(),
          cloudTrailEvent: event.CloudTrailEvent,
        });
      }
      if (events.length > maxWindowEvents && window.end - window.start > 1000) {
        throw new WindowTooLarge();
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined && nextToken.length > 0 && !signal.aborted);
    return events;
  };

  const publishEvents = async (events: readonly LookupEventItem[]): Promise<void> => {
    const records: RawPublishRecord[] = [];
    for (const event of events) {
      const rawRef = `${source}:${event.eventId}`;
      let parsed: unknown;
      try {
        parsed =
          event.cloudTrailEvent === undefined ? undefined : JSON.parse(event.cloudTrailEvent);
      } catch {
        parsed = undefined;
      }
      if (event.cloudTrailEvent === undefined || typeof parsed !== 'object' || parsed === null) {
        await publisher.deadLetter({
          value: event.cloudTrailEvent ?? null,
          source,
          rawRef,
          error: new InputError(
            IngestAwsErrorCodes.invalidLookupEvent,
            `LookupEvents item ${event.eventId} in ${region} has no CloudTrailEvent JSON object; received ${event.cloudTrailEvent === undefined ? 'nothing' : 'invalid JSON'}. Read the event from the trail's S3 delivery instead.`,
            { details: { raw_ref: rawRef } },
          ),
        });
        continue;
      }
      records.push({ value: event.cloudTrailEvent, parsed, source, rawRef });
    }
    await publisher.publish(records);
  };

  /** Reads, publishes and checkpoints one window; returns false when caught up. */
  const pollOnce = async (): Promise<boolean> => {
    const checkpoint =
      (await store.load<LookupCheckpoint>(checkpointKey)) ?? initialCheckpoint(now(), lookbackMs);
    let window = nextWindow(checkpoint, now(), { delayMs, maxWindowMs });
    if (window === undefined) return false;

    let events: LookupEventItem[] | undefined;
    while (events === undefined) {
      try {
        events = await readWindow(window);
      } catch (error) {
        if (!(error instanceof WindowTooLarge)) throw error;
        window = halveWindow(window);
      }
    }
    if (signal.aborted) return false;

    const { publish, next } = settleWindow(checkpoint, window, events);
    await publishEvents(publish);
    await store.save(checkpointKey, next);
    stats.windows += 1;
    stats.published += publish.length;
    logger.debug(
      {
        region,
        start: new Date(window.start).toISOString(),
        end: new Date(window.end).toISOString(),
        events: publish.length,
      },
      'LookupEvents window published',
    );
    return true;
  };

  const run = async (context: StageContext): Promise<void> => {
    let attempt = 0;
    while (!signal.aborted) {
      let more: boolean;
      try {
        more = await pollOnce();
        attempt = 0;
        lastError = undefined;
      } catch (error) {
        if (signal.aborted) break;
        if (isProgrammingError(error) || error instanceof ConfigError) {
          context.fail(error);
          return;
        }
        lastError = messageOf(error);
        metrics?.countError(errorTypeOf(error), labels);
        const waitMs = computeBackoffMs(attempt, backoff, error);
        attempt += 1;
        failureLog.log(
          { region, wait_ms: waitMs, err: lastError },
          'LookupEvents poll failed; the window is read again after a back-off',
        );
        await sleep(waitMs, signal);
        continue;
      }
      if (!more) await sleep(intervalMs, signal);
    }
  };

  return {
    name,
    async start(context) {
      logger.info(
        { region, checkpoint_key: checkpointKey, delay_ms: delayMs },
        'LookupEvents poller started',
      );
      loop = run(context).catch((error: unknown) => context.fail(error));
    },
    async stop() {
      stopController.abort();
      await loop;
      logger.info({ region, ...stats }, 'LookupEvents poller stopped');
    },
    health() {
      if (lastError !== undefined)
        return { ready: false, detail: `LookupEvents failed: ${lastError}` };
      return { ready: true };
    },
    stats: () => ({ ...stats }),
  };
}

/** Wraps a LookupEvents failure in a coded error. */
function lookupFailed(region: string, error: unknown): DependencyError {
  return new DependencyError(
    IngestAwsErrorCodes.lookupFailed,
    `LookupEvents in ${region} failed: ${messageOf(error)}`,
    { cause: error, details: { region } },
  );
}
