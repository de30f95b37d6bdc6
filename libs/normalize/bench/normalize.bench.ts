/**
 * Throughput and memory benchmark of `@ciem/normalize`.
 *
 *   tsx libs/normalize/bench/normalize.bench.ts [--throughput] [--memory]
 *
 * Throughput (default, `--throughput` alone): for CIEM_BENCH_RECORDS (default 200,000)
 * generated records per provider (CIEM_BENCH_PROVIDERS, such as `azure` or `aws,gcp`,
 * limits the providers), prints the throughput of `JSON.parse` and of
 * `normalizeText` over the same record texts in memory, and their ratio (the goal is at
 * least 0.6). It then writes the records into a temporary folder, as JSON Lines and in the
 * provider's container form, and prints records/s and MB/s of `readRecords` (read, split,
 * parse, unwrap) and of `normalizeFile` (the same plus the normalizer) on each file.
 * Both ratios have the same input and the same reading on both sides. Times are process
 * CPU time.
 *
 * NOTE: the in-memory goal of 0.6 is met for all three providers with a thin margin for
 * Azure (0.60 to 0.68 over ten runs on one machine) and CloudTrail (0.60 to 0.67). The
 * ratio moves with the rate of `JSON.parse` itself, which varied by up to 14% between runs
 * of the same bytes. The bench README lists the measurements.
 *
 * Memory (default, `--memory` alone): writes one CloudTrail `{"Records":[...]}` file of
 * CIEM_BENCH_BIG_FILE_GB gigabytes (default 0.2) and prints the peak RSS while
 * normalizing it.
 *
 * Files are written under the system temporary folder and removed afterwards.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isNormalizationError } from '@ciem/events';
import { normalizeFile, normalizeText, readRecords } from '../src/index.js';
import { corpusRecord, type CorpusProvider } from './corpus.js';

const PROVIDERS: readonly CorpusProvider[] = ['aws', 'azure', 'gcp'];
const MEGABYTE = 1024 * 1024;
/** Records whose texts are built before each timed JSON.parse batch. */
const PARSE_BATCH = 10_000;
/** Records of the untimed run that warms up the JIT before each provider. */
const WARM_UP_RECORDS = 20_000;
/** Interval between RSS samples in the memory run, in milliseconds. */
const RSS_SAMPLE_MS = 20;

type Form = 'ndjson' | 'container';

/** Container form of each provider's records. */
const CONTAINERS: Record<CorpusProvider, { open: string; separator: string; close: string }> = {
  // CloudTrail S3 delivery: one compact line.
  aws: { open: '{"Records":[', separator: ',', close: ']}\n' },
  // Azure diagnostic settings / Event Hubs body.
  azure: { open: '{"records": [\n', separator: ',\n', close: '\n]}\n' },
  // `gcloud logging read --format=json`: a top-level array.
  gcp: { open: '[\n', separator: ',\n', close: '\n]\n' },
};

function readCount(): number {
  const value = process.env['CIEM_BENCH_RECORDS'];
  if (value === undefined || value === '') return 200_000;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`CIEM_BENCH_RECORDS must be a positive integer, received "${value}"`);
  }
  return count;
}

/** Reads the providers listed in CIEM_BENCH_PROVIDERS (comma-separated), or all three when unset. */
function readProviders(): readonly CorpusProvider[] {
  const value = process.env['CIEM_BENCH_PROVIDERS'];
  if (value === undefined || value.trim() === '') return PROVIDERS;
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(PROVIDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `CIEM_BENCH_PROVIDERS contains invalid provider names ${JSON.stringify(unknown)}: list aws, azure or gcp, comma-separated`,
    );
  }
  return PROVIDERS.filter((provider) => names.includes(provider));
}

function readBigFileGigabytes(): number {
  const value = process.env['CIEM_BENCH_BIG_FILE_GB'];
  if (value === undefined || value === '') return 0.2;
  const size = Number(value);
  if (!Number.isFinite(size) || size <= 0) {
    throw new Error(`CIEM_BENCH_BIG_FILE_GB must be a positive number, received "${value}"`);
  }
  return size;
}

/** Writes text pieces through one 4 MiB buffer, so a file of any size costs constant memory. */
class FileWriter {
  private readonly descriptor: number;
  private readonly buffer = Buffer.alloc(4 * MEGABYTE);
  private used = 0;
  bytes = 0;

