import { motoEndpoint, requireMoto, testRegion } from './test-support/aws-test-env.js';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RAW_HEADERS, createFileCheckpointStore, createRawPublisher } from '@ciem/ingest';
import { DEAD_LETTER_HEADERS, createKafkaClient, ensureTopics, topicNames } from '@ciem/kafka';
import type { KafkaAdmin, KafkaClient, KafkaProducer } from '@ciem/kafka';
import { createLogger } from '@ciem/telemetry';
import { kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillS3, createAwsClients, createSqsIngestStage } from './index.js';
import type { AwsClients, SqsIngestStage } from './index.js';
import {
  cloudTrailRecord,
  deliveryFile,
  deliveryKey,
  s3EventNotification,
  snsEnvelope,
} from './test-support/cloudtrail-fixtures.js';
import { countMessages, headerText, readTopic } from './test-support/kafka-topics.js';

const logger = createLogger({ service: 'ingest-aws-test', level: 'warn' });
let aws: AwsClients;
let client: KafkaClient;
let admin: KafkaAdmin;
let producer: KafkaProducer;
let bucket: string;
const queues: string[] = [];
const createdTopics: string[] = [];
const stages: SqsIngestStage[] = [];

async function createTopicsFor(prefix: string): Promise<void> {
  const names = topicNames(prefix);
  const topics = [names.rawAwsCloudTrail, names.deadLetter];
  await ensureTopics(
    admin,
    topics.map((name) => ({ name, partitions: 3, replicationFactor: 1 })),
  );
  createdTopics.push(...topics);
}

async function createQueue(): Promise<string> {
  const created = await aws.sqs.send(
    new CreateQueueCommand({ QueueName: randomName('trail_queue').replace(/\./g, '-') }),
  );
  queues.push(created.QueueUrl!);
  return created.QueueUrl!;
}

async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

async function putObject(key: string, body: Buffer | string): Promise<void> {
  await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

function startStage(queueUrl: string, prefix: string, retryDelaySeconds = 1): SqsIngestStage {
  const stage = createSqsIngestStage({
    sqs: aws.sqs,
    s3: aws.s3,
    publisher: createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix }),
    queueUrl,
    logger,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 30,
    retryDelaySeconds,
  });
  stages.push(stage);
  void stage.start({
    fail: (error) => {
      throw error;
    },
  });
  return stage;
}

beforeAll(async () => {
  await requireMoto();
  aws = createAwsClients({ region: testRegion, endpoint: motoEndpoint });
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-aws-sqs-int-test' });
  admin = await client.createAdmin();
  producer = await client.createProducer({ retries: 1 });
  bucket = randomName('trail-bucket').replace(/_/g, '-').toLowerCase();
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  for (const stage of stages) await stage.stop();
  await producer?.disconnect();
  if (createdTopics.length > 0) await admin?.deleteTopics(createdTopics);
  await admin?.disconnect();
  await client?.close();
  for (const queueUrl of queues) await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  aws?.destroy();
});

