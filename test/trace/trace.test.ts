import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { createRawPublisher } from '@ciem/ingest';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import type { KafkaClient, KafkaProducer, ReceivedMessage, RunningConsumer } from '@ciem/kafka';
import {
  ANOMALY_STAGE,
  createAnomalyCheckpointStore,
  createAnomalyStage,
  createNormalizerStage,
  createPlatformTopics,
} from '@ciem/pipeline';
import type { Stage } from '@ciem/runtime';
import { createLogger, createMetrics, stageMetrics, startTracing } from '@ciem/telemetry';
import type { Tracing } from '@ciem/telemetry';
import { clickhouseUrl, kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The anomaly stage is defined in its service, not in a library; the test runs that function.

// One CloudTrail record goes through the same stage functions the services run: the raw
// publisher of ingest, the normalizer stage and the anomaly analyzer stage, over the real
// Kafka and ClickHouse. Every span they make is kept in memory, and the test follows the
// record's trace from the raw publish to the alert.

const prefix = `${randomName('trace')}.`;
const topics = topicNames(prefix);
const database = randomName('ciem_trace_test');
const exporter = new InMemorySpanExporter();
const logger = createLogger({ service: 'trace-test', level: 'warn' });
const metrics = createMetrics({ defaultMetrics: false });

let tracing: Tracing;
let kafka: KafkaClient;
let clickhouse: ClickHouse;
let producer: KafkaProducer;
let checkpointDir: string;
let alertReader: RunningConsumer | undefined;
const stages: Stage[] = [];
const alertMessages: ReceivedMessage[] = [];

// A successful StopLogging call: the defense-evasion rule alerts on the first one.
const stopLogging = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLETRACE0001',
    arn: 'arn:aws:iam::111122223333:user/mallory',
    accountId: '111122223333',
    accessKeyId: 'AKIAEXAMPLETRACE0001',
    userName: 'mallory',
  },
  eventTime: '2026-03-04T10:00:00Z',
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'StopLogging',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0',
  requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' },
  responseElements: null,
  requestID: '6f0b5f4e-0c2a-4d7e-9a55-3f1d2c3b4a50',
  eventID: '0d6c3b1e-7f43-4c2e-8d1a-5b9e2f7a6c01',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
};

beforeAll(async () => {
  // Another suite of this worker may have left global OpenTelemetry state behind.
  trace.disable();
  context.disable();
  propagation.disable();
  tracing = startTracing({ service: 'trace-test', exporter, logger });

  kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'trace-test' });
  await createPlatformTopics(kafka, {
    prefix,
    partitions: 1,
    replicationFactor: 1,
    maxMessageBytes: 1_048_576,
  });
  clickhouse = createClickHouse({ url: clickhouseUrl, database });
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  producer = await kafka.createProducer();
  checkpointDir = mkdtempSync(path.join(tmpdir(), 'ciem-trace-'));

  stages.push(
    createNormalizerStage({
      kafka,
      topics,
      groupId: randomName('trace_normalizer'),
      clickhouse,
      database,
      logger: logger.child({ stage: 'normalizer' }),
      metrics: stageMetrics(metrics, 'normalizer'),
      tracer: tracing.tracer,
      batchMaxRows: 100,
      batchMaxWaitMs: 100,
      maxRecordBytes: 1_000_000,
      sessionTimeoutMs: 10_000,
    }),
    createAnomalyStage({
      kafka,
      topics,
      groupId: randomName('trace_anomaly'),
      clickhouse,
      database,
      checkpoints: createAnomalyCheckpointStore(checkpointDir),
      checkpointIntervalMs: 0,
      engine: {},
      logger: logger.child({ stage: ANOMALY_STAGE }),
      metrics: stageMetrics(metrics, ANOMALY_STAGE),
      sessionTimeoutMs: 10_000,
    }),
  );
  const fail = (error: unknown) => {
    logger.error({ err: error }, 'stage failed');
  };
  for (const stage of stages) await stage.start({ fail });
  alertReader = await kafka.runConsumer({
    groupId: randomName('trace_alerts'),
    topics: [topics.alerts],
    fromBeginning: true,
    handleBatch: async (batch) => {
      alertMessages.push(...batch.messages);
    },
  });
}, 120_000);

afterAll(async () => {
  await alertReader?.stop();
  for (const stage of [...stages].reverse()) await stage.stop();
  await producer?.disconnect();
  const admin = await kafka.createAdmin();
  await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
  await admin.disconnect();
  await kafka.close();
  await clickhouse?.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse?.close();
  await tracing?.shutdown();
  if (checkpointDir !== undefined) rmSync(checkpointDir, { recursive: true, force: true });
});

/** Returns the finished span `name` whose parent is `parent`, failing when there is none. */
function childOf(parent: ReadableSpan, name: string): ReadableSpan {
  const spans = exporter.getFinishedSpans();
  const found = spans.find(
    (span) => span.name === name && span.parentSpanContext?.spanId === parent.spanContext().spanId,
  );
  const seen = spans.map((span) => `${span.name} (parent ${span.parentSpanContext?.spanId})`);
  expect(found, `no span ${name} under ${parent.name}; finished: ${seen.join(', ')}`).toBeDefined();
  return found as ReadableSpan;
}

describe('one event traced across stages', () => {
  it('links ingest to the alert', async () => {
    const publisher = createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix });
    const report = await publisher.publish([
      {
        value: JSON.stringify(stopLogging),
        parsed: stopLogging,
        source: 'test:trace',
        rawRef: 'test:trace:1',
      },
    ]);
    expect(report.records).toBe(1);

    await waitFor(() => alertMessages.length > 0, {
      timeoutMs: 60_000,
      what: `an alert on ${topics.alerts}`,
    });
    // The analyzer ends its span after publishing the alert, so the alert can arrive first.
    // The check waits until every expected span has ended.
    const expected = [
      'publish raw record',
      'normalize record',
      'INSERT events',
      'publish normalized event',
      'analyze event',
      'publish alert',
    ];
    await waitFor(
      () => {
        const finished = new Set(exporter.getFinishedSpans().map((span) => span.name));
        return expected.every((name) => finished.has(name));
      },
      { timeoutMs: 30_000, what: `finished spans ${expected.join(', ')}` },
    );

    const spans = exporter.getFinishedSpans();
    const published = spans.find((span) => span.name === 'publish raw record');
    expect(published, 'no publish raw record span').toBeDefined();
    const root = published as ReadableSpan;
    expect(root.parentSpanContext).toBeUndefined();

    const normalized = childOf(root, 'normalize record');
    const inserted = childOf(normalized, 'INSERT events');
    const republished = childOf(normalized, 'publish normalized event');
    const analyzed = childOf(republished, 'analyze event');
    const alerted = childOf(analyzed, 'publish alert');

    const traceId = root.spanContext().traceId;
    for (const span of [normalized, inserted, republished, analyzed, alerted]) {
      expect(span.spanContext().traceId, span.name).toBe(traceId);
    }
    expect(inserted.attributes['db.system']).toBe('clickhouse');
    expect(inserted.links.map((link) => link.context.spanId)).toContain(
      normalized.spanContext().spanId,
    );

    // The alert on Kafka carries the context of its producer span.
    const traceparent = alertMessages[0]?.headers.traceparent;
    const header = Array.isArray(traceparent) ? traceparent[0] : traceparent;
    expect(header?.toString()).toBe(`00-${traceId}-${alerted.spanContext().spanId}-01`);
  });
});
