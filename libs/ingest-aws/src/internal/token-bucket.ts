import { invalidOption } from './errors.js';

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Most tokens kept; also the tokens at start. */
  burst: number;
  /** Monotonic clock in milliseconds; `performance.now` by default. */
  now?: () => number;
  /** Waits `ms` milliseconds; a timer by default. */
  sleep?: (ms: number) => Promise<void>;
}

const timerSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * A token bucket that paces requests to an API rate limit. `take` resolves when a token is
 * available; callers are served in call order.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw invalidOption('ratePerSecond', 'a positive number', options.ratePerSecond);
    }
    if (!(options.burst >= 1) || !Number.isFinite(options.burst)) {
      throw invalidOption('burst', 'a number of at least 1', options.burst);
    }
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? timerSleep;
    this.tokens = options.burst;
    this.updatedAt = this.now();
  }

  /** Tokens available now, refilled up to `burst`. */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Resolves once a token was taken, waiting for the refill when the bucket is empty. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn.catch(() => {});
    return turn;
  }

  /**
   * Empties the bucket, so the next request waits a full refill. Call it after a throttling
   * error, which means another client spent the shared limit.
   */
  drain(): void {
    this.refill();
    this.tokens = 0;
  }

  private async takeNow(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = ((1 - this.tokens) / this.options.ratePerSecond) * 1000;
      await this.sleep(Math.ceil(waitMs));
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(
      this.options.burst,
      this.tokens + elapsedSeconds * this.options.ratePerSecond,
    );
    this.updatedAt = now;
  }
}
