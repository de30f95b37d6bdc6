import { messageOf } from '@ciem/errors';
import { invalidOption } from './errors.js';
import type { KafkaLogger, PartitionLag } from './types.js';

/** Receives a consumer group's lag on every partition of its topics, such as a metrics gauge. */
export type LagListener = (groupId: string, lags: readonly PartitionLag[]) => void;

/** Default interval of lag reports, in milliseconds (`CIEM_KAFKA_LAG_INTERVAL_MS`). */
export const DEFAULT_LAG_INTERVAL_MS = 15_000;

/** Options of `startLagReporter`. */
export interface LagReporterOptions {
  groupId: string;
  fetchLag: () => Promise<PartitionLag[]>;
  onLag: LagListener;
  /** Time between reports, in milliseconds; at least 1000, 15 000 by default. */
  intervalMs?: number;
  logger: KafkaLogger;
}

/** Checks the `lagIntervalMs` consumer option; throws `CIEM_KAFKA_INVALID_OPTION` when invalid. */
export function checkLagInterval(intervalMs: number | undefined): number {
  const value = intervalMs ?? DEFAULT_LAG_INTERVAL_MS;
  if (!Number.isInteger(value) || value < 1000) {
    throw invalidOption('lagIntervalMs', 'an integer of at least 1000 milliseconds', intervalMs);
  }
  return value;
}

/**
 * Fetches the group's lag at once and then every `intervalMs`, and hands it to `onLag`. A
 * fetch that is still running when the next one is due is not doubled. A failed fetch or
 * listener is logged as a warning once per run of failures, then at debug level until a
 * report succeeds, and never stops the consumer. Returns the function that stops the reports.
 */
export function startLagReporter(options: LagReporterOptions): () => void {
  const { groupId, fetchLag, onLag, logger } = options;
  const intervalMs = checkLagInterval(options.intervalMs);
  let running = false;
  let failing = false;
  let stopped = false;

  const report = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    try {
      const lags = await fetchLag();
      if (!stopped) onLag(groupId, lags);
      failing = false;
    } catch (error) {
      const fields = { group: groupId, error: messageOf(error) };
      if (failing) logger.debug(fields, 'Kafka consumer lag report failed again');
      else logger.warn(fields, 'Kafka consumer lag report failed; the lag metric is stale');
      failing = true;
    } finally {
      running = false;
    }
  };

  void report();
  const timer = setInterval(() => void report(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
