import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PubSub, v1 } from '@google-cloud/pubsub';
import { createRawPublisher } from '@ciem/ingest';
import type { RawPublisher } from '@ciem/ingest';
import { DEAD_LETTER_HEADERS, createKafkaClient, ensureTopics } from '@ciem/kafka';
import type { KafkaClient, KafkaProducer, ReceivedMessage } from '@ciem/kafka';
import type { Stage } from '@ciem/runtime';
import { createLogger, createMetrics, stageMetricNames } from '@ciem/telemetry';
import type { MetricsRegistry } from '@ciem/telemetry';
import type { Logger } from '@ciem/telemetry';
import { kafkaBrokers, randomName, repoRoot, waitFor } from '@ciem/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminActivityEntry,
  dataAccessEntry,
  organizationEntry,
} from '../testing/audit-entries.js';
import { createPubSubSubscription } from './pubsub-client.js';
import { createPubSubIngestStage } from './pubsub-ingest.js';

const projectId = 'ciem-test-project';

// Guards against the Google auth library probing the GCE metadata server from a test.
process.env.METADATA_SERVER_DETECTION = 'none';
const fakeBinary = path.join(repoRoot, '.var', 'pubsub-fake', 'pubsub-fake');

let endpoint: string;
let ownFake: ChildProcess | undefined;
let admin: PubSub;
let client: KafkaClient;
let producer: KafkaProducer;
const cleanups: Array<() => Promise<unknown>> = [];

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Uses the fake that `deploy/local/pubsub.sh start` runs, or starts the built binary on a free
 * port for this file when none runs.
 */
async function startFakeIfNeeded(): Promise<string> {
  const sharedPort = Number(process.env.CIEM_LOCAL_PUBSUB_PORT ?? '8085');
  if (await portAnswers(sharedPort)) return `127.0.0.1:${sharedPort}`;
  if (!existsSync(fakeBinary)) {
    throw new Error(
      `no Pub/Sub fake answers on 127.0.0.1:${sharedPort} and ${fakeBinary} is missing; run 'bash deploy/local/pubsub.sh install' and 'bash deploy/local/pubsub.sh start'`,
    );
  }
  const port = await freePort();
  ownFake = spawn(fakeBinary, ['-port', String(port)], { stdio: 'ignore' });
  await waitFor(() => portAnswers(port), {
    timeoutMs: 15_000,
    what: `the Pub/Sub fake on ${port}`,
  });
  return `127.0.0.1:${port}`;
}

beforeAll(async () => {
  endpoint = await startFakeIfNeeded();
  admin = new PubSub({
    projectId,
    apiEndpoint: endpoint,
    emulatorMode: true,
    universeDomain: 'googleapis.com',
  });
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-gcp-test' });
  // One retry inside the producer, so a missing topic fails a send in about a second.
  producer = await client.createProducer({ retries: 1 });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await producer?.disconnect();
  await client?.close();
  await admin?.close();
  if (ownFake !== undefined) {
    const exited = new Promise((resolve) => ownFake!.once('exit', resolve));
    ownFake.kill('SIGTERM');
    await exited;
  }
});

function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.length > 0) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return {
    logger: createLogger({ service: 'ingest-gcp-test', level: 'debug', destination }),
    lines,
  };
}

async function createTopics(names: string[]): Promise<void> {
  const kafkaAdmin = await client.createAdmin();
  try {
    await ensureTopics(
      kafkaAdmin,
      names.map((name) => ({ name, partitions: 3, replicationFactor: 1 })),
    );
  } finally {
    await kafkaAdmin.disconnect();
  }
}

async function readTopic(topic: string, count: number): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: randomName('ingest_gcp_reader'),
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

async function countMessages(topic: string): Promise<number> {
  const lags = await client.fetchLag(randomName('ingest_gcp_counter'), topic);
  return lags.reduce((sum, partition) => sum + Number(partition.highWatermark), 0);
}

function header(message: ReceivedMessage, name: string): string | undefined {
  const value = message.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toString('utf8');
}

/** Creates a topic and subscription on the fake and publishes `payloads` to it. */
async function publishToPubSub(
  payloads: Buffer[],
): Promise<{ subscription: string; ids: string[] }> {
  const [topic] = await admin.createTopic(randomName('sink-topic'));
  const subscription = randomName('sink-sub');
  await topic.createSubscription(subscription, { ackDeadlineSeconds: 10 });
  cleanups.push(async () => {
    await admin
      .subscription(subscription)
      .delete()
      .catch(() => undefined);
    await topic.delete().catch(() => undefined);
  });
  const ids = await Promise.all(payloads.map((data) => topic.publishMessage({ data })));
  return { subscription, ids };
}

/** Returns the messages of `subscription` that are neither acked nor leased, without leasing them for long. */
async function pullAvailable(subscription: string): Promise<number> {
  const config = await admin.getClientConfig();
  const subscriber = new v1.SubscriberClient({ ...config, port: Number(config.port) });
  try {
    const [response] = await subscriber.pull({
      subscription: `projects/${projectId}/subscriptions/${subscription}`,
      maxMessages: 1000,
      returnImmediately: true,
    });
    return response.receivedMessages?.length ?? 0;
  } finally {
    await subscriber.close();
  }
}

