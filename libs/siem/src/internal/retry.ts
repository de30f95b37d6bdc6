import { isRetriable } from '@ciem/errors';
import { computeBackoffMs } from '@ciem/kafka';
import { deliveryInterrupted, retriesExhausted } from './errors.js';

/** Retry settings of one destination. Times in milliseconds. */
export interface RetryPolicy {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound of one delay, also of a server's Retry-After. */
  maxMs: number;
  /** Growth factor between consecutive delays. */
  multiplier: number;
  /** Fraction of each delay that is randomised, 0 to 1. */
  jitter: number;
  /** Attempts of one request, the first included, before its alerts are dead-lettered. */
  maxAttempts: number;
  /** Time from the first attempt after which no retry starts and the alerts are dead-lettered. */
  budgetMs: number;
}

export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  initialMs: 500,
  maxMs: 30_000,
  multiplier: 2,
  jitter: 0.3,
  maxAttempts: 20,
  budgetMs: 300_000,
});

/** Callbacks of a retry loop while it waits. */
export interface RetryHooks {
  /** Called after a failed attempt that will be retried, with the delay before the next one. */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** True once the caller is stopping: waits end early and the loop gives up uncommitted. */
  isStopping?(): boolean;
  /** Called about once a second while waiting (a consumer sends heartbeats there). */
  onWait?(): Promise<void>;
}

async function sleep(ms: number, hooks: RetryHooks): Promise<void> {
  const deadline = performance.now() + ms;
  while (hooks.isStopping?.() !== true) {
    const left = deadline - performance.now();
    if (left <= 0) return;
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(left, 1_000)).unref());
    await hooks.onWait?.().catch(() => {});
  }
}

/**
 * Runs `attempt` until it resolves. A retriable error (`DependencyError`) is retried with
 * capped exponential back-off and jitter, at least a server's Retry-After, while attempts and
 * the time budget last. Throws the non-retriable error as it is, `CIEM_SIEM_RETRIES_EXHAUSTED`
 * once the budget is spent, or `CIEM_SIEM_DELIVERY_INTERRUPTED` when `isStopping` turns true.
 */
export async function withRetry<T>(
  destination: string,
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
  random: () => number = Math.random,
): Promise<T> {
  const started = performance.now();
  for (let count = 1; ; count += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetriable(error)) throw error;
      const delayMs = computeBackoffMs(count - 1, policy, error, random);
      const elapsed = performance.now() - started;
      if (count >= policy.maxAttempts || elapsed + delayMs > policy.budgetMs) {
        throw retriesExhausted(destination, count, error);
      }
      if (hooks.isStopping?.() === true) throw deliveryInterrupted(destination);
      hooks.onRetry?.(error, count, delayMs);
      await sleep(delayMs, hooks);
      if (hooks.isStopping?.() === true) throw deliveryInterrupted(destination);
    }
  }
}
