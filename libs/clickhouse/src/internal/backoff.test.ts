import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  const almostOne = () => 0.999_999;

  it('doubles the ceiling per attempt', () => {
    expect(backoffDelayMs(0, { initialDelayMs: 100 }, almostOne)).toBe(99);
    expect(backoffDelayMs(1, { initialDelayMs: 100 }, almostOne)).toBe(199);
    expect(backoffDelayMs(3, { initialDelayMs: 100 }, almostOne)).toBe(799);
  });

  it('caps the delay', () => {
    expect(backoffDelayMs(40, { initialDelayMs: 100, maxDelayMs: 5_000 }, almostOne)).toBe(4_999);
  });

  it('applies full jitter', () => {
    expect(backoffDelayMs(5, {}, () => 0)).toBe(0);
    expect(backoffDelayMs(5, {}, () => 0.5)).toBe(1_600);
  });
});
