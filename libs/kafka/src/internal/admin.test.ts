import { describe, expect, it } from 'vitest';
import { computeLag } from './admin.js';

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
