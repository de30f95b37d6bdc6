import { DependencyError, RejectedError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { SiemErrorCodes } from './errors.js';
import { withRetry } from './retry.js';

const fast = { initialMs: 1, maxMs: 5, multiplier: 2, jitter: 0, maxAttempts: 5, budgetMs: 10_000 };
const busy = () => new DependencyError('CIEM_SIEM_DELIVERY_FAILED', 'busy');

describe('withRetry', () => {
  it('retries retriable errors until success', async () => {
    let calls = 0;
    const result = await withRetry(
      'hec',
      async () => {
        calls += 1;
        if (calls < 3) throw busy();
        return 'done';
      },
      fast,
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('never retries a rejected request', async () => {
    let calls = 0;
    const rejected = new RejectedError('CIEM_SIEM_DELIVERY_REJECTED', 'bad token');
    await expect(
      withRetry(
        'hec',
        async () => {
          calls += 1;
          throw rejected;
        },
        fast,
      ),
    ).rejects.toBe(rejected);
    expect(calls).toBe(1);
  });

  it('gives up after max attempts', async () => {
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      throw busy();
    };
    await expect(withRetry('hec', attempt, fast)).rejects.toMatchObject({
      code: SiemErrorCodes.retriesExhausted,
    });
    expect(calls).toBe(5);
  });

  it('gives up when the budget ends', async () => {
    let calls = 0;
    const policy = { ...fast, initialMs: 50, maxMs: 50, budgetMs: 120 };
    const attempt = async () => {
      calls += 1;
      throw busy();
    };
    await expect(withRetry('hec', attempt, policy)).rejects.toMatchObject({
      code: SiemErrorCodes.retriesExhausted,
    });
    expect(calls).toBe(3);
  });

  it('waits at least Retry-After', async () => {
    const delays: number[] = [];
    let calls = 0;
    await withRetry(
      'hec',
      async () => {
        calls += 1;
        if (calls === 1) {
          throw new DependencyError('CIEM_SIEM_DELIVERY_FAILED', 'busy', { retryAfterMs: 40 });
        }
      },
      { ...fast, maxMs: 1_000 },
      { onRetry: (_error, _attempt, delayMs) => delays.push(delayMs) },
    );
    expect(delays).toEqual([40]);
  });

  it('stops retrying when stopping', async () => {
    await expect(
      withRetry('hec', async () => Promise.reject(busy()), fast, { isStopping: () => true }),
    ).rejects.toMatchObject({ code: SiemErrorCodes.deliveryInterrupted });
  });
});