describe('SQS ingest on moto and Kafka', () => {
  it('publishes every announced record', async () => {
    const prefix = `${randomName('ingest_aws')}.`;
    await createTopicsFor(prefix);
    const queueUrl = await createQueue();

    const plainKey = deliveryKey('111122223333', 'plain');
    const spacedKey = deliveryKey('111122223333', 'with space+plus');
    const snsKey = deliveryKey('444455556666', 'sns');
    const trailSnsKey = deliveryKey('444455556666', 'trailsns');
    const digestKey = 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/01/digest.json.gz';
    const poisonKey = deliveryKey('111122223333', 'poison');
    await putObject(
      plainKey,
      deliveryFile([
        cloudTrailRecord('p-1', '111122223333'),
        cloudTrailRecord('p-2', '111122223333'),
      ]),
    );
    await putObject(spacedKey, deliveryFile([cloudTrailRecord('s-1', '111122223333')]));
    await putObject(snsKey, deliveryFile([cloudTrailRecord('n-1', '444455556666')]));
    await putObject(
      trailSnsKey,
      deliveryFile([
        cloudTrailRecord('t-1', '444455556666'),
        cloudTrailRecord('t-2', '444455556666'),
      ]),
    );
    await putObject(digestKey, deliveryFile([]));
    await putObject(poisonKey, 'this object is neither gzip nor JSON');

    const bodies = [
      s3EventNotification(bucket, [plainKey, spacedKey]),
      snsEnvelope(s3EventNotification(bucket, [snsKey])),
      snsEnvelope(JSON.stringify({ s3Bucket: bucket, s3ObjectKey: [trailSnsKey] })),
      s3EventNotification(bucket, [digestKey]),
      s3EventNotification(bucket, [poisonKey]),
      'not a notification',
    ];
    for (const body of bodies) {
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    }

    const stage = startStage(queueUrl, prefix);
    await waitFor(() => stage.stats().deleted === bodies.length, {
      timeoutMs: 60_000,
      what: 'every SQS message deleted',
    });
    expect(await queueDepth(queueUrl)).toBe(0);

    const rawTopic = topicNames(prefix).rawAwsCloudTrail;
    const raw = await readTopic(client, rawTopic, 6);
    expect(await countMessages(client, rawTopic)).toBe(6);
    const byId = new Map(
      raw.map((message) => [JSON.parse(message.value!.toString()).eventID as string, message]),
    );
    expect([...byId.keys()].sort()).toEqual(['n-1', 'p-1', 'p-2', 's-1', 't-1', 't-2']);
    expect(byId.get('p-1')?.key?.toString()).toBe('111122223333');
    expect(byId.get('t-2')?.key?.toString()).toBe('444455556666');
    expect(headerText(byId.get('s-1')!, RAW_HEADERS.source)).toBe(`s3://${bucket}/${spacedKey}`);
    expect(headerText(byId.get('p-2')!, RAW_HEADERS.rawRef)).toBe(`s3://${bucket}/${plainKey}:1#1`);
    expect(Number(headerText(byId.get('n-1')!, RAW_HEADERS.ingestTime))).toBeGreaterThan(0);
    // The bytes are the record as written inside the delivery file.
    expect(byId.get('t-1')?.value?.toString()).toBe(
      JSON.stringify(cloudTrailRecord('t-1', '444455556666')),
    );

    const dlqTopic = topicNames(prefix).deadLetter;
    const dead = await readTopic(client, dlqTopic, 2);
    expect(await countMessages(client, dlqTopic)).toBe(2);
    const bySource = new Map(
      dead.map((message) => [headerText(message, RAW_HEADERS.source), message]),
    );
    const poison = bySource.get(`s3://${bucket}/${poisonKey}`);
    expect(headerText(poison!, DEAD_LETTER_HEADERS.errorCode)).toBe('CIEM_NORMALIZE_INVALID_JSON');
    expect(headerText(poison!, DEAD_LETTER_HEADERS.stage)).toBe('ingest');
    const notification = [...bySource.entries()].find(([source]) =>
      source?.startsWith('sqs:'),
    )?.[1];
    expect(headerText(notification!, DEAD_LETTER_HEADERS.errorCode)).toBe(
      'CIEM_INGEST_AWS_INVALID_NOTIFICATION',
    );
    expect(notification?.value?.toString()).toBe('not a notification');
  });

  it('keeps messages until Kafka acknowledges', async () => {
    // The topics of this prefix do not exist yet, so every send fails as if Kafka were down.
    const prefix = `${randomName('ingest_aws_late')}.`;
    const queueUrl = await createQueue();
    const key = deliveryKey('111122223333', 'late');
    await putObject(
      key,
      deliveryFile([
        cloudTrailRecord('late-1', '111122223333'),
        cloudTrailRecord('late-2', '111122223333'),
      ]),
    );
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: s3EventNotification(bucket, [key]),
      }),
    );

    const stage = startStage(queueUrl, prefix);
    await waitFor(() => stage.stats().failed >= 2, {
      timeoutMs: 60_000,
      what: 'the message failing and coming back',
    });
    expect(stage.stats().deleted).toBe(0);
    expect(await queueDepth(queueUrl)).toBe(1);

    await createTopicsFor(prefix);
    await waitFor(() => stage.stats().deleted === 1, {
      timeoutMs: 60_000,
      what: 'the message deleted once the topics exist',
    });
    const raw = await readTopic(client, topicNames(prefix).rawAwsCloudTrail, 2);
    expect(raw.map((message) => JSON.parse(message.value!.toString()).eventID).sort()).toEqual([
      'late-1',
      'late-2',
    ]);
    expect(await queueDepth(queueUrl)).toBe(0);
  });
});

