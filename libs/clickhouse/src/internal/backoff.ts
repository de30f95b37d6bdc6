/** Retry timing for retriable failures: capped exponential back-off with full jitter. */
export interface RetryOptions {
  /** Upper bound of the first delay, in milliseconds; 100 by default. */
  initialDelayMs?: number;
  /** Cap of every delay, in milliseconds; 10 000 by default. */
  maxDelayMs?: number;
  /**
   * Attempts per batch, the first one included, before its rows count as not written.
   * Unlimited by default, so a batch waits out a server outage until `close()` gives up.
   */
  maxAttempts?: number;
}

/**
 * Returns the delay before retry number `attempt` (0 for the first retry): a random value
 * between 0 and `min(maxDelayMs, initialDelayMs * 2^attempt)`. The full jitter spreads
 * writers that failed together. `random` returns values in [0, 1).
 */
export function backoffDelayMs(
  attempt: number,
  options: RetryOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 10_000;
  const ceiling = Math.min(cap, initial * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
