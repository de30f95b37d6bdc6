import { Buffer } from 'node:buffer';
import { InputError } from '@ciem/errors';
import { kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_HEADERS,
  createKafkaClient,
  ensureTopics,
  publishToDeadLetter,
} from './index.js';
import type { KafkaAdmin, KafkaClient, KafkaProducer, ReceivedMessage } from './index.js';

let client: KafkaClient;
let admin: KafkaAdmin;
let producer: KafkaProducer;
let dlqTopic: string;

beforeAll(async () => {
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'kafka-dlq-int-test' });
  admin = await client.createAdmin();
  producer = await client.createProducer();
  dlqTopic = randomName('dlq_int');
  await ensureTopics(admin, [{ name: dlqTopic, partitions: 1, replicationFactor: 1 }]);
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.deleteTopics([dlqTopic]);
  await admin?.disconnect();
  await client?.close();
});

describe('publishToDeadLetter against Kafka', () => {
  it('keeps bytes and records the error', async () => {
    // Bytes that are not valid UTF-8 prove the value is never decoded and re-encoded.
    const value = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x80, 0x22]);
    const key = Buffer.from('123456789012');
    const error = new InputError(
      'CIEM_NORMALIZE_BAD_JSON',
      'record is not valid JSON at position 2',
    );

    await publishToDeadLetter(producer, {
      dlqTopic,
      original: {
        topic: 'ciem.raw.aws.cloudtrail',
        partition: 4,
        offset: '1234',
        key,
        value,
        headers: { source: 's3', 'ingest.file': Buffer.from('AWSLogs/1.json.gz') },
      },
      error,
      stage: 'normalizer',
    });

    const received: ReceivedMessage[] = [];
    const consumer = await client.runConsumer({
      groupId: randomName('dlq_reader'),
      topics: [dlqTopic],
      fromBeginning: true,
      handleBatch: async (batch) => {
        received.push(...batch.messages);
      },
    });
    try {
      await waitFor(() => received.length > 0, {
        timeoutMs: 60_000,
        what: 'the dead-lettered record',
      });
    } finally {
      await consumer.stop();
    }

    const [record] = received;
    expect(received).toHaveLength(1);
    expect(record?.value?.equals(value)).toBe(true);
    expect(record?.key?.equals(key)).toBe(true);
    const header = (name: string) => record?.headers[name]?.toString();
    expect(header(DEAD_LETTER_HEADERS.errorCode)).toBe('CIEM_NORMALIZE_BAD_JSON');
    expect(header(DEAD_LETTER_HEADERS.errorType)).toBe('input');
    expect(header(DEAD_LETTER_HEADERS.errorMessage)).toBe('record is not valid JSON at position 2');
    expect(header(DEAD_LETTER_HEADERS.stage)).toBe('normalizer');
    expect(header(DEAD_LETTER_HEADERS.originalTopic)).toBe('ciem.raw.aws.cloudtrail');
    expect(header(DEAD_LETTER_HEADERS.originalPartition)).toBe('4');
    expect(header(DEAD_LETTER_HEADERS.originalOffset)).toBe('1234');
    expect(header('source')).toBe('s3');
    expect(header('ingest.file')).toBe('AWSLogs/1.json.gz');
  });
});
