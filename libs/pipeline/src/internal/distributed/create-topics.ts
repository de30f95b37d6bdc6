import type { EnsureTopicsReport, KafkaClient } from '@ciem/kafka';
import { defaultTopicSpecs, ensureTopics, topicNames } from '@ciem/kafka';

/** Options of `createPlatformTopics`. */
export interface CreateTopicsOptions {
  prefix: string;
  partitions: number;
  replicationFactor: number;
  /**
   * `max.message.bytes` of the raw topics, in bytes. The dead-letter topic gets 1 MiB more,
   * so that a raw record that fits in its topic also fits there with its error headers.
   */
  maxMessageBytes: number;
}

/**
 * Creates the platform's topics that are missing: the raw and dead-letter topics with
 * `max.message.bytes` raised to `maxMessageBytes` (a single audit record can pass Kafka's
 * 1 MiB default), the others with the broker defaults. Existing topics are compared with
 * their spec and never changed (see `ensureTopics`). Throws `DependencyError`
 * `CIEM_KAFKA_ADMIN_FAILED` when the broker fails.
 */
export async function createPlatformTopics(
  client: KafkaClient,
  options: CreateTopicsOptions,
): Promise<EnsureTopicsReport> {
  const names = topicNames(options.prefix);
  const large = (name: string, maxBytes: number) => ({
    name,
    partitions: options.partitions,
    replicationFactor: options.replicationFactor,
    configs: { 'max.message.bytes': String(maxBytes) },
  });
  const admin = await client.createAdmin();
  try {
    await admin.createTopics([
      large(names.rawAwsCloudTrail, options.maxMessageBytes),
      large(names.rawAzureActivity, options.maxMessageBytes),
      large(names.rawGcpAudit, options.maxMessageBytes),
      large(names.deadLetter, options.maxMessageBytes + 1_048_576),
    ]);
    return await ensureTopics(
      admin,
      defaultTopicSpecs({
        prefix: options.prefix,
        partitions: options.partitions,
        replicationFactor: options.replicationFactor,
      }),
    );
  } finally {
    await admin.disconnect();
  }
}