  constructor(file: string) {
    this.descriptor = openSync(file, 'w');
  }

  write(text: string): void {
    if (this.used + text.length * 3 > this.buffer.length) this.flush();
    if (text.length * 3 > this.buffer.length) {
      this.bytes += writeSync(this.descriptor, text);
      return;
    }
    const written = this.buffer.write(text, this.used);
    this.used += written;
    this.bytes += written;
  }

  close(): void {
    this.flush();
    closeSync(this.descriptor);
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.descriptor, this.buffer, 0, this.used);
    this.used = 0;
  }
}

function writeCorpus(file: string, provider: CorpusProvider, form: Form, count: number): void {
  const writer = new FileWriter(file);
  const container = CONTAINERS[provider];
  if (form === 'container') writer.write(container.open);
  for (let index = 0; index < count; index++) {
    const text = JSON.stringify(corpusRecord(provider, index));
    if (form === 'ndjson') writer.write(`${text}\n`);
    else writer.write(index === 0 ? text : `${container.separator}${text}`);
  }
  if (form === 'container') writer.write(container.close);
  writer.close();
}

/** Seconds and bytes of the in-memory comparison of one provider. */
interface InMemoryTiming {
  parseSeconds: number;
  normalizeSeconds: number;
  bytes: number;
}

/**
 * Times `JSON.parse` and `normalizeText` over the same record texts, built untimed in
 * batches. Both start from a record's text in memory, so neither reads a container, and
 * `normalizeText` runs its own `JSON.parse` of the text. The two alternate batch by batch,
 * so load from other processes falls on both alike.
 */
function timeInMemory(provider: CorpusProvider, count: number): InMemoryTiming {
  let parseSeconds = 0;
  let normalizeSeconds = 0;
  let bytes = 0;
  let errors = 0;
  const texts: string[] = [];
  const context = { rawRef: 'bench', ingestTime: 1_714_521_600_000 };
  for (let start = 0; start < count; start += PARSE_BATCH) {
    texts.length = 0;
    for (let index = start; index < Math.min(count, start + PARSE_BATCH); index++) {
      const text = JSON.stringify(corpusRecord(provider, index));
      texts.push(text);
      bytes += Buffer.byteLength(text);
    }
    let began = cpuSeconds();
    let nulls = 0;
    for (const text of texts) if (JSON.parse(text) === null) nulls++;
    parseSeconds += cpuSeconds() - began;
    if (nulls > 0) throw new Error('JSON.parse returned null records');

    began = cpuSeconds();
    for (const text of texts) {
      if (isNormalizationError(normalizeText(provider, text, context))) errors++;
    }
    normalizeSeconds += cpuSeconds() - began;
  }
  if (errors > 0)
    throw new Error(`${provider}: ${errors} of ${count} records normalized to errors`);
  return { parseSeconds, normalizeSeconds, bytes };
}

async function timeNormalize(file: string, expected: number, report = true): Promise<number> {
  const began = cpuSeconds();
  let events = 0;
  let errors = 0;
  for await (const result of normalizeFile(file, { ingestTime: 1_714_521_600_000 })) {
    if (isNormalizationError(result)) errors++;
    else events++;
  }
  const seconds = cpuSeconds() - began;
  if (events + errors !== expected) {
    throw new Error(`${file}: expected ${expected} results, received ${events + errors}`);
  }
  if (errors > 0 && report)
    console.log(`  note: ${errors} of ${expected} records normalized to errors`);
  return seconds;
}

async function timeRead(file: string): Promise<number> {
  const began = cpuSeconds();
  let count = 0;
  for await (const record of readRecords(file)) if (record.text !== null) count++;
  if (count === 0) throw new Error(`${file}: no records read`);
  return cpuSeconds() - began;
}

/**
 * Returns the CPU time (user and system) the process has used, in seconds. Throughput is
 * measured in CPU time, so other processes that compete for the cores do not slow it.
 * Time spent waiting for the disk is not counted, but the files were just written and are
 * normally in the page cache.
 */
function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function rate(count: number, seconds: number): string {
  return `${Math.round(count / seconds).toLocaleString('en-US')} rec/s`;
}

function megabytesPerSecond(bytes: number, seconds: number): string {
  return `${(bytes / MEGABYTE / seconds).toFixed(1)} MB/s`;
}

