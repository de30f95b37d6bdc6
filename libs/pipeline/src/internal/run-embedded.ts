import type { NormalizationError, NormalizedEvent } from '@ciem/events';
import { TOPICS, isNormalizationError } from '@ciem/events';
import type { RawRecord } from '@ciem/normalize';
import { normalizeRecord, readRecords } from '@ciem/normalize';
import { UsageStore } from '@ciem/usage';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InProcessBus } from './bus.js';
import type { BusMessage } from './bus.js';
import { deadLetterForError } from './dead-letter.js';
import { resolveInputs } from './inputs.js';
import { LineWriter } from './ndjson-writer.js';
import { prepareOutputDir } from './output-dir.js';
import { emptyCounts } from './run-summary.js';
import type { ProviderCounts, RunProgress, RunSummary } from './run-summary.js';
import { writeUsageFiles } from './usage-files.js';
import { runRightsizingStep } from './rightsizing-step.js';
import { wireAnomalyStep } from './anomaly-step.js';
import { loadCountryLookup } from './geoip.js';
import type { RightsizingStepOptions } from './rightsizing-step.js';

/** Options of {@link runEmbedded}. */
export interface EmbeddedRunOptions {
  /** Files, folders and glob patterns to read. */
  inputs: readonly string[];
  /** Folder for the outputs; created when missing. */
  outputDir: string;
  /** Records per bus batch. Larger batches cost memory and save per-batch overhead. */
  batchSize?: number;
  /** Called with progress at most once per `progressIntervalMs`. */
  onProgress?: (progress: RunProgress) => void;
  progressIntervalMs?: number;
  /** Clock for `ingest_time` and durations; injectable for tests. */
  now?: () => number;
  /** IAM export files or folders; when given, right-sizing runs after the logs are read. */
  grants?: readonly string[];
  /** Right-sizing window and ownership; used only with `grants`. */
  rightsizing?: Pick<RightsizingStepOptions, 'windowDays' | 'windowEnd' | 'accountTeams'>;
  /**
   * Looks up callers' countries for the anomaly detectors (new country, impossible travel),
   * as the analyzer-anomaly service does; loading takes about a second. Default true.
   */
  geoip?: boolean;
}

/** A raw record on the embedded bus, with the provider the reader detected. */
interface RawMessage {
  record: RawRecord;
}

/** An event or a rejected record on its way to the sinks. */
interface DeadLetterMessage {
  error: NormalizationError;
  raw: string | undefined;
}

const UNCLASSIFIED_RAW_TOPIC = 'ciem.raw.unclassified';

/**
 * Runs the main job in one process: read files, normalize, keep usage, and write
 * `events.ndjson`, `dlq.ndjson`, `usage.csv`, `principals.csv` and `summary.json` to the
 * output folder. Stages talk over an in-process bus with the Kafka topic names, so the
 * analyzers subscribe here exactly as they subscribe to Kafka in distributed mode.
 *
 * Counts are taken at both ends: `read` at the reader, `normalized` and `dead_lettered` at
 * the sinks. For every provider `read = normalized + dead_lettered`, which the tests check.
 *
 * @throws InputError `CIEM_RUN_INPUT_NOT_FOUND` when an input matches no file.
 */
