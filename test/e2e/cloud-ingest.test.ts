import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PubSub } from '@google-cloud/pubsub';
import { decodeNormalizedEvent } from '@ciem/events';
import type { Provider } from '@ciem/events';
import { createRawPublisher } from '@ciem/ingest';
import { createAwsClients, createSqsIngestStage } from '@ciem/ingest-aws';
import type { AwsClients, SqsIngestStage } from '@ciem/ingest-aws';
import { createEventHubIngestStage, createLocalCheckpointStore } from '@ciem/ingest-azure';
import { FakeEventHub } from '@ciem/ingest-azure/testing';
import { createPubSubIngestStage, createPubSubSubscription } from '@ciem/ingest-gcp';
import type { Stage } from '@ciem/runtime';
import { createLogger } from '@ciem/telemetry';
import {
  hasSharedDatasets,
  randomName,
  sharedDatasetsDir,
  sharedDatasetsSkipReason,
  waitFor,
} from '@ciem/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { total } from './support/expected.js';
import {
  chunks,
  containerOf,
  readSampleRecords,
  s3CreatedNotification,
  s3TestEvent,
  trailObjects,
} from './support/cloud-deliveries.js';
import { createExpectation } from './support/ingest-expectation.js';
import type { IngestExpectation } from './support/ingest-expectation.js';
import type { PipelineContext } from './support/pipeline-context.js';
import { startPipeline } from './support/pipeline-context.js';
import {
  deadLetterRowsByProvider,
  eventRowsByProvider,
  header,
  readTopics,
} from './support/store.js';

// The AWS SDK uses moto's dummy credentials and skips the instance metadata lookup, so it
// talks only to the local moto server. The Google client skips the GCE metadata server too.
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

const motoEndpoint = `http://127.0.0.1:${process.env.CIEM_LOCAL_MOTO_PORT ?? '5000'}`;
const pubsubEndpoint = `127.0.0.1:${process.env.CIEM_LOCAL_PUBSUB_PORT ?? '8085'}`;
const gcpProject = 'ciem-e2e-project';
const logger = createLogger({ service: 'cloud-ingest-e2e', level: 'warn' });

/** Cleanups in the order they were registered, run in reverse order at the end. */
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw failures[0];
});

async function requireServer(what: string, url: string, script: string): Promise<void> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new Error(
      `${what} is not responding at ${url}; run 'bash deploy/local/${script}.sh install' and 'bash deploy/local/${script}.sh start' first`,
    );
  }
}

/** Starts a stage. A stage that fails adds its error to `failures`. */
async function startStage<T extends Stage>(stage: T, failures: unknown[]): Promise<T> {
  await stage.start({ fail: (error) => failures.push(error) });
  return stage;
}

/** Puts the AWS samples into a trail bucket on moto and announces them on an SQS queue. */
async function deliverAws(
  context: PipelineContext,
  expectation: ReturnType<typeof createExpectation>,
  failures: unknown[],
): Promise<{ stage: SqsIngestStage; messages: number }> {
  await requireServer('moto', `${motoEndpoint}/moto-api/`, 'moto');
  const aws: AwsClients = createAwsClients({ region: 'us-east-1', endpoint: motoEndpoint });
  cleanups.push(async () => aws.destroy());
  const bucket = randomName('trail-e2e').replace(/_/g, '-').toLowerCase();
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const keys: string[] = [];
  cleanups.push(async () => {
    for (const key of keys)
      await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await aws.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  });
  const created = await aws.sqs.send(
    new CreateQueueCommand({ QueueName: randomName('trail-e2e').replace(/[._]/g, '-') }),
  );
  const queueUrl = created.QueueUrl!;
  cleanups.push(() => aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })));

  const samples = await readSampleRecords([path.join(sharedDatasetsDir, 'aws')]);
  // Saving the bucket's notification configuration sends a test event first.
  const bodies = [s3TestEvent(bucket)];
  for (const object of trailObjects(samples, 100)) {
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body }));
    keys.push(object.key);
    // S3 announces every created object, digests included, and the ingest skips digests.
    // NOTE: the test sends these notifications in S3's format itself instead of configuring
    // moto's bucket notifications, so moto's own notification bodies are not covered here.
    bodies.push(s3CreatedNotification(bucket, [object.key]));
    if (!object.digest) {
      await expectation.addContainer('aws', object.body, `s3://${bucket}/${object.key}`);
    }
  }
  for (const body of bodies) {
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }

  const stage = createSqsIngestStage({
    sqs: aws.sqs,
    s3: aws.s3,
    publisher: createRawPublisher({
      producer: context.producer,
      provider: 'aws',
      topicPrefix: context.prefix,
    }),
    queueUrl,
    logger,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 60,
    retryDelaySeconds: 1,
  });
  await startStage(stage, failures);
  cleanups.push(() => stage.stop());
  return { stage, messages: bodies.length };
}

