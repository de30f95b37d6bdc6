import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  SQSClient,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import type { KafkaAdmin, KafkaClient, ReceivedMessage } from '@ciem/kafka';
import { kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildService } from '@ciem/testing';
import type { ChildService } from '@ciem/testing';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const motoEndpoint = `http://127.0.0.1:${process.env.CIEM_LOCAL_MOTO_PORT ?? '5000'}`;
// moto's dummy credentials; instance metadata off so nothing looks beyond this machine.
const awsEnv = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
};
Object.assign(process.env, awsEnv);

let client: KafkaClient;
let admin: KafkaAdmin;
let s3: S3Client;
let sqs: SQSClient;
let folder: string;
let bucket: string;
const createdTopics: string[] = [];
const children: ChildService[] = [];

function record(eventID: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
    eventTime: '2024-05-01T12:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: 'ec2.amazonaws.com',
    userAgent: 'ec2.amazonaws.com',
    eventID,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
  };
}

async function readAll(topic: string, count: number): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: randomName('ingest_aws_service_reader'),
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  try {
    await waitFor(() => received.length >= count, {
      timeoutMs: 60_000,
      what: `${count} messages on ${topic}`,
    });
  } finally {
    await consumer.stop();
  }
  return received;
}

function serviceEnv(prefix: string, extra: Record<string, string>): Record<string, string> {
  createdTopics.push(topicNames(prefix).rawAwsCloudTrail, topicNames(prefix).deadLetter);
  return {
    ...awsEnv,
    CIEM_AWS_REGION: 'us-east-1',
    CIEM_AWS_ENDPOINT_URL: motoEndpoint,
    CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
    CIEM_KAFKA_TOPIC_PREFIX: prefix,
    CIEM_KAFKA_TOPICS_CREATE_ENABLED: 'true',
    CIEM_KAFKA_TOPICS_PARTITIONS: '2',
    CIEM_PROBE_PORT: '0',
    ...extra,
  };
}

beforeAll(async () => {
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-aws-service-test' });
  admin = await client.createAdmin();
  s3 = new S3Client({ region: 'us-east-1', endpoint: motoEndpoint, forcePathStyle: true });
  sqs = new SQSClient({ region: 'us-east-1', endpoint: motoEndpoint });
  folder = await mkdtemp(path.join(tmpdir(), 'ciem-ingest-aws-service-'));
  bucket = randomName('svc-bucket').replace(/_/g, '-').toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  if (createdTopics.length > 0) await admin?.deleteTopics(createdTopics);
  await admin?.disconnect();
  await client?.close();
  s3?.destroy();
  sqs?.destroy();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('ingest-aws service', () => {
  it('backfills files and S3, then exits', async () => {
    const prefix = `${randomName('svc_backfill')}.`;
    const file = path.join(folder, 'delivery.json.gz');
    await writeFile(file, gzipSync(JSON.stringify({ Records: [record('f-1'), record('f-2')] })));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/x.json.gz',
        Body: gzipSync(JSON.stringify({ Records: [record('s-1')] })),
      }),
    );

    const child = startChildService(
      main,
      serviceEnv(prefix, {
        CIEM_INGEST_AWS_MODE: 'backfill',
        CIEM_INGEST_AWS_BACKFILL_PATHS: file,
        CIEM_INGEST_AWS_BACKFILL_S3_PREFIXES: `s3://${bucket}/AWSLogs/`,
        CIEM_INGEST_CHECKPOINT_DIR: path.join(folder, 'checkpoints'),
      }),
    );
    children.push(child);

    expect(await child.exited).toBe(0);
    const finished = child.lines.find((line) => line.msg === 'backfill finished');
    expect(finished).toMatchObject({ files: 2, records: 3, dead_lettered: 0 });
    const raw = await readAll(topicNames(prefix).rawAwsCloudTrail, 3);
    expect(raw.map((message) => JSON.parse(message.value!.toString()).eventID).sort()).toEqual([
      'f-1',
      'f-2',
      's-1',
    ]);
  });

  it('consumes SQS and stops on SIGTERM', async () => {
    const prefix = `${randomName('svc_sqs')}.`;
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: randomName('svc-queue') }));
    const queueUrl = queue.QueueUrl!;
    try {
      const key = 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/q.json.gz';
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: gzipSync(JSON.stringify({ Records: [record('q-1')] })),
        }),
      );
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({ s3Bucket: bucket, s3ObjectKey: [key] }),
        }),
      );

      const child = startChildService(
        main,
        serviceEnv(prefix, { CIEM_INGEST_AWS_SQS_QUEUE_URL: queueUrl, CIEM_LOG_LEVEL: 'debug' }),
      );
      children.push(child);
      await child.waitForLine((line) => line.msg === 'SQS message ingested and deleted', 60_000);
      const raw = await readAll(topicNames(prefix).rawAwsCloudTrail, 1);
      expect(JSON.parse(raw[0]!.value!.toString()).eventID).toBe('q-1');

      child.child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    } finally {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    }
  });

  it('rejects sqs mode without a queue', async () => {
    const child = startChildService(main, {
      ...awsEnv,
      CIEM_AWS_REGION: 'us-east-1',
      CIEM_AWS_ENDPOINT_URL: motoEndpoint,
    });
    children.push(child);
    expect(await child.exited).toBe(2);
    const fatal = child.lines.find((line) => line.level === 'fatal');
    expect(String(fatal?.msg)).toContain('CIEM_INGEST_AWS_SQS_QUEUE_URL');
  });
});
