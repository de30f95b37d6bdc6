import { messageOf } from '@ciem/errors';

/** A consumer group and a topic it reads. */
export interface GroupTopic {
  group: string;
  topic: string;
}

/** Lag of one partition, as `fetchLag` of `@ciem/kafka` returns it. */
export interface PartitionLagLike {
  partition: number;
  lag: number;
  committedOffset: string | null;
  highWatermark: string;
}

/** Lag of one group on one topic; `error` is set, and the numbers are null, when it could not be read. */
export interface GroupTopicLag {
  group: string;
  topic: string;
  /** Messages not yet read, summed over partitions. */
  total_lag: number | null;
  partitions: {
    partition: number;
    lag: number;
    committed_offset: string | null;
    high_watermark: string;
  }[];
  error: string | null;
}

/**
 * Reads the lag of each group and topic through `fetchLag`, in parallel. A pair that fails
 * or takes longer than `timeoutMs` reports its error instead of failing the whole status.
 */
export async function readConsumerLag(
  fetchLag: (group: string, topic: string) => Promise<readonly PartitionLagLike[]>,
  pairs: readonly GroupTopic[],
  timeoutMs: number,
): Promise<GroupTopicLag[]> {
  return Promise.all(
    pairs.map(async ({ group, topic }): Promise<GroupTopicLag> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${timeoutMs} ms reading the lag`)),
          timeoutMs,
        );
      });
      try {
        const partitions = await Promise.race([fetchLag(group, topic), timeout]);
        return {
          group,
          topic,
          total_lag: partitions.reduce((sum, entry) => sum + entry.lag, 0),
          partitions: partitions.map((entry) => ({
            partition: entry.partition,
            lag: entry.lag,
            committed_offset: entry.committedOffset,
            high_watermark: entry.highWatermark,
          })),
          error: null,
        };
      } catch (error) {
        return { group, topic, total_lag: null, partitions: [], error: messageOf(error) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