/** Publishes each GCP sample entry as one Pub/Sub message, as a log sink does. */
async function deliverGcp(
  context: PipelineContext,
  expectation: ReturnType<typeof createExpectation>,
  failures: unknown[],
): Promise<void> {
  const admin = new PubSub({
    projectId: gcpProject,
    apiEndpoint: pubsubEndpoint,
    emulatorMode: true,
    universeDomain: 'googleapis.com',
  });
  cleanups.push(() => admin.close());
  const [topic] = await admin.createTopic(randomName('sink-e2e')).catch((error: unknown) => {
    throw new Error(
      `the Pub/Sub fake at ${pubsubEndpoint} did not create a topic (${String(error)}); run 'bash deploy/local/pubsub.sh install' and 'bash deploy/local/pubsub.sh start' first`,
    );
  });
  cleanups.push(() => topic.delete());
  const subscriptionName = randomName('sink-e2e-sub');
  await topic.createSubscription(subscriptionName, { ackDeadlineSeconds: 30 });
  cleanups.push(() => admin.subscription(subscriptionName).delete());

  const samples = await readSampleRecords([path.join(sharedDatasetsDir, 'gcp')]);
  const payloads = [...samples.records, ...samples.unread].map((record) =>
    Buffer.from(record.text, 'utf8'),
  );
  for (const data of payloads) expectation.addMessage('gcp', data);
  await Promise.all(payloads.map((data) => topic.publishMessage({ data })));

  const opened = createPubSubSubscription({
    projectId: gcpProject,
    subscription: subscriptionName,
    apiEndpoint: pubsubEndpoint,
    maxMessages: 100,
    maxBytes: 4 * 1_048_576,
  });
  cleanups.push(() => opened.close());
  const stage = createPubSubIngestStage({
    subscription: opened.subscription,
    publisher: createRawPublisher({
      producer: context.producer,
      provider: 'gcp',
      topicPrefix: context.prefix,
    }),
    logger,
    maxBatchMessages: 50,
    maxBatchWaitMs: 20,
  });
  await startStage(stage, failures);
  cleanups.push(() => stage.stop());
}

/** Sends the Azure samples as Event Hubs events of `{"records":[...]}`, as Azure Monitor does. */
async function deliverAzure(
  context: PipelineContext,
  expectation: ReturnType<typeof createExpectation>,
  failures: unknown[],
): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-e2e-checkpoints-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const hub = new FakeEventHub({ partitionIds: ['0', '1'] });
  const samples = await readSampleRecords([path.join(sharedDatasetsDir, 'azure')]);
  const texts = [...samples.records, ...samples.unread].map((record) => record.text);
  for (const [index, chunk] of chunks(texts, 20).entries()) {
    const body = Buffer.from(containerOf('records', chunk), 'utf8');
    const partition = String(index % 2);
    const sequence = hub.send(partition, body);
    await expectation.addContainer('azure', body, `eventhub:${partition}/${sequence}`);
  }

  const stage = createEventHubIngestStage({
    client: hub.createConsumerClient('$Default', createLocalCheckpointStore(folder)),
    publisher: createRawPublisher({
      producer: context.producer,
      provider: 'azure',
      topicPrefix: context.prefix,
    }),
    logger,
    maxBatchSize: 10,
    backoff: { initialMs: 100, maxMs: 1_000, multiplier: 2, jitter: 0 },
  });
  await startStage(stage, failures);
  cleanups.push(() => stage.stop());
}

/** Counts dead letters on the topic by stage and provider, each once by its position and reference. */
function countDeadLetters(
  context: PipelineContext,
  messages: Awaited<ReturnType<typeof readTopics>>['messages'],
): {
  normalizer: Record<string, number>;
  ingest: Record<string, number>;
  reasons: Record<string, number>;
} {
  const providerOfTopic = new Map<string, Provider>([
    [context.topics.rawAwsCloudTrail, 'aws'],
    [context.topics.rawAzureActivity, 'azure'],
    [context.topics.rawGcpAudit, 'gcp'],
  ]);
  const seen = new Set<string>();
  const result = {
    normalizer: {} as Record<string, number>,
    ingest: {} as Record<string, number>,
    reasons: {} as Record<string, number>,
  };
  for (const message of messages) {
    const stage = header(message, 'stage') ?? 'none';
    const topic = header(message, 'original.topic') ?? '';
    const identity = [
      stage,
      topic,
      header(message, 'original.partition'),
      header(message, 'original.offset'),
      header(message, 'source'),
      header(message, 'raw_ref'),
    ].join('|');
    if (seen.has(identity)) continue;
    seen.add(identity);
    const provider = providerOfTopic.get(topic) ?? `unknown topic ${topic}`;
    const counts = stage === 'normalizer' ? result.normalizer : result.ingest;
    counts[provider] = (counts[provider] ?? 0) + 1;
    if (stage === 'normalizer') {
      const key = `${provider}/${header(message, 'error.reason') ?? 'none'}`;
      result.reasons[key] = (result.reasons[key] ?? 0) + 1;
    }
  }
  return result;
}

