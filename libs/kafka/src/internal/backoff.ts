import { DependencyError } from '@ciem/errors';

/** Settings of a capped exponential back-off. All times are in milliseconds. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound of any single delay. */
  maxMs: number;
  /** Growth factor between consecutive delays. */
  multiplier: number;
  /**
   * Fraction of the delay that is randomised, from 0 (none) to 1 (anywhere from 0 to the
   * delay). Jitter spreads the retries of many consumers so they do not hit a broker at once.
   */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = {
  initialMs: 250,
  maxMs: 10_000,
  multiplier: 2,
  jitter: 0.3,
};

/**
 * Computes the delay before retry number `attempt` (0 for the first retry): the capped
 * exponential `min(maxMs, initialMs * multiplier^attempt)`, lowered by up to `jitter` of
 * itself. A `DependencyError` carrying `retryAfterMs` (a server's Retry-After) raises the
 * delay to at least that value, still capped at `maxMs`. `random` returns values in [0, 1).
 */
export function computeBackoffMs(
  attempt: number,
  options: BackoffOptions = defaultBackoff,
  error?: unknown,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(attempt));
  const capped = Math.min(options.maxMs, options.initialMs * options.multiplier ** exponent);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  let delay = capped * (1 - jitter * random());
  if (error instanceof DependencyError && error.retryAfterMs !== undefined) {
    delay = Math.max(delay, Math.min(options.maxMs, error.retryAfterMs));
  }
  return Math.round(delay);
}

/**
 * Waits `ms`, calling `onTick` every `tickMs` (consumers send heartbeats there), and returns
 * early once `shouldStop` returns true. The timer is unreferenced so a wait never keeps the
 * process alive.
 */
export async function waitInterruptibly(
  ms: number,
  shouldStop: () => boolean,
  onTick: () => Promise<void> = async () => {},
  tickMs = 1_000,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!shouldStop()) {
    const left = deadline - performance.now();
    if (left <= 0) return;
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(left, tickMs)).unref());
    await onTick();
  }
}
