import { Buffer } from 'node:buffer';
import { DependencyError, RejectedError } from '@ciem/errors';
import { kafkaBrokers, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient, ensureTopics } from './index.js';
import type { KafkaAdmin, KafkaClient, KafkaProducer, MessageHeaders } from './index.js';

let client: KafkaClient;
let admin: KafkaAdmin;
let producer: KafkaProducer;
let topic: string;
const injected: MessageHeaders[] = [];

beforeAll(async () => {
  client = createKafkaClient({
    brokers: kafkaBrokers,
    clientId: 'kafka-producer-int-test',
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    injectHeaders: (headers) => {
      injected.push(headers);
      return { ...headers, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    },
  });
  admin = await client.createAdmin();
  // Three retries keep the missing-topic case short.
  producer = await client.createProducer({ retries: 3 });
  topic = randomName('producer_int');
  await ensureTopics(admin, [{ name: topic, partitions: 3, replicationFactor: 1 }]);
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.deleteTopics([topic]);
  await admin?.disconnect();
  await client?.close();
});

describe('KafkaProducer against Kafka', () => {
  it('acknowledges a large batch', async () => {
    const messages = Array.from({ length: 2_000 }, (_, index) => ({
      key: `k${index}`,
      value: `v${index}`,
    }));
    const acks = await producer.send(topic, messages);
    expect(acks.length).toBeGreaterThan(0);
    const lag = await client.fetchLag(randomName('nobody'), topic);
    expect(lag.reduce((sum, partition) => sum + partition.lag, 0)).toBe(2_000);
  });

  it('passes headers through injectHeaders', async () => {
    injected.length = 0;
    await producer.send(topic, [{ value: 'h', headers: { source: 'file' } }]);
    expect(injected).toEqual([{ source: 'file' }]);
  });

  it('rejects a message above message.max.bytes', async () => {
    // The broker's default message.max.bytes is 1 048 588 bytes.
    const error = await producer
      .send(topic, [{ value: Buffer.alloc(2 * 1024 * 1024) }])
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).code).toBe('CIEM_KAFKA_MESSAGE_TOO_LARGE');
    // The producer stays usable after a rejected send.
    await expect(producer.send(topic, [{ value: 'after' }])).resolves.toHaveLength(1);
  });

  it('reports a missing topic as retriable', async () => {
    const error = await producer
      .send(randomName('missing'), [{ value: 'x' }])
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).code).toBe('CIEM_KAFKA_TOPIC_NOT_FOUND');
  });
});
