import { testRegion } from './test-support/aws-test-env.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RAW_HEADERS, createFileCheckpointStore, createRawPublisher } from '@ciem/ingest';
import { createKafkaClient, ensureTopics, topicNames } from '@ciem/kafka';
import type { KafkaAdmin, KafkaClient, KafkaProducer } from '@ciem/kafka';
import { createLogger } from '@ciem/telemetry';
import { kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucket, createAwsClients, createLookupPollerStage } from './index.js';
import type { AwsClients, LookupCheckpoint, LookupPollerStage } from './index.js';
import { cloudTrailRecord } from './test-support/cloudtrail-fixtures.js';
import { countMessages, headerText, readTopic } from './test-support/kafka-topics.js';
import { startLookupEventsFake } from './test-support/lookup-events-fake.js';
import type { LookupEventsFake } from './test-support/lookup-events-fake.js';

const logger = createLogger({ service: 'ingest-aws-test', level: 'warn' });
const account = '111122223333';
let fake: LookupEventsFake;
let aws: AwsClients;
let client: KafkaClient;
let admin: KafkaAdmin;
let producer: KafkaProducer;
let folder: string;
const createdTopics: string[] = [];
const running: LookupPollerStage[] = [];

async function freshPrefix(): Promise<string> {
  const prefix = `${randomName('ingest_lookup')}.`;
  const names = topicNames(prefix);
  const topics = [names.rawAwsCloudTrail, names.deadLetter];
  await ensureTopics(
    admin,
    topics.map((name) => ({ name, partitions: 2, replicationFactor: 1 })),
  );
  createdTopics.push(...topics);
  return prefix;
}

function addEvent(id: string, eventTime: number): void {
  fake.events.push({
    eventId: id,
    eventTime,
    cloudTrailEvent: JSON.stringify(
      cloudTrailRecord(id, account, new Date(eventTime).toISOString()),
    ),
  });
}

function startPoller(
  prefix: string,
  now: () => number,
  options: { ratePerSecond?: number; checkpointKey: string },
): LookupPollerStage {
  const stage = createLookupPollerStage({
    client: aws.cloudTrail(testRegion),
    region: testRegion,
    publisher: createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix }),
    store: createFileCheckpointStore(folder),
    bucket: new TokenBucket({ ratePerSecond: options.ratePerSecond ?? 50, burst: 2 }),
    logger,
    checkpointKey: options.checkpointKey,
    delayMs: 60_000,
    maxWindowMs: 600_000,
    lookbackMs: 3_600_000,
    intervalMs: 100,
    backoff: { initialMs: 200, maxMs: 1_000, multiplier: 2, jitter: 0 },
    now,
  });
  running.push(stage);
  void stage.start({
    fail: (error) => {
      throw error;
    },
  });
  return stage;
}

async function stopAll(): Promise<void> {
  for (const stage of running.splice(0)) await stage.stop();
}

beforeAll(async () => {
  fake = await startLookupEventsFake();
  aws = createAwsClients({ region: testRegion, endpoint: fake.endpoint, maxAttempts: 1 });
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-aws-lookup-int-test' });
  admin = await client.createAdmin();
  producer = await client.createProducer();
  folder = await mkdtemp(path.join(tmpdir(), 'ciem-lookup-'));
});

afterEach(async () => {
  await stopAll();
  fake.events.length = 0;
  fake.requests.length = 0;
});

