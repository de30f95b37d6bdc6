import type { Admin } from 'kafkajs';
import { KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { computeLag, fetchLagWith } from './admin.js';

describe('computeLag', () => {
  it('subtracts committed from high watermark', () => {
    const lag = computeLag(
      't',
      [
        { partition: 1, high: '120', low: '0' },
        { partition: 0, high: '100', low: '0' },
      ],
      [
        { partition: 0, offset: '40' },
        { partition: 1, offset: '120' },
      ],
    );
    expect(lag).toEqual([
      { topic: 't', partition: 0, highWatermark: '100', committedOffset: '40', lag: 60 },
      { topic: 't', partition: 1, highWatermark: '120', committedOffset: '120', lag: 0 },
    ]);
  });

  it('counts retained messages before first commit', () => {
    // Kafka reports offset -1 for a partition the group never committed.
    const lag = computeLag(
      't',
      [{ partition: 0, high: '50', low: '20' }],
      [{ partition: 0, offset: '-1' }],
    );
    expect(lag[0]?.committedOffset).toBeNull();
    expect(lag[0]?.lag).toBe(30);
  });
});

/** Creates an admin double whose group offset fetch fails `failures` times with `error`. */
function flakyAdmin(failures: number, error: Error) {
  let calls = 0;
  const admin = {
    fetchTopicOffsets: async () => [{ partition: 0, offset: '10', high: '10', low: '0' }],
    fetchOffsets: async () => {
      calls += 1;
      if (calls <= failures) throw error;
      return [{ topic: 't', partitions: [{ partition: 0, offset: '4', metadata: null }] }];
    },
  } as unknown as Admin;
  return { admin, calls: () => calls };
}

// The error kafkajs raises for Kafka error code 16, which a fresh broker returns until it
// becomes the group's coordinator.
const notCoordinator = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This is not the correct coordinator for this group'), {
      type: 'NOT_COORDINATOR',
      code: 16,
      retriable: true,
    }),
  );

describe('fetchLagWith', () => {
  const noWait = async () => {};

  it('retries a coordinator that is not ready', async () => {
    const { admin, calls } = flakyAdmin(2, notCoordinator());
    const lag = await fetchLagWith(admin, 'g', 't', noWait);
    expect(lag.map((entry) => entry.lag)).toEqual([6]);
    expect(calls()).toBe(3);
  });

  it('gives up after five attempts', async () => {
    const { admin, calls } = flakyAdmin(10, notCoordinator());
    await expect(fetchLagWith(admin, 'g', 't', noWait)).rejects.toThrow(
      /not the correct coordinator/,
    );
    expect(calls()).toBe(5);
  });

  it('fails at once on other errors', async () => {
    const { admin, calls } = flakyAdmin(1, new Error('boom'));
    await expect(fetchLagWith(admin, 'g', 't', noWait)).rejects.toThrow(/boom/);
    expect(calls()).toBe(1);
  });
});
