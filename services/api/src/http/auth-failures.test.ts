import { describe, expect, it } from 'vitest';
import { createAuthFailureLimiter } from './auth-failures.js';

describe('createAuthFailureLimiter', () => {
  it('blocks after max failures', () => {
    let now = 1_000_000;
    const limiter = createAuthFailureLimiter({ max: 2, windowMs: 60_000, now: () => now });
    limiter.recordFailure('192.0.2.1');
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
    limiter.recordFailure('192.0.2.1');
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(60);
    now += 59_500;
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(1);
  });

  it('counts addresses apart', () => {
    const limiter = createAuthFailureLimiter({ max: 1, windowMs: 60_000, now: () => 0 });
    limiter.recordFailure('192.0.2.1');
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(60);
    expect(limiter.retryAfterSeconds('192.0.2.2')).toBe(0);
  });

  it('unblocks when the window ends', () => {
    let now = 0;
    const limiter = createAuthFailureLimiter({ max: 1, windowMs: 1_000, now: () => now });
    limiter.recordFailure('192.0.2.1');
    now = 1_000;
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
  });

  it('bounds the tracked addresses', () => {
    const limiter = createAuthFailureLimiter({
      max: 1,
      windowMs: 60_000,
      now: () => 0,
      maxAddresses: 2,
    });
    limiter.recordFailure('192.0.2.1');
    limiter.recordFailure('192.0.2.2');
    limiter.recordFailure('192.0.2.3');
    // The map was full of live windows, so it was cleared before the third address.
    expect(limiter.retryAfterSeconds('192.0.2.1')).toBe(0);
    expect(limiter.retryAfterSeconds('192.0.2.3')).toBe(60);
  });
});
