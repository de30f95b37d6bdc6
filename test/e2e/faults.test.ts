import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { clickhouseUrl, randomName, waitFor } from '@ciem/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ExpectedOutcome } from './support/expected.js';
import { expectedOutcome, total } from './support/expected.js';
import { writeFixtureFiles } from './support/fixtures.js';
import type { LocalKafka } from './support/local-kafka.js';
import { prepareLocalKafka } from './support/local-kafka.js';
import type { PipelineContext, PipelineOptions } from './support/pipeline-context.js';
import { startPipeline } from './support/pipeline-context.js';
import { startTcpProxy } from './support/tcp-proxy.js';
import { deadLetterRowsByProvider, eventRowsByProvider, eventTotals } from './support/store.js';

const contexts: PipelineContext[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pipeline(options: PipelineOptions = {}): Promise<PipelineContext> {
  const context = await startPipeline(options);
  contexts.push(context);
  return context;
}

/** Writes two sets of fixture files and returns them with what the library predicts for both. */
async function fixtures(perProvider: number): Promise<{
  first: string[];
  second: string[];
  expected: ExpectedOutcome;
}> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-faults-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const first = await writeFixtureFiles(path.join(folder, 'first'), {
    perProvider,
    tag: randomName('first'),
    withBadRecords: true,
  });
  const second = await writeFixtureFiles(path.join(folder, 'second'), {
    perProvider,
    tag: randomName('second'),
    withBadRecords: true,
  });
  return { first, second, expected: await expectedOutcome([...first, ...second]) };
}

async function storedEvents(context: PipelineContext): Promise<number> {
  return total(await eventRowsByProvider(context.clickhouse, context.database));
}

/** Waits until ClickHouse contains every expected row, then checks that it contains exactly those. */
async function expectExactlyStored(
  context: PipelineContext,
  expected: ExpectedOutcome,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    async () =>
      (await storedEvents(context)) >= total(expected.rows) &&
      total(await deadLetterRowsByProvider(context.clickhouse, context.database)) >=
        total(expected.deadLettered),
    { timeoutMs, intervalMs: 500, what: 'every record in ClickHouse' },
  );
  expect(await eventRowsByProvider(context.clickhouse, context.database)).toEqual(expected.rows);
  expect(await deadLetterRowsByProvider(context.clickhouse, context.database)).toEqual(
    expected.deadLettered,
  );
  const totals = await eventTotals(context.clickhouse, context.database);
  expect(totals.final).toBe(total(expected.rows));
  // The fixtures repeat no event id, so every normalizable record is one event id.
  expect(totals.uniqueIds).toBe(total(expected.normalizable));
}

/** Returns a loopback port whose successor is free too, for a broker and its controller. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: found } = server.address() as net.AddressInfo;
        server.close(() => resolve(found));
      });
    });
    if (port >= 65_535) continue;
    const nextFree = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port + 1, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (nextFree) return port;
  }
}

describe('normalizer under faults', () => {
  it('loses nothing after kill -9', async () => {
    const { first, second, expected } = await fixtures(1_500);
    const context = await pipeline({ env: { CIEM_CLICKHOUSE_BATCH_MAX_ROWS: '100' } });
    await context.publish([...first, ...second]);

    // Kill while part of the records is stored: a batch is in flight.
    await waitFor(async () => (await storedEvents(context)) > 0, {
      timeoutMs: 60_000,
      intervalMs: 20,
      what: 'the first stored events',
    });
    const storedAtKill = await storedEvents(context);
    expect(await context.normalizer.kill()).toBe('SIGKILL');
    expect(storedAtKill).toBeLessThan(total(expected.rows));

    await context.restart();
    await expectExactlyStored(context, expected, 90_000);
  });

  it('waits out a stopped Kafka broker', async () => {
    const kafka: LocalKafka = await prepareLocalKafka(await freePortPair());
    cleanups.push(() => kafka.remove());
    await kafka.start();
    const { first, second, expected } = await fixtures(300);
    const context = await pipeline({ brokers: kafka.brokers });
    await context.publish(first);
    await waitFor(async () => (await storedEvents(context)) > 0, {
      timeoutMs: 60_000,
      what: 'events before the broker stops',
    });

    await kafka.stop();
    // The outage itself: the broker stays down for 30 s while the normalizer runs.
    await delay(30_000);
    expect(context.normalizer.child.exitCode).toBeNull();
    await kafka.start();

    await context.publish(second);
    await expectExactlyStored(context, expected, 120_000);
    expect(context.normalizer.child.exitCode).toBeNull();
  });

  it('waits out an unreachable ClickHouse', async () => {
    const target = new URL(clickhouseUrl);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 8123));
    cleanups.push(() => proxy.shutdown());
    const { first, second, expected } = await fixtures(300);
    const context = await pipeline({ normalizerClickhouseUrl: `http://127.0.0.1:${proxy.port}` });
    await context.publish(first);
    await waitFor(async () => (await storedEvents(context)) > 0, {
      timeoutMs: 60_000,
      what: 'events before ClickHouse goes away',
    });

    await proxy.close();
    await context.publish(second);
    // The outage itself: ClickHouse stays unreachable for 60 s while records arrive.
    await delay(60_000);
    expect(context.normalizer.child.exitCode).toBeNull();
    await proxy.open();

    await expectExactlyStored(context, expected, 120_000);
    expect(context.normalizer.child.exitCode).toBeNull();
    const retried = context.normalizer.lines.some(
      (line) => line.msg === 'Kafka batch failed; it will be delivered again',
    );
    expect(retried).toBe(true);
  });
});