async function runThroughput(directory: string): Promise<void> {
  const count = readCount();
  console.log(
    `Throughput: ${count.toLocaleString('en-US')} records per provider and form, per second of process CPU time`,
  );
  console.log(
    'in memory: JSON.parse and normalizeText of the same record texts, neither reading a container (goal: ratio >= 0.6)',
  );
  console.log(
    'files: readRecords (read, frame, JSON.parse, unwrap) and normalizeFile (the same plus the normalizer) of the same file',
  );
  for (const provider of readProviders()) {
    // Warm up the JIT on a small corpus so the timed runs measure steady-state code.
    const warmUp = path.join(directory, `${provider}.warm-up.json`);
    writeCorpus(warmUp, provider, 'ndjson', WARM_UP_RECORDS);
    timeInMemory(provider, WARM_UP_RECORDS);
    await timeRead(warmUp);
    await timeNormalize(warmUp, WARM_UP_RECORDS, false);
    await rm(warmUp);

    const memory = timeInMemory(provider, count);
    console.log(
      `${provider} in memory: JSON.parse ${rate(count, memory.parseSeconds)} | normalizeText ${rate(count, memory.normalizeSeconds)}, ${megabytesPerSecond(memory.bytes, memory.normalizeSeconds)} (${(memory.bytes / count / 1024).toFixed(2)} KB/record) | normalizeText/JSON.parse: ${(memory.parseSeconds / memory.normalizeSeconds).toFixed(2)}`,
    );
    for (const form of ['ndjson', 'container'] as const) {
      const file = path.join(directory, `${provider}.${form}.json`);
      writeCorpus(file, provider, form, count);
      const bytes = statSync(file).size;
      // Two alternating rounds, keeping the faster of each, so a burst of load from other
      // processes does not decide the ratio.
      const firstRead = await timeRead(file);
      const firstNormalize = await timeNormalize(file, count);
      const read = Math.min(firstRead, await timeRead(file));
      const normalize = Math.min(firstNormalize, await timeNormalize(file, count, false));
      console.log(
        `${provider} ${form.padEnd(9)} file: readRecords ${rate(count, read)}, ${megabytesPerSecond(bytes, read)} | normalizeFile ${rate(count, normalize)}, ${megabytesPerSecond(bytes, normalize)} | normalizeFile/readRecords: ${(read / normalize).toFixed(2)}`,
      );
      await rm(file);
    }
  }
}

async function runMemory(directory: string): Promise<void> {
  const gigabytes = readBigFileGigabytes();
  const file = path.join(directory, 'big.cloudtrail.json');
  const target = gigabytes * 1024 * MEGABYTE;
  const writer = new FileWriter(file);
  writer.write(CONTAINERS.aws.open);
  let count = 0;
  while (writer.bytes < target) {
    const text = JSON.stringify(corpusRecord('aws', count % 50_000));
    writer.write(count === 0 ? text : `,${text}`);
    count++;
  }
  writer.write(CONTAINERS.aws.close);
  writer.close();

  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  sampler.unref();
  const began = process.hrtime.bigint();
  let results = 0;
  for await (const _result of normalizeFile(file, { ingestTime: 1_714_521_600_000 })) {
    results++;
    if (results % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  peak = Math.max(peak, process.memoryUsage().rss);
  await rm(file);

  if (results !== count) throw new Error(`expected ${count} results, received ${results}`);
  console.log(
    `Memory: one {"Records":[...]} file of ${(writer.bytes / MEGABYTE).toFixed(0)} MB, ${count.toLocaleString('en-US')} records, normalized in ${seconds.toFixed(1)} s (${megabytesPerSecond(writer.bytes, seconds)})`,
  );
  console.log(
    `Memory: RSS ${(before / MEGABYTE).toFixed(0)} MB before, peak ${(peak / MEGABYTE).toFixed(0)} MB while streaming`,
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const throughputOnly = argv.includes('--throughput');
  const memoryOnly = argv.includes('--memory');
  const directory = await mkdtemp(path.join(tmpdir(), 'ciem-normalize-bench-'));
  console.log(`Node ${process.version}, files in ${directory}`);
  try {
    if (!memoryOnly || throughputOnly) await runThroughput(directory);
    if (!throughputOnly || memoryOnly) await runMemory(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
