import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { ClickHouse } from '@ciem/clickhouse';
import { DependencyError } from '@ciem/errors';
import type {
  BatchControl,
  ConsumerOptions,
  KafkaClient,
  KafkaProducer,
  OutgoingMessage,
  ReceivedBatch,
} from '@ciem/kafka';
import { topicNames } from '@ciem/kafka';
import { createLogger, createMetrics, stageMetrics } from '@ciem/telemetry';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createNormalizerStage } from './normalizer-stage.js';

const topics = topicNames('unit.');

function fixtureRecord(name: string, pick: (text: string) => string): Buffer {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
  return Buffer.from(pick(text), 'utf8');
}

const awsRecord = fixtureRecord('cloudtrail-delivery.json', (text) =>
  JSON.stringify((JSON.parse(text) as { Records: unknown[] }).Records[0]),
);
const azureRecord = fixtureRecord('azure-activity.ndjson', (text) => text.split('\n')[0] ?? '');

function batchOf(topic: string, value: Buffer): ReceivedBatch {
  return {
    topic,
    partition: 0,
    messages: [{ key: null, value, headers: {}, offset: '0', timestamp: 1_714_557_600_000 }],
  };
}

const control: BatchControl = { heartbeat: async () => {}, isStopping: () => false };

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a stage on fake clients: `insert` decides the outcome of each ClickHouse INSERT, and
 * the returned `handleBatch` and `consumer` are what the stage gave its consumer.
 */
async function startStage(
  insert: ClickHouse['insert'],
  extra: Partial<Parameters<typeof createNormalizerStage>[0]> = {},
) {
  let consumer: ConsumerOptions | undefined;
  const sent: OutgoingMessage[] = [];
  const producer: KafkaProducer = {
    send: async (_topic, messages) => {
      sent.push(...messages);
      return [];
    },
    disconnect: async () => {},
  };
  const kafka = {
    createProducer: async () => producer,
    runConsumer: async (options: ConsumerOptions) => {
      consumer = options;
      return { stop: async () => {}, done: new Promise<void>(() => {}), fetchLag: async () => [] };
    },
  } as unknown as KafkaClient;
  const stage = createNormalizerStage({
    kafka,
    topics,
    groupId: 'unit',
    clickhouse: { insert } as ClickHouse,
    database: 'unit',
    logger: createLogger({ service: 'unit', level: 'silent' }),
    metrics: stageMetrics(createMetrics({ defaultMetrics: false }), 'normalizer'),
    tracer: trace.getTracer('unit'),
    batchMaxRows: 100,
    batchMaxWaitMs: 1_000,
    maxRecordBytes: 1_048_576,
    writerRetry: { maxAttempts: 1 },
    ...extra,
  });
  await stage.start({ fail: () => {} });
  if (consumer === undefined) throw new Error('the stage did not start a consumer');
  return { handleBatch: consumer.handleBatch, consumer, sent };
}

function failingFor(provider: string, failAfterMs: number, succeedAfterMs: number) {
  return async (table: string, rows: readonly object[]) => {
    const first = rows[0] as { provider?: string };
    if (table.endsWith('.events') && first.provider === provider) {
      await delay(failAfterMs);
      throw new DependencyError('CIEM_CLICKHOUSE_UNAVAILABLE', 'test outage of ClickHouse');
    }
    await delay(succeedAfterMs);
  };
}

describe('normalizer stage with concurrent batches', () => {
  it('fails only the batch whose insert failed', async () => {
    // The AWS INSERT fails while the Azure one is still in flight.
    const { handleBatch } = await startStage(failingFor('aws', 10, 60));
    const [aws, azure] = await Promise.allSettled([
      handleBatch(batchOf(topics.rawAwsCloudTrail, awsRecord), control),
      handleBatch(batchOf(topics.rawAzureActivity, azureRecord), control),
    ]);
    expect(aws.status).toBe('rejected');
    expect((aws as PromiseRejectedResult).reason).toBeInstanceOf(DependencyError);
    expect(azure.status).toBe('fulfilled');
  });

  it('fails the slower batch when it failed', async () => {
    // The Azure INSERT fails after the AWS one succeeded: AWS commits, Azure does not.
    const { handleBatch } = await startStage(failingFor('azure', 60, 10));
    const [aws, azure] = await Promise.allSettled([
      handleBatch(batchOf(topics.rawAwsCloudTrail, awsRecord), control),
      handleBatch(batchOf(topics.rawAzureActivity, azureRecord), control),
    ]);
    expect(aws.status).toBe('fulfilled');
    expect(azure.status).toBe('rejected');
  });

  it('produces events while the insert runs', async () => {
    let insertRunning = false;
    let sentDuringInsert = false;
    const { handleBatch, sent } = await startStage(async () => {
      insertRunning = true;
      await delay(30);
      sentDuringInsert = sent.length > 0;
      insertRunning = false;
    });
    await handleBatch(batchOf(topics.rawAwsCloudTrail, awsRecord), control);
    expect(insertRunning).toBe(false);
    expect(sentDuringInsert).toBe(true);
    expect(sent).toHaveLength(1);
  });
});

describe('normalizer stage consumer settings', () => {
  it('passes the session timeout and lag interval', async () => {
    const { consumer } = await startStage(async () => {}, {
      sessionTimeoutMs: 45_000,
      lagIntervalMs: 5_000,
    });
    expect(consumer.sessionTimeoutMs).toBe(45_000);
    expect(consumer.lagIntervalMs).toBe(5_000);
  });
});
