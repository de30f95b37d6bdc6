import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

/** A manual clock: `sleep` advances it instead of waiting. */
function manualClock() {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    advance: (ms: number) => {
      time += ms;
    },
    sleeps,
  };
}

describe('TokenBucket', () => {
  it('serves the burst without waiting', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2, ...clock });
    await bucket.take();
    await bucket.take();
    expect(clock.sleeps).toEqual([]);
  });

  it('paces at the configured rate', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2, ...clock });
    for (let index = 0; index < 6; index += 1) await bucket.take();
    // Two tokens at start, then one every 500 ms: four more take 2 s.
    expect(clock.now()).toBe(2_000);
    expect(clock.sleeps).toEqual([500, 500, 500, 500]);
  });

  it('refills while idle up to burst', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2, ...clock });
    await bucket.take();
    await bucket.take();
    clock.advance(10_000);
    expect(bucket.available()).toBe(2);
  });

  it('waits a full refill after drain', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2, ...clock });
    bucket.drain();
    await bucket.take();
    expect(clock.sleeps).toEqual([500]);
  });

  it('serves concurrent callers in order', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, ...clock });
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((index) => bucket.take().then(() => order.push(index))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.now()).toBe(2_000);
  });

  it('rejects a zero rate', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow(
      /CIEM_INGEST_AWS_INVALID_OPTION|ratePerSecond/,
    );
  });
});
