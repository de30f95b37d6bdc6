import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DependencyError } from '@ciem/errors';
import { kafkaBrokers, randomName, repoRoot, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient, ensureTopics } from './index.js';
import type {
  KafkaAdmin,
  KafkaClient,
  KafkaLogger,
  KafkaProducer,
  ReceivedBatch,
  RunningConsumer,
} from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const hangingConsumer = path.join(here, 'test-support', 'hanging-consumer.ts');

// Warnings and errors are kept so a failing test can print them.
const logLines: string[] = [];
const logger: KafkaLogger = {
  debug: () => {},
  info: () => {},
  warn: (fields, message) => logLines.push(`warn ${message} ${JSON.stringify(fields)}`),
  error: (fields, message) => logLines.push(`error ${message} ${JSON.stringify(fields)}`),
};

let client: KafkaClient;
let admin: KafkaAdmin;
let producer: KafkaProducer;
const topicsToDelete: string[] = [];
const running: RunningConsumer[] = [];

beforeAll(async () => {
  client = createKafkaClient({
    brokers: kafkaBrokers,
    clientId: 'kafka-consumer-int-test',
    logger,
  });
  admin = await client.createAdmin();
  producer = await client.createProducer();
});

afterAll(async () => {
  await Promise.all(running.map((consumer) => consumer.stop()));
  await producer?.disconnect();
  if (topicsToDelete.length > 0) await admin?.deleteTopics(topicsToDelete);
  await admin?.disconnect();
  await client?.close();
});

async function createTopic(partitions: number): Promise<string> {
  const topic = randomName('consumer_int');
  await ensureTopics(admin, [{ name: topic, partitions, replicationFactor: 1 }]);
  topicsToDelete.push(topic);
  return topic;
}

async function startConsumer(
  groupId: string,
  topic: string,
  handleBatch: Parameters<KafkaClient['runConsumer']>[0]['handleBatch'],
): Promise<RunningConsumer> {
  const consumer = await client.runConsumer({
    groupId,
    topics: [topic],
    fromBeginning: true,
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 1_000,
    retryBackoff: { initialMs: 50, maxMs: 500 },
    handleBatch,
  });
  running.push(consumer);
  return consumer;
}

function valuesOf(batch: ReceivedBatch): string[] {
  return batch.messages.map((message) => message.value?.toString() ?? '');
}

async function waitUntilCommitted(groupId: string, topic: string): Promise<void> {
  await waitFor(
    async () => (await client.fetchLag(groupId, topic)).every((partition) => partition.lag === 0),
    {
      timeoutMs: 30_000,
      what: `group ${groupId} to commit everything on ${topic}`,
    },
  );
}

function startHangingConsumer(
  topic: string,
  groupId: string,
): { child: ChildProcess; lines: string[] } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', hangingConsumer, kafkaBrokers.join(','), topic, groupId],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.length > 0));
  });
  child.stderr?.on('data', (chunk: Buffer) => logLines.push(`child stderr ${chunk.toString()}`));
  return { child, lines };
}