export async function runEmbedded(options: EmbeddedRunOptions): Promise<RunSummary> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const batchSize = options.batchSize ?? 1000;
  const files = await resolveInputs(options.inputs);
  await prepareOutputDir(options.outputDir);

  const outputs = {
    events: path.join(options.outputDir, 'events.ndjson'),
    dead_letters: path.join(options.outputDir, 'dlq.ndjson'),
    usage: path.join(options.outputDir, 'usage.csv'),
    principals: path.join(options.outputDir, 'principals.csv'),
    summary: path.join(options.outputDir, 'summary.json'),
    alerts: path.join(options.outputDir, 'alerts.ndjson'),
  };
  const eventsWriter = new LineWriter(outputs.events);
  const deadLetterWriter = new LineWriter(outputs.dead_letters);
  const usage = new UsageStore();
  const counts = new Map<string, ProviderCounts>();
  const deadLetterReasons = new Map<string, number>();
  const unmappedCalls = new Map<string, number>();
  const countsFor = (provider: string): ProviderCounts => {
    let entry = counts.get(provider);
    if (entry === undefined) {
      entry = emptyCounts();
      counts.set(provider, entry);
    }
    return entry;
  };

  const bus = new InProcessBus();
  wireNormalizer(bus, now);
  // Anomaly detection: the same detector call and GeoIP data as the analyzer-anomaly service.
  const geo = options.geoip === false ? undefined : await loadCountryLookup();
  const anomaly = wireAnomalyStep(bus, outputs.alerts, geo === undefined ? {} : { geo });
  bus.subscribe<NormalizedEvent>(TOPICS.eventsNormalized, async (batch) => {
    for (const { value: event } of batch) {
      const entry = countsFor(event.provider);
      entry.normalized += 1;
      if (event.action.mapping === 'unmapped') {
        entry.unmapped += 1;
        const call = `${event.provider} ${event.action.service} ${event.action.operation}`;
        unmappedCalls.set(call, (unmappedCalls.get(call) ?? 0) + 1);
      }
      usage.record(event);
      await eventsWriter.writeLine(JSON.stringify(event));
    }
  });
  bus.subscribe<DeadLetterMessage>(TOPICS.deadLetter, async (batch) => {
    for (const { value } of batch) {
      countsFor(value.error.provider).dead_lettered += 1;
      deadLetterReasons.set(
        value.error.reason,
        (deadLetterReasons.get(value.error.reason) ?? 0) + 1,
      );
      await deadLetterWriter.writeLine(JSON.stringify(deadLetterForError(value.error, value.raw)));
    }
  });

  let bytesRead = 0;
  let recordsRead = 0;
  let lastProgressAt = 0;
  const progressInterval = options.progressIntervalMs ?? 1000;
  const reportProgress = (filesDone: number, force = false): void => {
    if (options.onProgress === undefined) return;
    const at = now();
    if (!force && at - lastProgressAt < progressInterval) return;
    lastProgressAt = at;
    options.onProgress({
      files_done: filesDone,
      files_total: files.length,
      bytes_read: bytesRead,
      records_read: recordsRead,
      elapsed_ms: at - startedAt,
    });
  };

  // Batches span files so thousands of small delivery files cost no more bus round trips
  // than one large file of the same records.
  let rawBatches = new Map<string, BusMessage<RawMessage>[]>();
  let deadBatch: BusMessage<DeadLetterMessage>[] = [];
  let pending = 0;
  const flush = async (): Promise<void> => {
    const batches = rawBatches;
    const dead = deadBatch;
    rawBatches = new Map();
    deadBatch = [];
    pending = 0;
    for (const [topic, batch] of batches) await bus.publish(topic, batch);
    await bus.publish(TOPICS.deadLetter, dead);
  };

  for (const [index, file] of files.entries()) {
    const source = createReadStream(file);
    source.on('data', (chunk) => {
      bytesRead += chunk.length;
    });
    for await (const item of readRecords(source, { name: file })) {
      recordsRead += 1;
      if (isNormalizationError(item)) {
        countsFor(item.provider).read += 1;
        deadBatch.push({ key: null, value: { error: item, raw: item.text ?? undefined } });
      } else {
        countsFor(item.provider ?? 'unknown').read += 1;
        const topic =
          item.provider === undefined ? UNCLASSIFIED_RAW_TOPIC : rawTopicOf(item.provider);
        const batch = rawBatches.get(topic) ?? [];
        batch.push({ key: null, value: { record: item } });
        rawBatches.set(topic, batch);
      }
      pending += 1;
      if (pending >= batchSize) {
        await flush();
        reportProgress(index);
      }
    }
    reportProgress(index + 1);
  }
  await flush();
  reportProgress(files.length, true);

  await eventsWriter.close();
  await deadLetterWriter.close();
  await writeUsageFiles(usage, outputs);

  // Right-sizing: a post-run step over the usage kept in memory.
  const rightsizing =
    options.grants === undefined || options.grants.length === 0
      ? undefined
      : await runRightsizingStep({
          ...options.rightsizing,
          grants: options.grants,
          outputDir: options.outputDir,
          usage,
          now: now(),
        });
  // Alerts last, because the unused-permission rule reads the right-sizing results.
  const recommendations = rightsizing?.outputs.recommendations;
  const alertCount = await anomaly.finish(
    recommendations === undefined ? undefined : { recommendations, events: outputs.events },
  );

  const summary: RunSummary = {
    files: files.length,
    bytes_read: bytesRead,
    duration_ms: now() - startedAt,
    providers: Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b))),
    principals: usage.principalActivity().length,
    permissions_used: usage.usedPermissionCount(),
    alerts: alertCount,
    dead_letter_reasons: Object.fromEntries(deadLetterReasons),
    top_unmapped: [...unmappedCalls.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 50)
      .map(([call, count]) => ({ call, count })),
    outputs: rightsizing === undefined ? outputs : { ...outputs, ...rightsizing.outputs },
    ...(rightsizing === undefined ? {} : { rightsizing }),
  };
  await writeFile(outputs.summary, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

function rawTopicOf(provider: string): string {
  if (provider === 'aws') return TOPICS.rawAwsCloudTrail;
  if (provider === 'azure') return TOPICS.rawAzureActivity;
  return TOPICS.rawGcpAudit;
}

/**
 * The normalizer stage: the same per-record function the Kafka normalizer service runs,
 * subscribed to every raw topic, publishing events and dead letters.
 */
function wireNormalizer(bus: InProcessBus, now: () => number): void {
  const handle = async (batch: BusMessage<RawMessage>[]): Promise<void> => {
    const events: BusMessage<NormalizedEvent>[] = [];
    const dead: BusMessage<DeadLetterMessage>[] = [];
    const ingestTime = now();
    for (const { value } of batch) {
      const result = normalizeRecord(value.record, { rawRef: value.record.rawRef, ingestTime });
      if (isNormalizationError(result)) {
        dead.push({ key: null, value: { error: result, raw: value.record.text } });
      } else {
        events.push({ key: result.principal.id, value: result });
      }
    }
    await bus.publish(TOPICS.eventsNormalized, events);
    await bus.publish(TOPICS.deadLetter, dead);
  };
  for (const topic of [
    TOPICS.rawAwsCloudTrail,
    TOPICS.rawAzureActivity,
    TOPICS.rawGcpAudit,
    UNCLASSIFIED_RAW_TOPIC,
  ]) {
    bus.subscribe<RawMessage>(topic, handle);
  }
}
