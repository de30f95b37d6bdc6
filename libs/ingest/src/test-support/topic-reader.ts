import type { KafkaClient, ReceivedMessage } from '@ciem/kafka';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

// This helper sits outside the test files, where the module-boundaries rule keeps an adapter
// library from importing @ciem/testing, so it carries its own polling loop.
function groupName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Reads `topic` from the beginning with a new consumer group until `count` messages arrived
 * (or the deadline passed), then stops and returns them.
 */
export async function readTopic(
  client: KafkaClient,
  topic: string,
  count: number,
  options: { timeoutMs?: number } = {},
): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: groupName('ingest_reader'),
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  try {
    const deadline = performance.now() + (options.timeoutMs ?? 60_000);
    while (received.length < count) {
      if (performance.now() > deadline) {
        throw new Error(
          `timed out waiting for ${count} messages on ${topic}; received ${received.length}`,
        );
      }
      await delay(100);
    }
  } finally {
    await consumer.stop();
  }
  return received;
}

/** Returns a header of a received message as text, or undefined. */
export function headerText(message: ReceivedMessage, name: string): string | undefined {
  const value = message.headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value[0] : value)?.toString('utf8');
}

/**
 * Returns how many messages `topic` holds: the sum of its partitions' high watermarks. Exact
 * for a new topic written without transactions, which is what tests create.
 */
export async function countMessages(client: KafkaClient, topic: string): Promise<number> {
  const lags = await client.fetchLag(groupName('ingest_counter'), topic);
  return lags.reduce((sum, partition) => sum + Number(partition.highWatermark), 0);
}