afterAll(async () => {
  await producer?.disconnect();
  if (createdTopics.length > 0) await admin?.deleteTopics(createdTopics);
  await admin?.disconnect();
  await client?.close();
  aws?.destroy();
  await fake?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('LookupEvents poller on the fake and Kafka', () => {
  it('restarts without gaps or repeats', async () => {
    const prefix = await freshPrefix();
    const checkpointKey = randomName('lookup');
    const store = createFileCheckpointStore(folder);
    const t1 = Date.parse('2024-05-01T12:00:00Z');
    const firstEnd = t1 - 60_000; // what the first run reads up to: now minus the delay

    // 60 events in one second need two pages of 50.
    for (let index = 0; index < 60; index += 1) addEvent(`busy-${index}`, t1 - 30 * 60_000);
    for (let minute = 50; minute >= 2; minute -= 4)
      addEvent(`spread-${minute}`, t1 - minute * 60_000);
    addEvent('edge-seen', firstEnd);
    const firstCount = fake.events.length;

    const first = startPoller(prefix, () => t1, { checkpointKey });
    await waitFor(
      async () => (await store.load<LookupCheckpoint>(checkpointKey))?.time === firstEnd,
      { timeoutMs: 60_000, what: 'the first run to reach its window end' },
    );
    await stopAll();
    expect(first.stats().published).toBe(firstCount);
    expect(await store.load<LookupCheckpoint>(checkpointKey)).toEqual({
      time: firstEnd,
      ids: ['edge-seen'],
    });

    // Visible only after the first run: one more event in the end second, and later ones.
    addEvent('edge-late', firstEnd + 400);
    addEvent('after-1', firstEnd + 5_000);
    addEvent('after-2', firstEnd + 10 * 60_000);
    const t2 = t1 + 15 * 60_000;
    const second = startPoller(prefix, () => t2, { checkpointKey });
    await waitFor(
      async () => (await store.load<LookupCheckpoint>(checkpointKey))?.time === t2 - 60_000,
      { timeoutMs: 60_000, what: 'the second run to reach its window end' },
    );
    await stopAll();
    expect(second.stats().published).toBe(3);

    const total = firstCount + 3;
    const raw = await readTopic(client, topicNames(prefix).rawAwsCloudTrail, total);
    expect(await countMessages(client, topicNames(prefix).rawAwsCloudTrail)).toBe(total);
    const ids = raw.map((message) => JSON.parse(message.value!.toString()).eventID as string);
    expect(new Set(ids).size).toBe(total);
    expect(ids).toContain('edge-late');
    const one = raw[0]!;
    expect(one.key?.toString()).toBe(account);
    expect(headerText(one, RAW_HEADERS.source)).toBe(`lookup:${testRegion}`);
    expect(headerText(one, RAW_HEADERS.rawRef)).toMatch(new RegExp(`^lookup:${testRegion}:`));
  });

  it('backs off when throttled', async () => {
    const prefix = await freshPrefix();
    const checkpointKey = randomName('lookup_throttle');
    const store = createFileCheckpointStore(folder);
    const t1 = Date.parse('2024-06-01T00:00:00Z');
    for (let index = 0; index < 230; index += 1)
      addEvent(`t-${index}`, t1 - 30 * 60_000 + index * 1000);
    fake.throttleNext(3);

    // LookupEvents allows two requests per second; 230 events take five pages.
    const stage = startPoller(prefix, () => t1, { checkpointKey, ratePerSecond: 2 });
    await waitFor(
      async () => (await store.load<LookupCheckpoint>(checkpointKey))?.time === t1 - 60_000,
      { timeoutMs: 90_000, what: 'the poller to catch up after throttling' },
    );
    await stopAll();

    expect(stage.stats().throttled).toBe(3);
    expect(stage.stats().published).toBe(230);
    expect(await countMessages(client, topicNames(prefix).rawAwsCloudTrail)).toBe(230);

    // After each throttling response the poller waits the back-off (200, 400, 800 ms).
    const requests = fake.requests;
    const throttledAt = requests.findIndex((request) => request.throttled);
    const gaps = [1, 2, 3].map(
      (step) => requests[throttledAt + step]!.at - requests[throttledAt + step - 1]!.at,
    );
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(gaps[2]).toBeGreaterThanOrEqual(790);

    // A bucket of rate 2 and burst 2 allows at most 2 + 2 * seconds requests in any span.
    for (let first = 0; first < requests.length; first += 1) {
      for (let last = first + 1; last < requests.length; last += 1) {
        const seconds = (requests[last]!.at - requests[first]!.at) / 1000;
        expect(last - first + 1).toBeLessThanOrEqual(2 + 2 * seconds + 0.1);
      }
    }
  });
});
