/**
 * End-to-end throughput of the normalizer stage through the real Kafka and ClickHouse, and
 * its cost per event next to the normalizer library alone on the same records.
 *
 *   bash deploy/local/kafka.sh start && bash deploy/local/clickhouse.sh start
 *   npx tsx test/bench/pipeline.bench.ts [records per provider, default 20000]
 *
 * It writes hand-made CloudTrail, Azure and GCP files, publishes them to fresh raw topics,
 * then starts the stage and times it from the moment its consumer joined the group until the
 * group has committed every offset (every event is then acknowledged by Kafka and written to
 * ClickHouse). A smaller warm-up run in the same process goes first. The library is timed on
 * the same record bytes the stage reads from Kafka, before and after the stage, and its
 * median pass counts. The goal is a pipeline cost per event of at most 3 times the library's.
 * The CPU this process used while the stage ran is compared with the library's CPU too, which
 * depends less on what else the machine runs. When the broker and ClickHouse run from
 * `deploy/local/`, their CPU over the same span is read from `/proc` and printed per event
 * as well, alone and added to the stage's.
 * Topics and databases are deleted at the end.
 */
import { Buffer } from 'node:buffer';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
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
import { serverCpuSeconds } from './support/server-cpu.js';

const perProvider = Number(process.argv[2] ?? 20_000);
/** Where to write a V8 CPU profile of the timed stage run, from the group join to the last commit. */
const cpuProfileFile = process.env.CIEM_BENCH_CPU_PROFILE;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Reads the records of `files` as the raw topics carry them: each with its provider and bytes. */
async function readRawRecords(
  files: string[],
): Promise<Array<{ provider: 'aws' | 'azure' | 'gcp'; value: Buffer }>> {
  const records: Array<{ provider: 'aws' | 'azure' | 'gcp'; value: Buffer }> = [];
  for (const file of files) {
    for await (const item of readRecords(file, { name: file })) {
      if (!('kind' in item) && item.provider !== undefined) {
        records.push({ provider: item.provider, value: Buffer.from(item.text, 'utf8') });
      }
    }
  }
  return records;
}

/** Wall-clock and CPU seconds of one piece of work in this process. */
interface Timing {
  seconds: number;
  cpuSeconds: number;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Times passes of `normalizeText` over the same bytes the stage reads from Kafka, after one
 * untimed warm-up pass. Returns the wall-clock and CPU seconds of each timed pass.
 */
function timeLibraryPasses(
  records: Array<{ provider: 'aws' | 'azure' | 'gcp'; value: Buffer }>,
  passes: number,
): Timing[] {
  const pass = (): Timing => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const [index, { provider, value }] of records.entries()) {
      normalizeText(provider, value, { rawRef: `bench/0/${index}`, ingestTime: 0 });
    }
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(cpu) };
  };
  pass();
  return Array.from({ length: passes }, pass);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface StageRun {
  records: number;
  storedEvents: string | undefined;
  publishPerSecond: number;
  /** From the moment the stage's consumer joined its group to the last commit. */
  seconds: number;
  /** CPU this process used in the same span: the stage, its Kafka and ClickHouse clients. */
  cpuSeconds: number;
  /** CPU the broker and the ClickHouse server used in the same span, when their pids are known. */
  servers: ServerCpu[];
}

/** A local server of `deploy/local/`, found by the pid file its script writes. */
interface ServerCpu {
  name: string;
  cpuSeconds: number;
}

/**
 * Publishes `files` to fresh raw topics, starts a normalizer stage on them and times it from
 * the moment its consumer joined the group (connecting and the group join are left out) until
 * its group has committed every offset. Topics and database are deleted at the end.
 */
