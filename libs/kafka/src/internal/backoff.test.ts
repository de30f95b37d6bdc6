import { DependencyError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { computeBackoffMs } from './backoff.js';

const noJitter = { initialMs: 100, maxMs: 1_000, multiplier: 2, jitter: 0 };

describe('computeBackoffMs', () => {
  it('doubles from the initial delay', () => {
    expect(computeBackoffMs(0, noJitter)).toBe(100);
    expect(computeBackoffMs(1, noJitter)).toBe(200);
    expect(computeBackoffMs(2, noJitter)).toBe(400);
    expect(computeBackoffMs(3, noJitter)).toBe(800);
  });

  it('caps the delay at maxMs', () => {
    expect(computeBackoffMs(4, noJitter)).toBe(1_000);
    expect(computeBackoffMs(60, noJitter)).toBe(1_000);
  });

  it('jitter lowers delay within its fraction', () => {
    const options = { ...noJitter, jitter: 0.5 };
    // random() = 0 keeps the full delay; values near 1 remove up to half of it.
    expect(computeBackoffMs(1, options, undefined, () => 0)).toBe(200);
    expect(computeBackoffMs(1, options, undefined, () => 0.999_999)).toBe(100);
    expect(computeBackoffMs(1, options, undefined, () => 0.5)).toBe(150);
  });

  it('honours retryAfterMs up to the cap', () => {
    const slowDown = new DependencyError('CIEM_TEST_BUSY', 'busy', { retryAfterMs: 700 });
    expect(computeBackoffMs(0, noJitter, slowDown)).toBe(700);
    const tooLong = new DependencyError('CIEM_TEST_BUSY', 'busy', { retryAfterMs: 60_000 });
    expect(computeBackoffMs(0, noJitter, tooLong)).toBe(1_000);
  });

  it('treats negative attempts as the first', () => {
    expect(computeBackoffMs(-3, noJitter)).toBe(100);
  });
});
