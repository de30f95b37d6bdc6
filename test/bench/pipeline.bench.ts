/**
 * End-to-end throughput of the normalizer stage through the real Kafka and ClickHouse, and
 * its cost per event next to the normalizer library alone on the same records.
 *
 *   bash deploy/local/kafka.sh start && bash deploy/local/clickhouse.sh start
 *   npx tsx test/bench/pipeline.bench.ts [records per provider, default 20000]
 *
 * It writes hand-made CloudTrail, Azure and GCP files, publishes them to fresh raw topics,
 * then starts the stage and times it until its group has committed every offset (every
 * event is then acknowledged by Kafka and flushed to ClickHouse). The goal is a pipeline
 * cost per event of at most 3 times the library's. Topics and database are deleted at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import { normalizeText, readRecords } from '@ciem/normalize';
import {
  createNormalizerStage,
  createPlatformTopics,
  publishRawFiles,
  rawTopicsOf,
} from '@ciem/pipeline';
import { createLogger, createMetrics, stageMetrics } from '@ciem/telemetry';
import { clickhouseUrl, kafkaBrokers, randomName } from '@ciem/testing';
import { trace } from '@opentelemetry/api';
import { writeFixtureFiles } from '../e2e/support/fixtures.js';

const perProvider = Number(process.argv[2] ?? 20_000);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function libraryEventsPerSecond(
  files: string[],
): Promise<{ records: number; perSecond: number }> {
  const texts: Array<{ provider: 'aws' | 'azure' | 'gcp'; text: string }> = [];
  for (const file of files) {
    for await (const item of readRecords(file, { name: file })) {
      if (!('kind' in item) && item.provider !== undefined) {
        texts.push({ provider: item.provider, text: item.text });
      }
    }
  }
  // One warm-up pass, then the timed pass.
  for (const { provider, text } of texts.slice(0, 2_000)) {
    normalizeText(provider, text, { rawRef: 'warm-up', ingestTime: 0 });
  }
  const started = performance.now();
  for (const [index, { provider, text }] of texts.entries()) {
    normalizeText(provider, text, { rawRef: `bench/0/${index}`, ingestTime: 0 });
  }
  const seconds = (performance.now() - started) / 1000;
  return { records: texts.length, perSecond: texts.length / seconds };
}

async function main(): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-bench-'));
  const prefix = `${randomName('bench')}.`;
  const database = randomName('ciem_bench');
  const groupId = randomName('bench_normalizer');
  const topics = topicNames(prefix);
  const kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'bench', logger: quiet });
  const clickhouse = createClickHouse({ url: clickhouseUrl, database });
  try {
    const files = await writeFixtureFiles(folder, { perProvider, tag: randomName('bench') });
    const library = await libraryEventsPerSecond(files);
    progress(`library: ${Math.round(library.perSecond)} events/s over ${library.records} records`);

    await clickhouse.ensureDatabase(database);
    await runMigrations({ client: clickhouse, database });
    await createPlatformTopics(kafka, {
      prefix,
      partitions: 3,
      replicationFactor: 1,
      maxMessageBytes: 16 * 1_048_576,
    });
    const producer = await kafka.createProducer();
    const publishStarted = performance.now();
    await publishRawFiles({ files, producer, topics, ingestTime: Date.now(), batchSize: 2_000 });
    const publishSeconds = (performance.now() - publishStarted) / 1000;
    progress(`published ${library.records} records in ${publishSeconds.toFixed(1)} s`);
    await producer.disconnect();

    const stage = createNormalizerStage({
      kafka,
      topics,
      groupId,
      clickhouse,
      database,
      logger: createSilentLogger(),
      metrics: stageMetrics(createMetrics({ defaultMetrics: false }), 'normalizer'),
      tracer: trace.getTracer('bench'),
      batchMaxRows: 10_000,
      batchMaxWaitMs: 1_000,
      maxRecordBytes: 8 * 1_048_576,
    });
    const ends = new Map<string, bigint>();
    for (const { topic } of rawTopicsOf(topics)) {
      for (const lag of await kafka.fetchLag(groupId, topic)) {
        ends.set(`${lag.topic}/${lag.partition}`, BigInt(lag.highWatermark));
      }
    }
    const started = performance.now();
    let lastReport = started;
    await stage.start({ fail: (error) => console.error('stage failed', error) });
    for (;;) {
      const lags = await stage.fetchLag();
      const done = lags.every((lag) => {
        const end = ends.get(`${lag.topic}/${lag.partition}`) ?? 0n;
        return end === 0n || (lag.committedOffset !== null && BigInt(lag.committedOffset) >= end);
      });
      if (done && lags.length === ends.size) break;
      if (performance.now() - lastReport > 5_000) {
        lastReport = performance.now();
        progress(`lag: ${lags.map((lag) => `${lag.partition}:${lag.lag}`).join(' ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    await stage.stop();

    const [stored] = await clickhouse.query<{ c: string }>(
      `SELECT count() AS c FROM ${database}.events FINAL`,
    );
    const pipelinePerSecond = library.records / seconds;
    const lines = [
      `records: ${library.records} (${perProvider} per provider), stored events: ${stored?.c}`,
      `normalizer library alone: ${Math.round(library.perSecond)} events/s`,
      `publish to raw topics:    ${Math.round(library.records / publishSeconds)} records/s`,
      `pipeline (Kafka -> normalizer stage -> Kafka + ClickHouse, committed): ${Math.round(pipelinePerSecond)} events/s`,
      `pipeline cost per event / library cost per event: ${(library.perSecond / pipelinePerSecond).toFixed(2)} (goal <= 3)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    const admin = await kafka.createAdmin();
    await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
    await admin.disconnect();
    await kafka.close();
    await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await clickhouse.close();
    await rm(folder, { recursive: true, force: true });
  }
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function createSilentLogger() {
  // The stage only needs the pino call shape; a silent pino keeps the output to the results.
  return createLogger({ service: 'bench', level: 'silent' });
}

await main();
