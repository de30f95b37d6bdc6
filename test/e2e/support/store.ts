import type { ClickHouse } from '@ciem/clickhouse';
import type { KafkaClient, ReceivedMessage } from '@ciem/kafka';
import { randomName } from '@ciem/testing';

/** Rows of `events FINAL` per provider. */
export async function eventRowsByProvider(
  client: ClickHouse,
  database: string,
): Promise<Record<string, number>> {
  const rows = await client.query<{ provider: string; c: string }>(
    `SELECT provider, count() AS c FROM ${database}.events FINAL GROUP BY provider`,
  );
  return Object.fromEntries(rows.map((row) => [row.provider, Number(row.c)]));
}

/** Rows of `dlq_events FINAL` per provider. */
export async function deadLetterRowsByProvider(
  client: ClickHouse,
  database: string,
): Promise<Record<string, number>> {
  const rows = await client.query<{ provider: string; c: string }>(
    `SELECT provider, count() AS c FROM ${database}.dlq_events FINAL GROUP BY provider`,
  );
  return Object.fromEntries(rows.map((row) => [row.provider, Number(row.c)]));
}

/** Total and distinct counts of `events`, with and without `FINAL`. */
export async function eventTotals(
  client: ClickHouse,
  database: string,
): Promise<{ final: number; uniqueIds: number; uniqueRawRefs: number }> {
  const [row] = await client.query<{ f: string; u: string; r: string }>(
    `SELECT (SELECT count() FROM ${database}.events FINAL) AS f, uniqExact(event_id) AS u, uniqExact(raw_ref) AS r FROM ${database}.events`,
  );
  return {
    final: Number(row?.f ?? 0),
    uniqueIds: Number(row?.u ?? 0),
    uniqueRawRefs: Number(row?.r ?? 0),
  };
}

/** A consumer that collects every message of some topics from the beginning. */
export interface TopicReader {
  readonly messages: Array<ReceivedMessage & { topic: string; partition: number }>;
  stop(): Promise<void>;
}

/** Reads `topics` from their beginning with a new group, collecting every message. */
export async function readTopics(
  kafka: KafkaClient,
  topics: readonly string[],
): Promise<TopicReader> {
  const messages: TopicReader['messages'] = [];
  const consumer = await kafka.runConsumer({
    groupId: randomName('e2e_reader'),
    topics,
    fromBeginning: true,
    maxBytesPerPartition: 32 * 1_048_576,
    handleBatch: async (batch) => {
      for (const message of batch.messages) {
        messages.push({ ...message, topic: batch.topic, partition: batch.partition });
      }
    },
  });
  return { messages, stop: () => consumer.stop() };
}

/** Returns a header of a received message as text. */
export function header(message: ReceivedMessage, name: string): string | undefined {
  const value = message.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString('utf8');
}
