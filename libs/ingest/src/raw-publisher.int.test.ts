import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DependencyError } from '@ciem/errors';
import { DEAD_LETTER_HEADERS, createKafkaClient, ensureTopics, topicNames } from '@ciem/kafka';
import type { KafkaAdmin, KafkaClient, KafkaProducer } from '@ciem/kafka';
import { createMetrics } from '@ciem/telemetry';
import { kafkaBrokers, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAW_HEADERS, backfillFiles, createRawPublisher } from './index.js';
import { countMessages, headerText, readTopic } from './test-support/topic-reader.js';

let client: KafkaClient;
let admin: KafkaAdmin;
let producer: KafkaProducer;
let folder: string;
const createdTopics: string[] = [];

async function freshPrefix(): Promise<string> {
  const prefix = `${randomName('ingest')}.`;
  const names = topicNames(prefix);
  const topics = [names.rawAwsCloudTrail, names.deadLetter];
  await ensureTopics(
    admin,
    topics.map((name) => ({ name, partitions: 3, replicationFactor: 1 })),
  );
  createdTopics.push(...topics);
  return prefix;
}

function cloudTrailRecord(eventID: string, account: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::${account}:user/alice`,
      accountId: account,
      userName: 'alice',
    },
    eventTime: '2024-05-01T12:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    eventID,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: account,
  };
}

beforeAll(async () => {
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-publisher-int-test' });
  admin = await client.createAdmin();
  producer = await client.createProducer({ retries: 2 });
  folder = await mkdtemp(path.join(tmpdir(), 'ciem-backfill-'));
});

afterAll(async () => {
  await producer?.disconnect();
  if (createdTopics.length > 0) await admin?.deleteTopics(createdTopics);
  await admin?.disconnect();
  await client?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('RawPublisher against Kafka', () => {
  it('publishes bytes, keys and headers', async () => {
    const prefix = await freshPrefix();
    const publisher = createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix });
    // Spacing and key order that JSON.stringify would not keep prove the bytes are untouched.
    const texts = [
      '{ "eventID" : "e-1", "recipientAccountId":"111122223333" }',
      '{"recipientAccountId":"444455556666",   "eventID":"e-2"}',
      '{"eventID":"e-3"}',
    ];
    const report = await publisher.publish(
      texts.map((text, index) => ({
        value: text,
        parsed: JSON.parse(text),
        source: 's3://trail-bucket/AWSLogs/file.json.gz',
        rawRef: `s3://trail-bucket/AWSLogs/file.json.gz:1#${index}`,
      })),
    );
    expect(report.records).toBe(3);

    const messages = await readTopic(client, publisher.topic, 3);
    const byValue = new Map(messages.map((message) => [message.value?.toString('utf8'), message]));
    expect([...byValue.keys()].sort()).toEqual([...texts].sort());

    const first = byValue.get(texts[0]);
    expect(first?.key?.toString()).toBe('111122223333');
    expect(byValue.get(texts[1])?.key?.toString()).toBe('444455556666');
    expect(byValue.get(texts[2])?.key).toBeNull();
    expect(headerText(first!, RAW_HEADERS.source)).toBe('s3://trail-bucket/AWSLogs/file.json.gz');
    expect(headerText(first!, RAW_HEADERS.rawRef)).toBe(
      's3://trail-bucket/AWSLogs/file.json.gz:1#0',
    );
    const ingestTime = Number(headerText(first!, RAW_HEADERS.ingestTime));
    expect(Math.abs(ingestTime - Date.now())).toBeLessThan(120_000);
  });

  it('keeps bounded in-flight records', async () => {
    const prefix = await freshPrefix();
    const metrics = createMetrics({ defaultMetrics: false });
    const publisher = createRawPublisher({
      producer,
      provider: 'aws',
      topicPrefix: prefix,
      metrics,
      maxBatchRecords: 25,
      maxInFlightRecords: 50,
    });
    let peak = 0;
    async function* records() {
      for (let index = 0; index < 1_000; index += 1) {
        peak = Math.max(peak, publisher.inFlight().records);
        yield {
          value: JSON.stringify(cloudTrailRecord(`bp-${index}`, '111122223333')),
          key: '111122223333',
          source: 'test:stream',
          rawRef: `test:stream:${index + 1}`,
        };
      }
    }
    const report = await publisher.publishStream(records());

    expect(report.records).toBe(1_000);
    expect(peak).toBeLessThanOrEqual(50);
    expect(publisher.inFlight()).toEqual({ records: 0, bytes: 0 });
    expect(await countMessages(client, publisher.topic)).toBe(1_000);
    const text = await metrics.metrics();
    expect(text).toMatch(/ciem_ingest_records_out_total\{[^}]*provider="aws"[^}]*\} 1000/);
    expect(text).toMatch(/ciem_ingest_bytes_out_total\{[^}]*\} \d+/);
  });

  it('rejects when the topic is missing', async () => {
    const publisher = createRawPublisher({
      producer,
      provider: 'aws',
      topicPrefix: `${randomName('missing')}.`,
    });
    const error = await publisher
      .publish([{ value: '{"eventID":"x"}', source: 'test', rawRef: 'test:1' }])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyError);
    expect(publisher.inFlight()).toEqual({ records: 0, bytes: 0 });
  });
});

