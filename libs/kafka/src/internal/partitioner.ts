import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import { Partitioners } from './kafkajs.js';

/** Keys remembered per partition count before the cache starts afresh. */
const MAX_CACHED_KEYS = 100_000;

/**
 * Creates kafkajs' default partitioner (murmur2 of the key, as the Java client does, or
 * round-robin without a key) with a cache of the partition of each string key. The stages
 * key events by principal, so a batch repeats a few thousand keys. Hashing every message
 * (murmur2 in JavaScript, plus a filtered copy of the partition list) was a visible share
 * of a producing stage's CPU. The partition of a key depends only on the key and the
 * topic's partition count, so cached partitions are exact.
 */
export const CachingPartitioner: ICustomPartitioner = () => {
  const partitionOf = Partitioners.DefaultPartitioner();
  const byPartitionCount = new Map<number, Map<string, number>>();
  return (args: PartitionerArgs) => {
    const { message, partitionMetadata } = args;
    if (typeof message.key !== 'string' || (message.partition ?? null) !== null) {
      return partitionOf(args);
    }
    let cache = byPartitionCount.get(partitionMetadata.length);
    if (cache === undefined) {
      cache = new Map();
      byPartitionCount.set(partitionMetadata.length, cache);
    }
    let partition = cache.get(message.key);
    if (partition === undefined) {
      partition = partitionOf(args);
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      cache.set(message.key, partition);
    }
    return partition;
  };
};
