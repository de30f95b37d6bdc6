import { Buffer } from 'node:buffer';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Checkpoint, CheckpointStore } from '@azure/event-hubs';
import { createRawPublisher } from '@ciem/ingest';
import type { RawPublisher } from '@ciem/ingest';
import { DEAD_LETTER_HEADERS, createKafkaClient, ensureTopics } from '@ciem/kafka';
import type { KafkaClient, KafkaProducer, ReceivedMessage } from '@ciem/kafka';
import type { Stage } from '@ciem/runtime';
import { createLogger } from '@ciem/telemetry';
import type { Logger } from '@ciem/telemetry';
import { kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeEventHub } from '../testing/fake-event-hub.js';
import {
  camelCaseActivityRecord,
  pascalCaseActivityRecord,
  recordsBody,
} from '../testing/activity-records.js';
import { createEventHubIngestStage } from './event-hub-ingest.js';
import { createLocalCheckpointStore } from './local-checkpoint-store.js';

const subscriptionA = '3f2b6e0a-1c4d-4e8f-9a0b-1c2d3e4f5a6b';
const subscriptionB = 'a0b1c2d3-e4f5-4061-8273-94a5b6c7d8e9';

let client: KafkaClient;
let producer: KafkaProducer;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-azure-test' });
  // One retry inside the producer, so a missing topic fails a send in about a second and the
  // stage's own retry loop is what the tests watch.
  producer = await client.createProducer({ retries: 1 });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await producer.disconnect();
  await client.close();
});

/** Captures a logger's JSON lines. */
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
    logger: createLogger({ service: 'ingest-azure-test', level: 'debug', destination }),
    lines,
  };
}

async function createTopics(names: string[]): Promise<void> {
  const admin = await client.createAdmin();
  try {
    await ensureTopics(
      admin,
      names.map((name) => ({ name, partitions: 3, replicationFactor: 1 })),
    );
  } finally {
    await admin.disconnect();
  }
}

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'ciem-ingest-azure-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** Reads `topic` from the start until `count` messages arrived. */
async function readTopic(topic: string, count: number): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: randomName('ingest_azure_reader'),
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

/** Returns how many messages `topic` holds: the sum of its partitions' high watermarks. */
async function countMessages(topic: string): Promise<number> {
  const lags = await client.fetchLag(randomName('ingest_azure_counter'), topic);
  return lags.reduce((sum, partition) => sum + Number(partition.highWatermark), 0);
}

function header(message: ReceivedMessage, name: string): string | undefined {
  const value = message.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toString('utf8');
}

async function checkpointsOf(
  store: CheckpointStore,
  hub: FakeEventHub,
): Promise<Record<string, number>> {
  const listed = await store.listCheckpoints(
    hub.fullyQualifiedNamespace,
    hub.eventHubName,
    '$Default',
  );
  return Object.fromEntries(listed.map((entry) => [entry.partitionId, entry.sequenceNumber]));
}

interface Running {
  stage: Stage;
  failures: unknown[];
}

async function startStage(
  hub: FakeEventHub,
  store: CheckpointStore,
  publisher: RawPublisher,
  logger: Logger,
): Promise<Running> {
  const stage = createEventHubIngestStage({
    client: hub.createConsumerClient('$Default', store),
    publisher,
    logger,
    maxBatchSize: 4,
    backoff: { initialMs: 100, maxMs: 400, multiplier: 2, jitter: 0 },
  });
  const failures: unknown[] = [];
  await stage.start({ fail: (error) => failures.push(error) });
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) await stage.stop();
  });
  const stop = stage.stop.bind(stage);
  stage.stop = async () => {
    stopped = true;
    await stop();
  };
  return { stage, failures };
}

