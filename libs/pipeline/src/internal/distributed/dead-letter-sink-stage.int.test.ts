import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import { InputError } from '@ciem/errors';
import { createRawPublisher, ingestRecords } from '@ciem/ingest';
import type { KafkaClient, KafkaProducer } from '@ciem/kafka';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import { readRecords } from '@ciem/normalize';
import { createLogger, createMetrics, stageMetrics } from '@ciem/telemetry';
import { clickhouseUrl, kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformTopics } from './create-topics.js';
import type { DeadLetterSinkStage } from './dead-letter-sink-stage.js';
import { createDeadLetterSinkStage } from './dead-letter-sink-stage.js';
import type { NormalizerStage } from './normalizer-stage.js';
import { createNormalizerStage } from './normalizer-stage.js';

const prefix = `${randomName('dlqsink')}.`;
const topics = topicNames(prefix);
const database = randomName('ciem_dlqsink');
const logger = createLogger({ service: 'dlq-sink-test', level: 'silent' });
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let folder: string;
let kafka: KafkaClient;
let clickhouse: ClickHouse;
let producer: KafkaProducer;
const stages: Array<NormalizerStage | DeadLetterSinkStage> = [];

/** A CloudTrail record as S3 delivers it inside `Records`, without its `eventTime`. */
const recordWithoutTime = JSON.stringify({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLESINK0001',
    arn: 'arn:aws:iam::111122223333:user/sink',
    accountId: '111122223333',
  },
  eventSource: 's3.amazonaws.com',
  eventName: 'ListBuckets',
  awsRegion: 'eu-west-1',
  eventID: '7f0c2c1e-0000-4000-8000-000000000001',
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
});

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-dlq-sink-'));
  kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'dlq-sink-test', logger: quiet });
  clickhouse = createClickHouse({ url: clickhouseUrl, database });
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  await createPlatformTopics(kafka, {
    prefix,
    partitions: 1,
    replicationFactor: 1,
    maxMessageBytes: 1_048_576,
  });
  producer = await kafka.createProducer();
});

afterAll(async () => {
  for (const stage of stages) await stage.stop();
  await producer?.disconnect();
  const admin = await kafka.createAdmin();
  await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
  await admin.disconnect();
  await kafka.close();
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  await clickhouse.close();
  await rm(folder, { recursive: true, force: true });
});

describe('dead-letter sink on real servers', () => {
  it('stores every dead letter once', async () => {
    const publisher = createRawPublisher({
      producer,
      provider: 'aws',
      topicPrefix: prefix,
      stage: 'ingest-aws',
      maxRecordBytes: 2_000,
    });

    // A container with a broken line: the reader's error goes to the dead-letter topic.
    const broken = path.join(folder, 'broken.ndjson');
    await writeFile(broken, '{"eventVersion": "1.09", "eventName": \n');
    // The reader decides how much of a broken container it keeps as the record's text.
    let brokenText: string | null = null;
    for await (const item of readRecords(broken, { name: 'broken.ndjson' })) {
      if ('kind' in item) brokenText = item.text;
    }
    await ingestRecords({
      records: readRecords(broken, { name: 'broken.ndjson' }),
      source: `file:${broken}`,
      publisher,
    });
    // A record over maxRecordBytes, which is dead-lettered without its value.
    await publisher.publish([
      {
        value: JSON.stringify({ padding: 'x'.repeat(3_000) }),
        key: '111122223333',
        source: 's3://example-bucket/big.json',
        rawRef: 'big.json:1',
      },
    ]);
    // An S3 object that cannot be read, dead-lettered twice as a retried notification would.
    const unreadable = {
      value: null,
      source: 's3://example-bucket/gone.json.gz',
      rawRef: 's3://example-bucket/gone.json.gz',
      error: new InputError('CIEM_INGEST_AWS_OBJECT_NOT_FOUND', 'S3 object was deleted'),
    };
    await publisher.deadLetter(unreadable);
    await publisher.deadLetter(unreadable);
    // A raw record the normalizer dead-letters itself, writing its own dlq_events row.
    await publisher.publish([
      {
        value: recordWithoutTime,
        key: '111122223333',
        source: 'file:trail.json',
        rawRef: 'trail.json:1#0',
      },
    ]);

    const metrics = createMetrics({ defaultMetrics: false });
    const normalizer = createNormalizerStage({
      kafka,
      topics,
      groupId: randomName('dlqsink_normalizer'),
      clickhouse,
      database,
      logger,
      metrics: stageMetrics(metrics, 'normalizer'),
      tracer: trace.getTracer('dlq-sink-test'),
      batchMaxRows: 100,
      batchMaxWaitMs: 100,
      maxRecordBytes: 1_048_576,
      sessionTimeoutMs: 6_000,
    });
    const sink = createDeadLetterSinkStage({
      kafka,
      topics,
      groupId: randomName('dlqsink_sink'),
      clickhouse,
      database,
      logger,
      metrics: stageMetrics(metrics, 'dlq-sink'),
      batchMaxRows: 100,
      batchMaxWaitMs: 100,
      sessionTimeoutMs: 6_000,
    });
    stages.push(normalizer, sink);
    const failures: unknown[] = [];
    await normalizer.start({ fail: (error) => failures.push(error) });
    await sink.start({ fail: (error) => failures.push(error) });

    // Five dead-letter messages: the broken line, the oversized record, the unreadable object
    // twice, and the normalizer's. The sink must commit past all of them.
    await waitFor(
      async () => {
        const lags = await sink.fetchLag();
        return lags.length > 0 && lags.every((lag) => lag.committedOffset === '5');
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the sink committing five dead letters' },
    );
    await waitFor(
      async () => {
        const [row] = await clickhouse.query<{ c: string }>(
          `SELECT count() AS c FROM ${database}.dlq_events FINAL`,
        );
        return Number(row?.c) >= 4;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'four dlq_events rows' },
    );

    const rows = await clickhouse.query<{
      stage: string;
      provider: string;
      reason: string;
      error_code: string;
      source_ref: string;
      payload_bytes: string;
    }>(
      `SELECT stage, provider, reason, error_code, source_ref, payload_bytes FROM ${database}.dlq_events FINAL ORDER BY stage, error_code`,
    );
    expect(failures).toEqual([]);
    expect(rows).toEqual([
      {
        stage: 'ingest-aws',
        provider: 'aws',
        reason: '',
        error_code: 'CIEM_INGEST_AWS_OBJECT_NOT_FOUND',
        source_ref: 's3://example-bucket/gone.json.gz',
        payload_bytes: '0',
      },
      {
        stage: 'ingest-aws',
        provider: 'aws',
        reason: 'oversized',
        error_code: 'CIEM_INGEST_RECORD_TOO_LARGE',
        source_ref: 'big.json:1',
        payload_bytes: '0',
      },
      {
        stage: 'ingest-aws',
        provider: 'aws',
        reason: 'invalid-json',
        error_code: 'CIEM_NORMALIZE_INVALID_JSON',
        source_ref: 'broken.ndjson:1',
        payload_bytes: String(brokenText === null ? 0 : Buffer.byteLength(brokenText)),
      },
      {
        stage: 'normalizer',
        provider: 'aws',
        reason: 'missing-field',
        error_code: 'CIEM_NORMALIZE_MISSING_FIELD',
        source_ref: 'trail.json:1#0',
        payload_bytes: String(Buffer.byteLength(recordWithoutTime)),
      },
    ]);
  });
});
