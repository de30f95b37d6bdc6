import type { Alert } from '@ciem/events';
import { RejectedError } from '@ciem/errors';
import { SiemErrorCodes } from './errors.js';
import { withRetry } from './retry.js';
import type { RetryHooks, RetryPolicy } from './retry.js';

/** The result of delivering one alert to one destination. */
export type DeliveryOutcome =
  { alert: Alert; delivered: true } | { alert: Alert; delivered: false; error: unknown };

/** Callbacks of one delivery: retry reports, stop checks and latency. */
export interface DeliveryHooks extends RetryHooks {
  /** Called after each request with its duration in seconds and whether it succeeded. */
  onRequest?(seconds: number, ok: boolean, error?: unknown): void;
}

/**
 * A destination's sink. `deliver` retries what may pass and returns one outcome per alert:
 * delivered, or failed for good (to be dead-lettered). It throws only
 * `CIEM_SIEM_DELIVERY_INTERRUPTED`, when the caller stops during retries.
 */
export interface AlertSink {
  /** Destination name from the configuration. */
  readonly name: string;
  deliver(alerts: readonly Alert[], hooks?: DeliveryHooks): Promise<DeliveryOutcome[]>;
  /** Closes connections and files. Idempotent. */
  close(): Promise<void>;
}

/** The part of a sink that sends one request of alerts. */
export interface BatchSender {
  readonly name: string;
  readonly batchMaxAlerts: number;
  readonly retry: RetryPolicy;
  /** Sends one request; throws `DependencyError` to retry, anything else to fail it for good. */
  send(alerts: readonly Alert[]): Promise<void>;
}

function isInterrupted(error: unknown): boolean {
  return (
    error instanceof Error && 'code' in error && error.code === SiemErrorCodes.deliveryInterrupted
  );
}

async function sendTimed(
  sender: BatchSender,
  alerts: readonly Alert[],
  hooks: DeliveryHooks,
): Promise<void> {
  const started = performance.now();
  try {
    await sender.send(alerts);
    hooks.onRequest?.((performance.now() - started) / 1000, true);
  } catch (error) {
    hooks.onRequest?.((performance.now() - started) / 1000, false, error);
    throw error;
  }
}

/**
 * Delivers `alerts` in requests of at most `batchMaxAlerts`, each retried by `withRetry`.
 * When a destination rejects a request of several alerts for good, each alert is sent again
 * alone, so one invalid alert does not dead-letter the others.
 */
export async function deliverInBatches(
  sender: BatchSender,
  alerts: readonly Alert[],
  hooks: DeliveryHooks = {},
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  const attempt = async (batch: readonly Alert[]): Promise<void> => {
    await withRetry(sender.name, () => sendTimed(sender, batch, hooks), sender.retry, hooks);
  };

  for (let start = 0; start < alerts.length; start += sender.batchMaxAlerts) {
    const batch = alerts.slice(start, start + sender.batchMaxAlerts);
    try {
      await attempt(batch);
      for (const alert of batch) outcomes.push({ alert, delivered: true });
      continue;
    } catch (error) {
      if (isInterrupted(error)) throw error;
      if (!(error instanceof RejectedError) || batch.length === 1) {
        for (const alert of batch) outcomes.push({ alert, delivered: false, error });
        continue;
      }
    }
    for (const alert of batch) {
      try {
        await attempt([alert]);
        outcomes.push({ alert, delivered: true });
      } catch (error) {
        if (isInterrupted(error)) throw error;
        outcomes.push({ alert, delivered: false, error });
      }
    }
  }
  return outcomes;
}
