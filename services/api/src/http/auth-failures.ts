/** Failed authentications of one client address in the current window. */
interface FailureWindow {
  count: number;
  /** Epoch milliseconds when the window ends and the count starts again. */
  resetAt: number;
}

/** Counts failed authentications per client address in fixed windows. */
export interface AuthFailureLimiter {
  /** Returns the seconds until `address` may try again, or 0 when it is not blocked. */
  retryAfterSeconds(address: string): number;
  /** Records one failed authentication of `address`. */
  recordFailure(address: string): void;
}

/**
 * Creates the limiter of failed authentications: after `max` failures from one address
 * within `windowMs`, the address is blocked until the window ends. It limits guessing of
 * keys and tokens, which the per-caller rate limit cannot count because such requests have
 * no caller. At most `maxAddresses` addresses are tracked; when full, the expired windows
 * are dropped, and then the whole map if none had expired.
 */
export function createAuthFailureLimiter(options: {
  max: number;
  windowMs: number;
  now: () => number;
  maxAddresses?: number;
}): AuthFailureLimiter {
  const windows = new Map<string, FailureWindow>();
  const maxAddresses = options.maxAddresses ?? 10_000;

  const current = (address: string): FailureWindow | undefined => {
    const window = windows.get(address);
    if (window !== undefined && window.resetAt <= options.now()) {
      windows.delete(address);
      return undefined;
    }
    return window;
  };

  return {
    retryAfterSeconds(address) {
      const window = current(address);
      if (window === undefined || window.count < options.max) return 0;
      return Math.max(1, Math.ceil((window.resetAt - options.now()) / 1000));
    },
    recordFailure(address) {
      const window = current(address);
      if (window !== undefined) {
        window.count += 1;
        return;
      }
      if (windows.size >= maxAddresses) {
        const now = options.now();
        for (const [key, entry] of windows) if (entry.resetAt <= now) windows.delete(key);
        if (windows.size >= maxAddresses) windows.clear();
      }
      windows.set(address, { count: 1, resetAt: options.now() + options.windowMs });
    },
  };
}