describe('backfillFiles against Kafka', () => {
  it('publishes files and dead-letters bad records', async () => {
    const prefix = await freshPrefix();
    const publisher = createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix });
    const logs = path.join(folder, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1');
    await mkdir(logs, { recursive: true });
    const delivery = path.join(logs, '111122223333_CloudTrail_us-east-1_20240501T1200Z_a.json.gz');
    await writeFile(
      delivery,
      gzipSync(
        JSON.stringify({
          Records: [
            cloudTrailRecord('gz-1', '111122223333'),
            cloudTrailRecord('gz-2', '111122223333'),
          ],
        }),
      ),
    );
    const lines = path.join(folder, 'extra.jsonl');
    await writeFile(
      lines,
      [
        JSON.stringify(cloudTrailRecord('line-1', '444455556666')),
        '{"eventID": broken',
        JSON.stringify({
          operationName: 'Microsoft.Compute/virtualMachines/write',
          resourceId: '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg',
          category: 'Administrative',
          time: '2024-05-01T12:00:00Z',
          identity: { claims: {} },
          correlationId: 'c-1',
        }),
      ].join('\n'),
    );
    const digest = path.join(
      folder,
      'AWSLogs',
      '111122223333',
      'CloudTrail-Digest',
      'us-east-1',
      'digest.json.gz',
    );
    await mkdir(path.dirname(digest), { recursive: true });
    await writeFile(digest, gzipSync('{"digestStartTime":"2024-05-01T11:00:00Z"}'));

    const report = await backfillFiles({
      inputs: [path.join(folder, 'AWSLogs'), path.join(folder, '*.jsonl')],
      publisher,
    });

    expect(report).toEqual({
      files: 2,
      skippedFiles: 1,
      unchangedFiles: 0,
      records: 3,
      bytes: expect.any(Number),
      deadLettered: 2,
    });
    const raw = await readTopic(client, publisher.topic, 3);
    const sources = raw.map((message) => headerText(message, RAW_HEADERS.source)).sort();
    expect(sources).toEqual([`file:${delivery}`, `file:${delivery}`, `file:${lines}`]);
    const lineRecord = raw.find(
      (message) => headerText(message, RAW_HEADERS.source) === `file:${lines}`,
    );
    expect(lineRecord?.value?.toString()).toBe(
      JSON.stringify(cloudTrailRecord('line-1', '444455556666')),
    );
    expect(lineRecord?.key?.toString()).toBe('444455556666');
    expect(headerText(lineRecord!, RAW_HEADERS.rawRef)).toBe(`${lines}:1`);

    const dead = await readTopic(client, publisher.deadLetterTopic, 2);
    const codes = dead.map((message) => headerText(message, DEAD_LETTER_HEADERS.errorCode)).sort();
    expect(codes).toEqual(['CIEM_INGEST_WRONG_PROVIDER', 'CIEM_NORMALIZE_INVALID_JSON']);
    const broken = dead.find(
      (message) =>
        headerText(message, DEAD_LETTER_HEADERS.errorCode) === 'CIEM_NORMALIZE_INVALID_JSON',
    );
    expect(broken?.value?.toString()).toBe('{"eventID": broken');
    expect(headerText(broken!, DEAD_LETTER_HEADERS.stage)).toBe('ingest');
    expect(headerText(broken!, RAW_HEADERS.source)).toBe(`file:${lines}`);
    expect(headerText(broken!, RAW_HEADERS.rawRef)).toBe(`${lines}:2`);
    expect(await countMessages(client, publisher.topic)).toBe(3);
  });

  it('rejects an input matching nothing', async () => {
    const publisher = createRawPublisher({ producer, provider: 'aws' });
    await expect(
      backfillFiles({ inputs: [path.join(folder, 'absent', '*.json')], publisher }),
    ).rejects.toMatchObject({ code: 'CIEM_INGEST_INPUT_NOT_FOUND' });
  });
});