describe.skipIf(!hasSharedDatasets)('cloud ingest into the pipeline', () => {
  it('stores every sample record ingested', async () => {
    const context = await startPipeline();
    cleanups.push(() => context.close());
    const builder = createExpectation();
    const failures: unknown[] = [];

    const aws = await deliverAws(context, builder, failures);
    await deliverGcp(context, builder, failures);
    await deliverAzure(context, builder, failures);
    const expected: IngestExpectation = builder.result();
    // The normalizer writes its own dead letters to dlq_events, and its dead-letter sink
    // copies the ingest stages' ones there.
    const deadLetterRows: Record<string, number> = { ...expected.deadLettered };
    for (const [provider, count] of Object.entries(expected.ingestDeadLettered)) {
      deadLetterRows[provider] = (deadLetterRows[provider] ?? 0) + count;
    }

    // Every provider has records that normalize, so no ingest path is left untested.
    for (const provider of ['aws', 'azure', 'gcp']) {
      expect(
        expected.normalizable[provider] ?? 0,
        `normalizable ${provider} records`,
      ).toBeGreaterThan(0);
    }

    await waitFor(
      async () => {
        const events = total(await eventRowsByProvider(context.clickhouse, context.database));
        const dead = total(await deadLetterRowsByProvider(context.clickhouse, context.database));
        return events >= total(expected.rows) && dead >= total(deadLetterRows);
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'events and dead letters in ClickHouse' },
    );
    expect(failures).toEqual([]);
    expect(aws.stage.stats()).toMatchObject({ deleted: aws.messages, failed: 0 });
    expect(await eventRowsByProvider(context.clickhouse, context.database)).toEqual(expected.rows);
    expect(await deadLetterRowsByProvider(context.clickhouse, context.database)).toEqual(
      deadLetterRows,
    );

    const rows = await context.clickhouse.query<{ provider: string; reason: string; c: string }>(
      `SELECT provider, reason, count() AS c FROM ${context.database}.dlq_events FINAL WHERE error_message != '' AND stage = 'normalizer' GROUP BY provider, reason`,
    );
    expect(
      Object.fromEntries(rows.map((row) => [`${row.provider}/${row.reason}`, Number(row.c)])),
    ).toEqual(expected.reasons);

    const reader = await readTopics(context.kafka, [
      context.topics.eventsNormalized,
      context.topics.deadLetter,
    ]);
    try {
      const expectedCount =
        total(expected.normalizable) +
        total(expected.deadLettered) +
        total(expected.ingestDeadLettered);
      await waitFor(() => reader.messages.length >= expectedCount, {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: `${expectedCount} messages on the normalized and dead-letter topics`,
      });
      const normalized = new Map<string, Set<string>>();
      for (const message of reader.messages) {
        if (message.topic !== context.topics.eventsNormalized) continue;
        const event = decodeNormalizedEvent(message.value as Buffer);
        const refs = normalized.get(event.provider) ?? new Set<string>();
        refs.add(event.raw_ref);
        normalized.set(event.provider, refs);
      }
      expect(
        Object.fromEntries([...normalized].map(([provider, refs]) => [provider, refs.size])),
      ).toEqual(expected.normalizable);

      const deadLetters = reader.messages.filter(
        (message) => message.topic === context.topics.deadLetter,
      );
      const topic = countDeadLetters(context, deadLetters);
      expect(topic.normalizer).toEqual(expected.deadLettered);
      expect(topic.reasons).toEqual(expected.reasons);
      expect(topic.ingest).toEqual(expected.ingestDeadLettered);
      for (const message of deadLetters) {
        expect(header(message, 'error.code'), 'error.code header').toMatch(/^CIEM_[A-Z_]+$/);
        expect(header(message, 'error.message')?.length ?? 0).toBeGreaterThan(0);
      }
    } finally {
      await reader.stop();
    }

    console.info(
      `cloud ingest e2e: rows ${JSON.stringify(expected.rows)}, normalizable ${JSON.stringify(expected.normalizable)}, dead-lettered ${JSON.stringify(expected.deadLettered)}, ingest dead letters ${JSON.stringify(expected.ingestDeadLettered)}`,
    );
  });
});

if (!hasSharedDatasets) console.warn(sharedDatasetsSkipReason);