describe('Event Hubs ingest on Kafka', () => {
  it('delivers every record with key and headers', async () => {
    const prefix = `${randomName('eh')}.`;
    const publisher = createRawPublisher({ producer, provider: 'azure', topicPrefix: prefix });
    await createTopics([publisher.topic, publisher.deadLetterTopic]);
    const hub = new FakeEventHub({ partitionIds: ['0', '1'] });
    const store = createLocalCheckpointStore(await tempFolder());
    const { logger } = capturingLogger();

    // Every body form the consumer accepts, spread over both partitions.
    const expected = new Map<string, string>();
    const expectRecords = (records: Array<Record<string, unknown>>, key: string): void => {
      for (const record of records) expected.set(JSON.stringify(record), key);
    };
    for (let event = 0; event < 10; event += 1) {
      const camel = [
        camelCaseActivityRecord(event * 10, subscriptionA),
        camelCaseActivityRecord(event * 10 + 1, subscriptionA, { propertiesAsString: true }),
      ];
      hub.send('0', Buffer.from(recordsBody(camel)));
      expectRecords(camel, subscriptionA);

      const pascal = [
        pascalCaseActivityRecord(event * 10 + 2, subscriptionB.toUpperCase()),
        pascalCaseActivityRecord(event * 10 + 3, subscriptionB.toUpperCase()),
        pascalCaseActivityRecord(event * 10 + 4, subscriptionB.toUpperCase()),
      ];
      hub.send('1', event % 2 === 0 ? recordsBody(pascal) : { records: pascal });
      expectRecords(pascal, subscriptionB);
    }
    const single = camelCaseActivityRecord(999, subscriptionB);
    hub.send('1', Buffer.from(JSON.stringify(single)));
    expectRecords([single], subscriptionB);
    const broken = '{"records":[{"time":"2025-03-04T10:00:00Z","resourceId":';
    hub.send('0', Buffer.from(broken));

    const { stage, failures } = await startStage(hub, store, publisher, logger);
    const messages = await readTopic(publisher.topic, expected.size);
    const dead = await readTopic(publisher.deadLetterTopic, 1);
    await waitFor(
      async () => {
        const checkpoints = await checkpointsOf(store, hub);
        return checkpoints['0'] === 10 && checkpoints['1'] === 10;
      },
      { what: 'checkpoints at the last event of each partition' },
    );
    await stage.stop();

    expect(failures).toEqual([]);
    expect(messages).toHaveLength(expected.size);
    for (const message of messages) {
      const text = message.value!.toString('utf8');
      const key = expected.get(JSON.stringify(JSON.parse(text)));
      expect(key, `unexpected record ${text.slice(0, 80)}`).toBeDefined();
      expect(message.key?.toString('utf8')).toBe(key);
      expect(header(message, 'source')).toMatch(/^eventhub:[01]\/\d+$/);
      expect(header(message, 'raw_ref')).toMatch(/^eventhub:[01]\/\d+:1(#\d+)?$/);
      expect(Number(header(message, 'ingest_time'))).toBeGreaterThan(0);
    }
    const distinct = new Set(messages.map((message) => message.value!.toString('utf8')));
    expect(distinct.size).toBe(expected.size);

    expect(dead).toHaveLength(1);
    expect(dead[0]?.value?.toString('utf8')).toBe(broken);
    expect(header(dead[0]!, DEAD_LETTER_HEADERS.errorCode)).toBe('CIEM_NORMALIZE_INVALID_JSON');
    expect(header(dead[0]!, DEAD_LETTER_HEADERS.stage)).toBe('ingest');
    expect(header(dead[0]!, 'source')).toBe('eventhub:0/10');
  });

  it('checkpoints only after Kafka acknowledged', async () => {
    const prefix = `${randomName('eh')}.`;
    const publisher = createRawPublisher({ producer, provider: 'azure', topicPrefix: prefix });
    // The raw topic is missing at first, so every send fails until it is created.
    await createTopics([publisher.deadLetterTopic]);
    const hub = new FakeEventHub({ partitionIds: ['0', '1'] });
    const store = createLocalCheckpointStore(await tempFolder());
    const { logger, lines } = capturingLogger();

    let total = 0;
    for (let event = 0; event < 6; event += 1) {
      const records = [
        camelCaseActivityRecord(event, subscriptionA),
        pascalCaseActivityRecord(event, subscriptionB),
      ];
      hub.send(String(event % 2), recordsBody(records));
      total += records.length;
    }

    const { stage, failures } = await startStage(hub, store, publisher, logger);
    await waitFor(
      () => lines.some((line) => line.msg === 'publishing an event to Kafka failed; retrying'),
      { what: 'a failed send being retried' },
    );
    expect(await checkpointsOf(store, hub)).toEqual({});

    await createTopics([publisher.topic]);
    await waitFor(
      async () => {
        const checkpoints = await checkpointsOf(store, hub);
        return checkpoints['0'] === 2 && checkpoints['1'] === 2;
      },
      { timeoutMs: 60_000, what: 'checkpoints after the topic exists' },
    );
    await stage.stop();

    expect(failures).toEqual([]);
    expect(await countMessages(publisher.topic)).toBe(total);
    expect(await countMessages(publisher.deadLetterTopic)).toBe(0);
  });

  it('resumes from local checkpoints after restart', async () => {
    const prefix = `${randomName('eh')}.`;
    const publisher = createRawPublisher({ producer, provider: 'azure', topicPrefix: prefix });
    await createTopics([publisher.topic, publisher.deadLetterTopic]);
    const hub = new FakeEventHub({ partitionIds: ['0', '1'] });
    const folder = await tempFolder();
    const { logger } = capturingLogger();

    const sendEvents = (from: number, to: number): void => {
      for (let event = from; event < to; event += 1) {
        hub.send('0', recordsBody([camelCaseActivityRecord(event, subscriptionA)]));
        hub.send('1', recordsBody([pascalCaseActivityRecord(event, subscriptionB)]));
      }
    };

    // First run: the store saves only the first checkpoint of each partition, as after a
    // disk failure, so every later event is acknowledged by Kafka but not checkpointed.
    sendEvents(0, 8);
    const durable = createLocalCheckpointStore(folder);
    const saved: Checkpoint[] = [];
    const failingAfterFirst: CheckpointStore = {
      listOwnership: durable.listOwnership.bind(durable),
      claimOwnership: durable.claimOwnership.bind(durable),
      listCheckpoints: durable.listCheckpoints.bind(durable),
      async updateCheckpoint(checkpoint) {
        if (saved.some((entry) => entry.partitionId === checkpoint.partitionId)) {
          throw new Error('disk full');
        }
        saved.push(checkpoint);
        await durable.updateCheckpoint(checkpoint);
      },
    };
    const first = await startStage(hub, failingAfterFirst, publisher, logger);
    await readTopic(publisher.topic, 16);
    await waitFor(() => saved.length === 2, { what: 'one checkpoint per partition' });
    await first.stage.stop();
    expect(saved.map((entry) => entry.sequenceNumber)).toEqual([3, 3]);

    // Second run, from the files: it repeats events 4-7 of each partition, the events after
    // the checkpoints, and nothing before them.
    const reopened = createLocalCheckpointStore(folder);
    const second = await startStage(hub, reopened, publisher, logger);
    await waitFor(
      async () => {
        const checkpoints = await checkpointsOf(reopened, hub);
        return checkpoints['0'] === 7 && checkpoints['1'] === 7;
      },
      { what: 'checkpoints at event 7' },
    );

    // New events while running are read once.
    sendEvents(8, 12);
    await waitFor(
      async () => {
        const checkpoints = await checkpointsOf(reopened, hub);
        return checkpoints['0'] === 11 && checkpoints['1'] === 11;
      },
      { what: 'checkpoints at event 11' },
    );
    await second.stage.stop();

    // Third run with nothing new: it reads nothing again.
    const third = await startStage(hub, createLocalCheckpointStore(folder), publisher, logger);
    await third.stage.stop();

    const messages = await readTopic(publisher.topic, 24 + 8);
    expect(messages).toHaveLength(24 + 8);
    const countsBySource = new Map<string, number>();
    for (const message of messages) {
      const source = header(message, 'source')!;
      countsBySource.set(source, (countsBySource.get(source) ?? 0) + 1);
    }
    for (const partition of ['0', '1']) {
      for (let event = 0; event < 12; event += 1) {
        const expectedCount = event >= 4 && event < 8 ? 2 : 1;
        expect(
          countsBySource.get(`eventhub:${partition}/${event}`),
          `event ${partition}/${event}`,
        ).toBe(expectedCount);
      }
    }
    expect(first.failures).toEqual([]);
    expect(second.failures).toEqual([]);
    expect(third.failures).toEqual([]);
  });
});