describe('backfillS3 on moto and Kafka', () => {
  it('publishes every object under a prefix', async () => {
    const prefix = `${randomName('ingest_aws_backfill')}.`;
    await createTopicsFor(prefix);
    const account = '777788889999';
    await putObject(deliveryKey(account, 'one'), deliveryFile([cloudTrailRecord('b-1', account)]));
    await putObject(
      deliveryKey(account, 'two'),
      deliveryFile([cloudTrailRecord('b-2', account), cloudTrailRecord('b-3', account)]),
    );
    await putObject(
      `AWSLogs/${account}/CloudTrail-Digest/us-east-1/2024/05/01/d.json.gz`,
      deliveryFile([]),
    );
    await putObject(
      `AWSLogs/000000000000/CloudTrail/us-east-1/other.json.gz`,
      deliveryFile([cloudTrailRecord('x', '000000000000')]),
    );

    const publisher = createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix });
    const report = await backfillS3({
      s3: aws.s3,
      prefixes: [`s3://${bucket}/AWSLogs/${account}/`],
      publisher,
    });

    expect(report).toMatchObject({ files: 2, skippedFiles: 1, records: 3, deadLettered: 0 });
    const raw = await readTopic(client, publisher.topic, 3);
    expect(raw.map((message) => JSON.parse(message.value!.toString()).eventID).sort()).toEqual([
      'b-1',
      'b-2',
      'b-3',
    ]);
    expect(await countMessages(client, publisher.topic)).toBe(3);
  });

  it('resumes after the last key a run saved', async () => {
    const prefix = `${randomName('ingest_aws_resume')}.`;
    await createTopicsFor(prefix);
    const account = '666677778888';
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-backfill-checkpoints-'));
    try {
      const checkpoints = createFileCheckpointStore(folder);
      const publisher = createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix });
      const run = () =>
        backfillS3({
          s3: aws.s3,
          prefixes: [`s3://${bucket}/AWSLogs/${account}/`],
          publisher,
          checkpoints,
        });
      await putObject(deliveryKey(account, 'a'), deliveryFile([cloudTrailRecord('r-1', account)]));
      await putObject(deliveryKey(account, 'b'), deliveryFile([cloudTrailRecord('r-2', account)]));
      expect(await run()).toMatchObject({ files: 2, records: 2 });

      // A key after the saved one is read by the next run; the first two are not read again.
      await putObject(deliveryKey(account, 'c'), deliveryFile([cloudTrailRecord('r-3', account)]));
      expect(await run()).toMatchObject({ files: 1, records: 1 });
      expect(await run()).toMatchObject({ files: 0, records: 0 });

      const raw = await readTopic(client, publisher.topic, 3);
      expect(raw.map((message) => JSON.parse(message.value!.toString()).eventID).sort()).toEqual([
        'r-1',
        'r-2',
        'r-3',
      ]);
      expect(await countMessages(client, publisher.topic)).toBe(3);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reads new regions and late keys on a re-run', async () => {
    const prefix = `${randomName('ingest_aws_late_keys')}.`;
    await createTopicsFor(prefix);
    const account = '555566667777';
    const key = (region: string, day: string, time: string): string =>
      `AWSLogs/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${day.replace(/\//g, '')}T${time}Z_UNIQUE.json.gz`;
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-backfill-checkpoints-'));
    try {
      const checkpoints = createFileCheckpointStore(folder);
      const publisher = createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix });
      const run = () =>
        backfillS3({
          s3: aws.s3,
          prefixes: [`s3://${bucket}/AWSLogs/${account}/`],
          publisher,
          checkpoints,
        });
      const put = (objectKey: string, eventId: string) =>
        putObject(objectKey, deliveryFile([cloudTrailRecord(eventId, account)]));

      await put(key('us-west-2', '2024/05/16', '2300'), 'first-1');
      await put(key('us-west-2', '2024/05/17', '1200'), 'first-2');
      expect(await run()).toMatchObject({ files: 2, records: 2 });

      // The first three sort before the saved key (us-west-2, 2024/05/17, 1200Z), the last after it.
      await put(key('eu-west-1', '2024/05/17', '1300'), 'new-region');
      await put(key('us-west-2', '2024/05/17', '1155'), 'late-same-day');
      await put(key('us-west-2', '2024/05/16', '2355'), 'late-day-before');
      await put(key('us-west-2', '2024/05/18', '0005'), 'after-mark');
      expect(await run()).toMatchObject({ files: 4, records: 4 });
      expect(await run()).toMatchObject({ files: 0, records: 0 });

      const raw = await readTopic(client, publisher.topic, 6);
      expect(raw.map((message) => JSON.parse(message.value!.toString()).eventID).sort()).toEqual([
        'after-mark',
        'first-1',
        'first-2',
        'late-day-before',
        'late-same-day',
        'new-region',
      ]);
      expect(await countMessages(client, publisher.topic)).toBe(6);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('resumes a first-format checkpoint', async () => {
    const prefix = `${randomName('ingest_aws_old_checkpoint')}.`;
    await createTopicsFor(prefix);
    const account = '333344445555';
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-backfill-checkpoints-'));
    try {
      const checkpoints = createFileCheckpointStore(folder);
      await putObject(deliveryKey(account, 'a'), deliveryFile([cloudTrailRecord('o-1', account)]));
      await putObject(deliveryKey(account, 'b'), deliveryFile([cloudTrailRecord('o-2', account)]));
      // The first checkpoint format: every key up to `after` was published.
      await checkpoints.save(`s3-backfill/${bucket}/AWSLogs/${account}/`, {
        after: deliveryKey(account, 'a'),
      });
      const publisher = createRawPublisher({ producer, provider: 'aws', topicPrefix: prefix });
      const run = () =>
        backfillS3({
          s3: aws.s3,
          prefixes: [`s3://${bucket}/AWSLogs/${account}/`],
          publisher,
          checkpoints,
        });
      expect(await run()).toMatchObject({ files: 1, records: 1 });
      expect(await run()).toMatchObject({ files: 0, records: 0 });

      const raw = await readTopic(client, publisher.topic, 1);
      expect(raw.map((message) => JSON.parse(message.value!.toString()).eventID)).toEqual(['o-2']);
      expect(await countMessages(client, publisher.topic)).toBe(1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
