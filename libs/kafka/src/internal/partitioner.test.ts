import type { PartitionerArgs, PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { Partitioners } from './kafkajs.js';
import { CachingPartitioner } from './partitioner.js';

function metadata(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
}

function args(key: string | Buffer | null, count: number, partition?: number): PartitionerArgs {
  return {
    topic: 't',
    partitionMetadata: metadata(count),
    message: { key, value: 'v', ...(partition === undefined ? {} : { partition }) },
  };
}

describe('CachingPartitioner', () => {
  it('matches the default partitioner for string keys', () => {
    const cached = CachingPartitioner();
    const plain = Partitioners.DefaultPartitioner();
    const keys = Array.from(
      { length: 500 },
      (_, index) => `arn:aws:iam::123456789012:user/u${index}`,
    );
    for (const count of [1, 3, 12]) {
      for (let round = 0; round < 2; round++) {
        for (const key of keys) expect(cached(args(key, count))).toBe(plain(args(key, count)));
      }
    }
  });

  it('keeps explicit partitions and Buffer keys', () => {
    const cached = CachingPartitioner();
    const plain = Partitioners.DefaultPartitioner();
    expect(cached(args('k', 12, 7))).toBe(7);
    expect(cached(args(Buffer.from('k'), 12))).toBe(plain(args(Buffer.from('k'), 12)));
    expect(cached(args('k', 12))).toBe(plain(args('k', 12)));
  });

  it('spreads keyless messages over the partitions', () => {
    const cached = CachingPartitioner();
    const seen = new Set<number>();
    for (let index = 0; index < 12; index++) seen.add(cached(args(null, 4)));
    expect(seen).toEqual(new Set([0, 1, 2, 3]));
  });
});
