import { ConfigResourceTypes } from './kafkajs.js';
import type { Admin, ITopicConfig } from 'kafkajs';
import { KafkaErrorCodes, wrapKafkaError } from './errors.js';
import type { KafkaLogger, PartitionLag } from './types.js';

/** A topic as the broker describes it. */
export interface TopicDescription {
  name: string;
  partitions: number;
  /** Replicas of the first partition; every partition of a topic normally has as many. */
  replicationFactor: number;
  /** The topic configuration values that `describeTopics` was asked for, by name. */
  configs: Record<string, string>;
}

/** A topic to create. `configs` are topic-level settings such as `cleanup.policy`. */
export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs?: Record<string, string>;
}

/** A connected admin client for topic administration and consumer lag. */
export interface KafkaAdmin {
  /** Lists topic names, internal topics excluded. Throws `DependencyError` `CIEM_KAFKA_ADMIN_FAILED`. */
  listTopics(): Promise<string[]>;
  /**
   * Describes existing topics, in the order of `names`, with the given configuration names.
   * Throws `DependencyError`
   * `CIEM_KAFKA_TOPIC_NOT_FOUND` when one of them does not exist.
   */
  describeTopics(
    names: readonly string[],
    configNames: readonly string[],
  ): Promise<TopicDescription[]>;
  /**
   * Creates topics and waits for their leaders. Returns the names created; topics that already
   * exist are left unchanged and not returned.
   */
  createTopics(topics: readonly NewTopic[]): Promise<string[]>;
  /** Deletes topics; names that do not exist are ignored. */
  deleteTopics(names: readonly string[]): Promise<void>;
  /** Returns the lag of `groupId` on every partition of `topic` (see `PartitionLag`). */
  fetchLag(groupId: string, topic: string): Promise<PartitionLag[]>;
  /** Disconnects. Idempotent. */
  disconnect(): Promise<void>;
  /** The logger of the client this admin belongs to. */
  readonly logger: KafkaLogger;
}

async function adminCall<T>(
  operation: string,
  details: Record<string, string>,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw wrapKafkaError(error, operation, details, KafkaErrorCodes.adminFailed);
  }
}

/** Computes per-partition lag from topic offsets and a group's committed offsets. */
export function computeLag(
  topic: string,
  topicOffsets: ReadonlyArray<{ partition: number; high: string; low: string }>,
  committed: ReadonlyArray<{ partition: number; offset: string }>,
): PartitionLag[] {
  const committedByPartition = new Map(committed.map((entry) => [entry.partition, entry.offset]));
  return topicOffsets
    .map(({ partition, high, low }) => {
      const raw = committedByPartition.get(partition);
      // Kafka reports "-1" for a partition the group has never committed.
      const committedOffset = raw === undefined || BigInt(raw) < 0n ? null : raw;
      const from = committedOffset === null ? BigInt(low) : BigInt(committedOffset);
      const lag = BigInt(high) - from;
      return {
        topic,
        partition,
        highWatermark: high,
        committedOffset,
        lag: Number(lag > 0n ? lag : 0n),
      };
    })
    .sort((a, b) => a.partition - b.partition);
}

/** Attempts of a lag query whose broker reported a retriable error, and the first delay. */
const LAG_ATTEMPTS = 5;
const LAG_RETRY_MS = 100;

/**
 * Fetches the lag of a group on a topic through a kafkajs admin client. A fresh broker
 * returns NOT_COORDINATOR while it creates `__consumer_offsets`, and kafkajs does not retry
 * the offset fetch then. So errors that kafkajs marks retriable are tried again, up to 5
 * attempts over about 1.5 s.
 */
export async function fetchLagWith(
  admin: Admin,
  groupId: string,
  topic: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<PartitionLag[]> {
  return adminCall('fetching consumer lag', { group: groupId, topic }, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        const [topicOffsets, groupOffsets] = await Promise.all([
          admin.fetchTopicOffsets(topic),
          admin.fetchOffsets({ groupId, topics: [topic] }),
        ]);
        const committed = groupOffsets.find((entry) => entry.topic === topic)?.partitions ?? [];
        return computeLag(topic, topicOffsets, committed);
      } catch (error) {
        if (attempt >= LAG_ATTEMPTS || !isRetriableKafkaError(error)) throw error;
        await sleep(LAG_RETRY_MS * 2 ** (attempt - 1));
      }
    }
  });
}

/** True for an error that kafkajs marks retriable, such as NOT_COORDINATOR. */
function isRetriableKafkaError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { retriable?: unknown }).retriable === true
  );
}

/** Connects a kafkajs admin client and wraps it in the library's `KafkaAdmin` interface. */
export async function createAdmin(admin: Admin, logger: KafkaLogger): Promise<KafkaAdmin> {
  await adminCall('connecting the admin client', {}, () => admin.connect());
  let disconnecting: Promise<void> | undefined;

  return {
    logger,
    listTopics: () =>
      adminCall('listing topics', {}, async () =>
        (await admin.listTopics()).filter((name) => !name.startsWith('__')),
      ),

    describeTopics: (names, configNames) =>
      adminCall('describing topics', { topics: names.join(',') }, async () => {
        if (names.length === 0) return [];
        const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
        const configs = await admin.describeConfigs({
          includeSynonyms: false,
          resources: names.map((name) => ({
            type: ConfigResourceTypes.TOPIC,
            name,
            configNames: [...configNames],
          })),
        });
        const byName = new Map(metadata.topics.map((topic) => [topic.name, topic]));
        // The broker returns topics in its own order, so they are put back in the requested order.
        return names.flatMap((name) => {
          const topic = byName.get(name);
          if (!topic) return [];
          const resource = configs.resources.find((entry) => entry.resourceName === name);
          const values: Record<string, string> = {};
          for (const entry of resource?.configEntries ?? [])
            values[entry.configName] = entry.configValue;
          return [
            {
              name,
              partitions: topic.partitions.length,
              replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
              configs: values,
            },
          ];
        });
      }),

    createTopics: (topics) =>
      adminCall(
        'creating topics',
        { topics: topics.map((topic) => topic.name).join(',') },
        async () => {
          if (topics.length === 0) return [];
          const existing = new Set(await admin.listTopics());
          const missing = topics.filter((topic) => !existing.has(topic.name));
          if (missing.length === 0) return [];
          const requests: ITopicConfig[] = missing.map((topic) => ({
            topic: topic.name,
            numPartitions: topic.partitions,
            replicationFactor: topic.replicationFactor,
            configEntries: Object.entries(topic.configs ?? {}).map(([name, value]) => ({
              name,
              value,
            })),
          }));
          // kafkajs resolves false instead of failing when another client created a topic
          // between the listing and this request; the names are then listed again.
          await admin.createTopics({ topics: requests, waitForLeaders: true });
          const after = new Set(await admin.listTopics());
          return missing.filter((topic) => after.has(topic.name)).map((topic) => topic.name);
        },
      ),

    deleteTopics: (names) =>
      adminCall('deleting topics', { topics: names.join(',') }, async () => {
        const existing = new Set(await admin.listTopics());
        const present = names.filter((name) => existing.has(name));
        if (present.length > 0) await admin.deleteTopics({ topics: present });
      }),

    fetchLag: (groupId, topic) => fetchLagWith(admin, groupId, topic),

    disconnect() {
      disconnecting ??= admin.disconnect();
      return disconnecting;
    },
  };
}