async function startStage(
  subscriptionName: string,
  publisher: RawPublisher,
  logger: Logger,
  metrics?: MetricsRegistry,
): Promise<{ stage: Stage; failures: unknown[] }> {
  const opened = createPubSubSubscription({
    projectId,
    subscription: subscriptionName,
    apiEndpoint: endpoint,
    maxMessages: 50,
    maxBytes: 1024 * 1024,
  });
  const stage = createPubSubIngestStage({
    subscription: opened.subscription,
    publisher,
    logger,
    ...(metrics === undefined ? {} : { metrics }),
    maxBatchMessages: 20,
    maxBatchWaitMs: 20,
    nackBackoff: { initialMs: 200, maxMs: 1_000, multiplier: 2, jitter: 0 },
  });
  const failures: unknown[] = [];
  await stage.start({ fail: (error) => failures.push(error) });
  let stopped = false;
  const stopOnce = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stage.stop();
    await opened.close();
  };
  cleanups.push(stopOnce);
  return { stage: { ...stage, stop: stopOnce }, failures };
}

/** Returns the errors the stage counted in `ciem_ingest_gcp_errors_total`. */
async function stageErrors(metrics: MetricsRegistry): Promise<number> {
  const metric = await metrics.getSingleMetric(stageMetricNames('ingest-gcp').errors)?.get();
  return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
}

/** About 200 entries of three kinds over three projects and an organization. */
function sinkEntries(): Array<{ entry: Record<string, unknown>; key: string }> {
  const entries: Array<{ entry: Record<string, unknown>; key: string }> = [];
  const projects = ['billing-prod-4821', 'web-staging-77', 'data-lake-9'];
  for (let index = 0; index < 198; index += 1) {
    const project = projects[index % 3]!;
    const entry =
      index % 4 === 0 ? adminActivityEntry(index, project) : dataAccessEntry(index, project);
    entries.push({ entry, key: project });
  }
  entries.push({ entry: organizationEntry(1, '123456789012'), key: 'organizations/123456789012' });
  return entries;
}

describe('Pub/Sub ingest on Kafka', () => {
  it('delivers every entry with key and headers', async () => {
    const prefix = `${randomName('ps')}.`;
    const publisher = createRawPublisher({ producer, provider: 'gcp', topicPrefix: prefix });
    await createTopics([publisher.topic, publisher.deadLetterTopic]);
    const entries = sinkEntries();
    const notJson = Buffer.from('<html>502 Bad Gateway</html>');
    // Pretty-printed data checks that the bytes reach Kafka unchanged, not re-serialized.
    const payloads = entries.map(({ entry }, index) =>
      Buffer.from(JSON.stringify(entry, null, index % 2 === 0 ? undefined : 2)),
    );
    const { subscription, ids } = await publishToPubSub([...payloads, notJson]);
    const { logger } = capturingLogger();

    const { stage, failures } = await startStage(subscription, publisher, logger);
    const messages = await readTopic(publisher.topic, entries.length);
    const dead = await readTopic(publisher.deadLetterTopic, 1);
    await stage.stop();

    expect(failures).toEqual([]);
    expect(messages).toHaveLength(entries.length);
    const bySource = new Map(messages.map((message) => [header(message, 'source'), message]));
    for (const [index, { key }] of entries.entries()) {
      const message = bySource.get(`pubsub:${ids[index]}`);
      expect(message, `entry ${index}`).toBeDefined();
      expect(message!.value?.equals(payloads[index]!)).toBe(true);
      expect(message!.key?.toString('utf8')).toBe(key);
      expect(header(message!, 'raw_ref')).toBe(`pubsub:${ids[index]}`);
      expect(Number(header(message!, 'ingest_time'))).toBeGreaterThan(0);
    }

    expect(dead).toHaveLength(1);
    expect(dead[0]!.value?.equals(notJson)).toBe(true);
    expect(header(dead[0]!, DEAD_LETTER_HEADERS.errorCode)).toBe('CIEM_INGEST_GCP_MESSAGE_INVALID');
    expect(header(dead[0]!, DEAD_LETTER_HEADERS.errorType)).toBe('input');
    expect(header(dead[0]!, DEAD_LETTER_HEADERS.errorMessage)).toContain('is not valid JSON');
    expect(header(dead[0]!, 'source')).toBe(`pubsub:${ids.at(-1)}`);

    // Every message was acked: none is left to pull.
    expect(await pullAvailable(subscription)).toBe(0);
  });

  it('redelivers messages Kafka did not acknowledge', async () => {
    const prefix = `${randomName('ps')}.`;
    const publisher = createRawPublisher({ producer, provider: 'gcp', topicPrefix: prefix });
    // The raw topic is missing at first, so every send fails until it is created.
    await createTopics([publisher.deadLetterTopic]);
    const entries = sinkEntries().slice(0, 60);
    const payloads = entries.map(({ entry }) => Buffer.from(JSON.stringify(entry)));
    const { subscription } = await publishToPubSub(payloads);
    const { logger, lines } = capturingLogger();
    const metrics = createMetrics({ defaultMetrics: false });

    const { stage, failures } = await startStage(subscription, publisher, logger, metrics);
    const nacked =
      'publishing messages to Kafka failed; they are nacked for redelivery after a delay';
    await waitFor(() => lines.some((line) => line.msg === nacked), {
      what: 'a failed batch nacked',
    });
    // Three batches of 20 fail in the first delivery; more failures mean redelivered messages.
    await waitFor(async () => (await stageErrors(metrics)) >= 6, {
      what: 'redelivered messages failing again',
    });

    await createTopics([publisher.topic]);
    const messages = await readTopic(publisher.topic, entries.length);
    await waitFor(async () => (await pullAvailable(subscription)) === 0, {
      what: 'every message acked',
    });
    await stage.stop();

    expect(failures).toEqual([]);
    const payloadTexts = new Set(payloads.map((payload) => payload.toString('utf8')));
    const delivered = new Set(messages.map((message) => message.value!.toString('utf8')));
    expect(delivered).toEqual(payloadTexts);
    expect(await countMessages(publisher.topic)).toBe(entries.length);
    expect(await countMessages(publisher.deadLetterTopic)).toBe(0);
  });
});
