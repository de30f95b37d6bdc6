import { Buffer } from 'node:buffer';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PubSub } from '@google-cloud/pubsub';
import { adminActivityEntry, dataAccessEntry } from '@ciem/ingest-gcp/testing';
import { DEAD_LETTER_HEADERS, createKafkaClient, topicNames } from '@ciem/kafka';
import type { KafkaClient, ReceivedMessage } from '@ciem/kafka';
import { kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildService } from '@ciem/testing';
import type { ChildService } from '@ciem/testing';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const projectId = 'ciem-service-test';
const endpoint = `127.0.0.1:${process.env.CIEM_LOCAL_PUBSUB_PORT ?? '8085'}`;

let client: KafkaClient;
let pubsub: PubSub;
const children: ChildService[] = [];

function fakeAnswers(): Promise<boolean> {
  const [host, port] = endpoint.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  if (!(await fakeAnswers())) {
    throw new Error(
      `no Pub/Sub fake answers on ${endpoint}; run 'bash deploy/local/pubsub.sh install' and 'bash deploy/local/pubsub.sh start'`,
    );
  }
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-gcp-service-test' });
  pubsub = new PubSub({
    projectId,
    apiEndpoint: endpoint,
    emulatorMode: true,
    universeDomain: 'googleapis.com',
  });
});

afterAll(async () => {
  for (const child of children) {
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
  }
  await client?.close();
  await pubsub?.close();
});

async function readTopic(topic: string, count: number): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: randomName('ingest_gcp_service_reader'),
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  try {
    await waitFor(() => received.length >= count, {
      timeoutMs: 60_000,
      what: `${count} messages on ${topic} (received ${received.length})`,
    });
  } finally {
    await consumer.stop();
  }
  return received;
}

function header(message: ReceivedMessage, name: string): string | undefined {
  const value = message.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toString('utf8');
}

describe('ingest-gcp service', () => {
  it('streams a subscription and exits 0', async () => {
    const prefix = `${randomName('gcpsvc')}.`;
    const [topic] = await pubsub.createTopic(randomName('sink-topic'));
    const subscription = randomName('sink-sub');
    await topic.createSubscription(subscription);
    const entries = Array.from({ length: 30 }, (_, index) =>
      index % 5 === 0
        ? adminActivityEntry(index, 'web-staging-77')
        : dataAccessEntry(index, 'web-staging-77'),
    );
    for (const entry of entries) await topic.publishMessage({ json: entry });
    await topic.publishMessage({ data: Buffer.from('not a log entry') });

    const service = startChildService(main, {
      CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
      CIEM_KAFKA_TOPIC_PREFIX: prefix,
      CIEM_KAFKA_TOPICS_CREATE_ENABLED: 'true',
      CIEM_KAFKA_TOPICS_PARTITIONS: '2',
      CIEM_PROBE_PORT: '0',
      CIEM_INGEST_GCP_PROJECT: projectId,
      CIEM_INGEST_GCP_SUBSCRIPTION: subscription,
      CIEM_GCP_PUBSUB_ENDPOINT: endpoint,
    });
    children.push(service);
    const started = await service.waitForLine((line) => line.msg === 'service started', 60_000);

    const names = topicNames(prefix);
    const messages = await readTopic(names.rawGcpAudit, entries.length);
    const dead = await readTopic(names.deadLetter, 1);
    const ready = await fetch(`${String(started.probe_url)}/readyz`);
    service.child.kill('SIGTERM');

    expect(await service.exited).toBe(0);
    expect(ready.status).toBe(200);
    expect(messages.map((message) => JSON.parse(message.value!.toString('utf8')))).toEqual(
      expect.arrayContaining(entries),
    );
    expect(messages.every((message) => message.key?.toString('utf8') === 'web-staging-77')).toBe(
      true,
    );
    expect(header(dead[0]!, DEAD_LETTER_HEADERS.errorCode)).toBe('CIEM_INGEST_GCP_MESSAGE_INVALID');
    expect(
      service.lines.filter((line) => line.level === 'error' || line.level === 'fatal'),
    ).toEqual([]);

    await pubsub.subscription(subscription).delete();
    await topic.delete();
  });
});
