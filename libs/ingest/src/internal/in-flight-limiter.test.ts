import { describe, expect, it } from 'vitest';
import { InFlightLimiter } from './in-flight-limiter.js';

describe('InFlightLimiter', () => {
  it('admits batches under both limits', async () => {
    const limiter = new InFlightLimiter(10, 100);
    await limiter.acquire(4, 40);
    await limiter.acquire(6, 60);
    expect(limiter.current).toEqual({ records: 10, bytes: 100 });
  });

  it('holds a batch until capacity returns', async () => {
    const limiter = new InFlightLimiter(10, 100);
    await limiter.acquire(8, 10);
    let admitted = false;
    const waiting = limiter.acquire(5, 10).then(() => {
      admitted = true;
    });
    await Promise.resolve();
    expect(admitted).toBe(false);

    limiter.release(8, 10);
    await waiting;
    expect(admitted).toBe(true);
    expect(limiter.current).toEqual({ records: 5, bytes: 10 });
  });

  it('holds a batch over the byte limit', async () => {
    const limiter = new InFlightLimiter(100, 100);
    await limiter.acquire(1, 90);
    let admitted = false;
    const waiting = limiter.acquire(1, 20).then(() => {
      admitted = true;
    });
    await Promise.resolve();
    expect(admitted).toBe(false);
    limiter.release(1, 90);
    await waiting;
    expect(admitted).toBe(true);
  });

  it('admits an oversized batch alone', async () => {
    const limiter = new InFlightLimiter(10, 100);
    await limiter.acquire(50, 5_000);
    expect(limiter.current).toEqual({ records: 50, bytes: 5_000 });
  });

  it('wakes waiters in arrival order', async () => {
    const limiter = new InFlightLimiter(10, 1_000);
    await limiter.acquire(10, 1);
    const order: string[] = [];
    const first = limiter.acquire(6, 1).then(() => order.push('first'));
    // The second would fit alongside the first, but must not overtake it.
    const second = limiter.acquire(4, 1).then(() => order.push('second'));
    limiter.release(10, 1);
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