describe('runConsumer against Kafka', () => {
  it('redelivers a batch after kill before commit', async () => {
    const topic = await createTopic(3);
    const groupId = randomName('group');
    const produced = Array.from({ length: 500 }, (_, index) => `m${index}`);
    await producer.send(
      topic,
      produced.map((value, index) => ({ key: `k${index}`, value })),
    );

    // 1. A separate process receives a batch and is killed before its handler resolves.
    const { child, lines } = startHangingConsumer(topic, groupId);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => lines.length > 0, {
        timeoutMs: 60_000,
        what: 'the child consumer to receive a batch',
      });
    } finally {
      child.kill('SIGKILL');
    }
    await exited;
    const seenByKilled = lines.flatMap((line) => (JSON.parse(line) as { values: string[] }).values);
    expect(seenByKilled.length).toBeGreaterThan(0);
    const lagAfterKill = await client.fetchLag(groupId, topic);
    expect(lagAfterKill.every((partition) => partition.committedOffset === null)).toBe(true);

    // 2. A restarted member of the group gets every message, including those the killed one saw.
    const delivered: string[] = [];
    const second = await startConsumer(groupId, topic, async (batch) => {
      delivered.push(...valuesOf(batch));
    });
    await waitFor(() => delivered.length >= produced.length, {
      timeoutMs: 90_000,
      what: `500 messages after the restart (got ${delivered.length})`,
    });
    await waitUntilCommitted(groupId, topic);
    await second.stop();
    expect(new Set(delivered)).toEqual(new Set(produced));
    expect(delivered).toHaveLength(produced.length);
    for (const value of seenByKilled) expect(delivered).toContain(value);

    // 3. After the commit, a third member receives only messages produced after it.
    const afterCommit: string[] = [];
    const third = await startConsumer(groupId, topic, async (batch) => {
      afterCommit.push(...valuesOf(batch));
    });
    const sentinels = ['after-0', 'after-1', 'after-2'];
    await producer.send(
      topic,
      sentinels.map((value, partition) => ({ value, partition })),
    );
    await waitFor(() => afterCommit.length >= sentinels.length, {
      timeoutMs: 60_000,
      what: 'the three new messages',
    });
    await waitUntilCommitted(groupId, topic);
    await third.stop();
    expect(afterCommit.sort()).toEqual(sentinels);
  });

  it('redelivers a batch whose handler threw', async () => {
    const topic = await createTopic(1);
    const groupId = randomName('group');
    const produced = Array.from({ length: 30 }, (_, index) => `r${index}`);
    await producer.send(
      topic,
      produced.map((value) => ({ value })),
    );

    const attempts: Array<{ offsets: string[]; failed: boolean }> = [];
    const consumer = await startConsumer(groupId, topic, async (batch) => {
      const failed = attempts.length === 0;
      attempts.push({ offsets: batch.messages.map((message) => message.offset), failed });
      if (failed) throw new DependencyError('CIEM_TEST_SINK_DOWN', 'sink unavailable');
    });
    await waitUntilCommitted(groupId, topic);
    await consumer.stop();

    const [first, second] = attempts;
    expect(first?.failed).toBe(true);
    // The failed batch comes back from its first offset.
    expect(second?.offsets[0]).toBe(first?.offsets[0]);
    const handledOffsets = attempts
      .filter((attempt) => !attempt.failed)
      .flatMap((attempt) => attempt.offsets);
    expect(handledOffsets).toEqual(produced.map((_, index) => String(index)));
    expect(
      logLines.some((line) => line.includes('Kafka batch failed; it will be delivered again')),
    ).toBe(true);
  });

  it('reports lag until it is zero', async () => {
    const topic = await createTopic(2);
    const groupId = randomName('group');
    await producer.send(
      topic,
      Array.from({ length: 20 }, (_, index) => ({ key: `k${index}`, value: `r${index}` })),
    );

    const reports: Array<{ group: string; total: number; partitions: number }> = [];
    const consumer = await client.runConsumer({
      groupId,
      topics: [topic],
      fromBeginning: true,
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 1_000,
      lagIntervalMs: 1_000,
      onLag: (group, lags) =>
        reports.push({
          group,
          total: lags.reduce((sum, partition) => sum + partition.lag, 0),
          partitions: lags.length,
        }),
      handleBatch: async () => {},
    });
    running.push(consumer);
    await waitFor(() => reports.some((report) => report.total === 0), {
      timeoutMs: 30_000,
      what: `a zero lag report of group ${groupId}`,
    });
    await consumer.stop();

    expect(reports.every((report) => report.group === groupId)).toBe(true);
    expect(reports.every((report) => report.partitions === 2)).toBe(true);
  });

  it('stop commits the batch in flight', async () => {
    const topic = await createTopic(1);
    const groupId = randomName('group');
    await producer.send(topic, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);

    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    let stoppingSeen = false;
    const consumer = await startConsumer(groupId, topic, async (_batch, control) => {
      entered = true;
      await gate;
      stoppingSeen = control.isStopping();
    });
    await waitFor(() => entered, { timeoutMs: 60_000, what: 'the handler to receive the batch' });

    const stopped = consumer.stop();
    expect(consumer.stop()).toBe(stopped);
    release();
    await stopped;
    await consumer.done;

    expect(stoppingSeen).toBe(true);
    const lag = await client.fetchLag(groupId, topic);
    expect(lag).toEqual([
      { topic, partition: 0, highWatermark: '3', committedOffset: '3', lag: 0 },
    ]);
  });

  it('stops uncommitted on a handler TypeError', async () => {
    const topic = await createTopic(1);
    const groupId = randomName('group');
    await producer.send(topic, [{ value: 'x' }]);

    const consumer = await startConsumer(groupId, topic, async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'eventID')");
    });
    await expect(consumer.done).rejects.toMatchObject({ code: 'CIEM_KAFKA_CONSUMER_FAILED' });
    const lag = await client.fetchLag(groupId, topic);
    expect(lag[0]?.committedOffset).toBeNull();
    expect(lag[0]?.lag).toBe(1);
  });
});