async function runStage(files: string[], records: number, profiler?: Session): Promise<StageRun> {
  const prefix = `${randomName('bench')}.`;
  const database = randomName('ciem_bench');
  const groupId = randomName('bench_normalizer');
  const topics = topicNames(prefix);
  let joinedAt: number | undefined;
  let cpuAtJoin: NodeJS.CpuUsage | undefined;
  let serversAtJoin = new Map<string, number>();
  const kafkaLogger = {
    ...quiet,
    info(_fields: object, message: string) {
      if (message !== 'Kafka consumer joined its group' || joinedAt !== undefined) return;
      joinedAt = performance.now();
      cpuAtJoin = process.cpuUsage();
      serversAtJoin = serverCpuSeconds();
      void profiler?.post('Profiler.start');
    },
  };
  const kafka = createKafkaClient({
    brokers: kafkaBrokers,
    clientId: 'bench',
    logger: kafkaLogger,
  });
  const clickhouse = createClickHouse({ url: clickhouseUrl, database });
  try {
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
      ...(process.env.MBP ? { maxBytesPerPartition: Number(process.env.MBP) } : {}),
      ...(process.env.PCC ? { partitionsConsumedConcurrently: Number(process.env.PCC) } : {}),
    });
    const ends = new Map<string, bigint>();
    for (const { topic } of rawTopicsOf(topics)) {
      for (const lag of await kafka.fetchLag(groupId, topic)) {
        ends.set(`${lag.topic}/${lag.partition}`, BigInt(lag.highWatermark));
      }
    }
    let lastReport = performance.now();
    await stage.start({ fail: (error) => console.error('stage failed', error) });
    let doneAt: number;
    let cpuSeconds: number;
    let servers: ServerCpu[] = [];
    for (;;) {
      const lags = await stage.fetchLag();
      const done = lags.every((lag) => {
        const end = ends.get(`${lag.topic}/${lag.partition}`) ?? 0n;
        return end === 0n || (lag.committedOffset !== null && BigInt(lag.committedOffset) >= end);
      });
      if (done && lags.length === ends.size) {
        doneAt = performance.now();
        cpuSeconds = cpuAtJoin === undefined ? 0 : cpuSecondsSince(cpuAtJoin);
        servers = [...serverCpuSeconds()].flatMap(([name, seconds]) => {
          const atJoin = serversAtJoin.get(name);
          return atJoin === undefined ? [] : [{ name, cpuSeconds: seconds - atJoin }];
        });
        if (profiler !== undefined && cpuProfileFile !== undefined) {
          const { profile } = await profiler.post('Profiler.stop');
          await writeFile(cpuProfileFile, JSON.stringify(profile));
        }
        break;
      }
      if (performance.now() - lastReport > 5_000) {
        lastReport = performance.now();
        progress(`lag: ${lags.map((lag) => `${lag.partition}:${lag.lag}`).join(' ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stage.stop();
    const [stored] = await clickhouse.query<{ c: string }>(
      `SELECT count() AS c FROM ${database}.events FINAL`,
    );
    return {
      records,
      storedEvents: stored?.c,
      publishPerSecond: records / publishSeconds,
      seconds: (doneAt - (joinedAt ?? doneAt)) / 1000,
      cpuSeconds,
      servers,
    };
  } finally {
    const admin = await kafka.createAdmin();
    await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
    await admin.disconnect();
    await kafka.close();
    await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await clickhouse.close();
  }
}

async function main(): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-bench-'));
  try {
    const files = await writeFixtureFiles(path.join(folder, 'run'), {
      perProvider,
      tag: randomName('bench'),
    });
    const records = await readRawRecords(files);
    // The machine is shared, so the library is timed both before and after the stage and
    // the median pass counts.
    const libraryTimings = timeLibraryPasses(records, 3);

    // A smaller warm-up run in the same process, so that the timed run is not the first to
    // compile the stage's code paths, as the library's warm-up pass does for the library.
    const warmUpFiles = await writeFixtureFiles(path.join(folder, 'warm-up'), {
      perProvider: Math.min(perProvider, 3_000),
      tag: randomName('bench'),
    });
    const warmUp = await runStage(warmUpFiles, 3 * Math.min(perProvider, 3_000));
    progress(`warm-up: ${warmUp.records} records in ${warmUp.seconds.toFixed(1)} s`);

    const profiler = cpuProfileFile === undefined ? undefined : new Session();
    profiler?.connect();
    await profiler?.post('Profiler.enable');
    const run = await runStage(files, records.length, profiler);
    profiler?.disconnect();
    libraryTimings.push(...timeLibraryPasses(records, 3));
    const libraryPerSecond = records.length / median(libraryTimings.map((t) => t.seconds));
    const libraryCpuPerEvent = median(libraryTimings.map((t) => t.cpuSeconds)) / records.length;
    const pipelinePerSecond = run.records / run.seconds;
    const pipelineCpuPerEvent = run.cpuSeconds / run.records;
    const lines = [
      `records: ${run.records} (${perProvider} per provider), stored events: ${run.storedEvents}`,
      `normalizer library alone: ${Math.round(libraryPerSecond)} events/s`,
      `publish to raw topics:    ${Math.round(run.publishPerSecond)} records/s`,
      `pipeline (Kafka -> normalizer stage -> Kafka + ClickHouse, committed): ${Math.round(pipelinePerSecond)} events/s`,
      `pipeline cost per event / library cost per event: ${(libraryPerSecond / pipelinePerSecond).toFixed(2)} (goal <= 3)`,
      `CPU of the stage's process per event / library CPU per event: ${(pipelineCpuPerEvent / libraryCpuPerEvent).toFixed(2)} (Kafka and ClickHouse servers not included)`,
      ...serverLines(run, libraryCpuPerEvent),
      microsecondsLine(run, libraryCpuPerEvent),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Formats each server's CPU per event over the library's, then the stage's and servers' CPU
 * together over the library's, which is the whole cost of an event on this machine.
 */
function serverLines(run: StageRun, libraryCpuPerEvent: number): string[] {
  if (run.servers.length === 0) {
    return ['server CPU: not measured (no pid files of deploy/local servers, or no /proc)'];
  }
  const ratio = (seconds: number) => (seconds / run.records / libraryCpuPerEvent).toFixed(2);
  const serverSeconds = run.servers.reduce((sum, server) => sum + server.cpuSeconds, 0);
  return [
    ...run.servers.map(
      (server) =>
        `CPU of the ${server.name} per event / library CPU per event: ${ratio(server.cpuSeconds)}`,
    ),
    `CPU of the stage's process and the servers per event / library CPU per event: ${ratio(run.cpuSeconds + serverSeconds)}`,
  ];
}

/**
 * Formats the CPU per event in microseconds of the library, the stage's process and each
 * server. Runs of different code compare better on these than on ratios when the machine is
 * shared, because the library's own CPU per event moves with the machine's other load.
 */
function microsecondsLine(run: StageRun, libraryCpuPerEvent: number): string {
  const microseconds = (seconds: number) => ((seconds / run.records) * 1e6).toFixed(1);
  const parts = [
    `library ${(libraryCpuPerEvent * 1e6).toFixed(1)}`,
    `stage's process ${microseconds(run.cpuSeconds)}`,
    ...run.servers.map((server) => `${server.name} ${microseconds(server.cpuSeconds)}`),
  ];
  return `CPU per event in microseconds: ${parts.join(', ')}`;
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function createSilentLogger() {
  // The stage only needs the pino call shape; a silent pino keeps the output to the results.
  return createLogger({ service: 'bench', level: 'silent' });
}

await main();
