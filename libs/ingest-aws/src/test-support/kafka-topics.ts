import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { KafkaClient, ReceivedMessage } from '@ciem/kafka';

// This helper sits outside the test files, where the module-boundaries rule keeps an adapter
// library from importing @ciem/testing, so it carries its own polling loop.
function groupName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Reads `topic` from the beginning until `count` messages arrived, then returns them. */
export async function readTopic(
  client: KafkaClient,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: groupName('ingest_aws_reader'),
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  try {
    const deadline = performance.now() + timeoutMs;
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

/** Returns how many messages a new topic holds: the sum of its partitions' high watermarks. */
export async function countMessages(client: KafkaClient, topic: string): Promise<number> {
  const lags = await client.fetchLag(groupName('ingest_aws_counter'), topic);
  return lags.reduce((sum, partition) => sum + Number(partition.highWatermark), 0);
}

/** Returns a header of a received message as text, or undefined. */
export function headerText(message: ReceivedMessage, name: string): string | undefined {
  const value = message.headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value[0] : value)?.toString('utf8');
}
