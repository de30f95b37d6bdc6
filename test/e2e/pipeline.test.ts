import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeNormalizedEvent } from '@ciem/events';
import { resolveInputs } from '@ciem/pipeline';
import {
  hasSharedDatasets,
  randomName,
  sharedDatasetsDir,
  sharedDatasetsSkipReason,
  waitFor,
} from '@ciem/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExpectedOutcome } from './support/expected.js';
import { expectedOutcome, total } from './support/expected.js';
import { writeFixtureFiles } from './support/fixtures.js';
import type { PipelineContext } from './support/pipeline-context.js';
import { startPipeline } from './support/pipeline-context.js';
import {
  deadLetterRowsByProvider,
  eventRowsByProvider,
  header,
  readTopics,
} from './support/store.js';

const contexts: PipelineContext[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function pipeline(): Promise<PipelineContext> {
  const context = await startPipeline();
  contexts.push(context);
  return context;
}

/**
 * Publishes `files`, waits until ClickHouse contains what the normalizer library predicts, and
 * checks the tables and both output topics against that prediction.
 */
async function checkFilesFlowThrough(context: PipelineContext, files: string[]): Promise<void> {
  const expected: ExpectedOutcome = await expectedOutcome(files);
  const report = await context.publish(files);
  for (const [provider, counts] of Object.entries(report.providers)) {
    expect(counts.read, `records read of ${provider}`).toBe(expected.read[provider]);
  }

  await waitFor(
    async () => {
      const events = total(await eventRowsByProvider(context.clickhouse, context.database));
      const dead = total(await deadLetterRowsByProvider(context.clickhouse, context.database));
      return events >= total(expected.rows) && dead >= total(expected.deadLettered);
    },
    { timeoutMs: 120_000, intervalMs: 500, what: 'events and dead letters in ClickHouse' },
  );
  expect(await eventRowsByProvider(context.clickhouse, context.database)).toEqual(expected.rows);
  expect(await deadLetterRowsByProvider(context.clickhouse, context.database)).toEqual(
    expected.deadLettered,
  );

  // Every normalizable record reached the normalized topic, and every other one the DLQ.
  const reader = await readTopics(context.kafka, [
    context.topics.eventsNormalized,
    context.topics.deadLetter,
  ]);
  try {
    const normalizedRefs = new Set<string>();
    const deadLetterRefs = new Set<string>();
    await waitFor(
      () => {
        for (const message of reader.messages) {
          if (message.topic === context.topics.eventsNormalized) {
            normalizedRefs.add(decodeNormalizedEvent(message.value as Buffer).raw_ref);
          } else {
            const position = `${header(message, 'original.topic')}/${header(message, 'original.partition')}/${header(message, 'original.offset')}/${header(message, 'raw_ref')}`;
            deadLetterRefs.add(position);
          }
        }
        return (
          normalizedRefs.size >= total(expected.normalizable) &&
          deadLetterRefs.size >= total(expected.deadLettered)
        );
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'messages on the output topics' },
    );
    expect(normalizedRefs.size).toBe(total(expected.normalizable));
    expect(deadLetterRefs.size).toBe(total(expected.deadLettered));
    for (const message of reader.messages) {
      if (message.topic !== context.topics.deadLetter) continue;
      expect(header(message, 'error.reason'), 'error.reason header').toMatch(/^[a-z-]+$/);
      expect(header(message, 'error.code'), 'error.code header').toMatch(/^CIEM_NORMALIZE_/);
      expect(header(message, 'error.message')?.length ?? 0).toBeGreaterThan(0);
      expect(['normalizer', 'ingest-file']).toContain(header(message, 'stage'));
    }
  } finally {
    await reader.stop();
  }

  const [reasons] = await context.clickhouse.query<{ missing: string }>(
    `SELECT countIf(reason = '' OR error_message = '') AS missing FROM ${context.database}.dlq_events FINAL`,
  );
  expect(reasons?.missing).toBe('0');
}

describe('pipeline through Kafka and ClickHouse', () => {
  it.skipIf(!hasSharedDatasets)('stores every shared sample record', async () => {
    const files = await resolveInputs(
      ['aws', 'azure', 'gcp'].map((folder) => path.join(sharedDatasetsDir, folder)),
    );
    const context = await pipeline();
    await checkFilesFlowThrough(context, files);
  });

  it('stores hand-written provider records', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-e2e-'));
    folders.push(folder);
    const files = await writeFixtureFiles(folder, {
      perProvider: 120,
      tag: randomName('fixture'),
      withBadRecords: true,
    });
    const context = await pipeline();
    await checkFilesFlowThrough(context, files);
  });

  it('dead-letters poison records and goes on', async () => {
    const context = await pipeline();
    const topic = context.topics.rawAwsCloudTrail;
    const valid = (eventId: string) =>
      JSON.stringify({
        eventVersion: '1.09',
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLEUSER',
          arn: 'arn:aws:iam::111122223333:user/alice',
          accountId: '111122223333',
          userName: 'alice',
        },
        eventTime: '2025-03-04T05:06:07Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'GetUser',
        awsRegion: 'us-east-1',
        sourceIPAddress: '192.0.2.1',
        requestParameters: { padding: '' },
        eventID: eventId,
        eventType: 'AwsApiCall',
        recipientAccountId: '111122223333',
      });
    const huge = valid('huge-record').replace(
      '"padding":""',
      `"padding":"${'x'.repeat(10_000_000)}"`,
    );
    const wrongTypes = JSON.stringify({ ...JSON.parse(valid('wrong-types')), eventName: 42 });
    const poison = [
      { value: '{"eventVersion": "1.09", "eventTime": ', reason: 'invalid-json' },
      { value: huge, reason: 'oversized' },
      { value: wrongTypes, reason: 'wrong-type' },
    ];
    for (const record of poison) {
      await context.producer.send(topic, [{ key: '111122223333', value: record.value }]);
    }
    await context.producer.send(topic, [{ key: '111122223333', value: valid('after-poison') }]);

    await waitFor(
      async () => {
        const rows = await context.clickhouse.query<{ c: string }>(
          `SELECT count() AS c FROM ${context.database}.events FINAL WHERE event_id = 'after-poison'`,
        );
        return rows[0]?.c === '1';
      },
      { timeoutMs: 60_000, intervalMs: 300, what: 'the record after the poison records' },
    );

    // The events and dlq_events writers flush on their own timers, so the record after the
    // poison can be visible before the last dead letter; wait for all three.
    const rows = await waitFor(
      async () => {
        const found = await context.clickhouse.query<{
          reason: string;
          error_type: string;
          payload_bytes: string;
          payload_truncated: number;
          original_offset: string;
        }>(
          `SELECT reason, error_type, payload_bytes, payload_truncated, original_offset FROM ${context.database}.dlq_events FINAL ORDER BY original_offset`,
        );
        return found.length >= poison.length ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300, what: 'a dead letter for every poison record' },
    );
    expect(rows.map((row) => row.reason)).toEqual(['invalid-json', 'oversized', 'wrong-type']);
    expect(rows.every((row) => row.error_type === 'input')).toBe(true);
    expect(Number(rows[1]?.payload_bytes)).toBe(Buffer.byteLength(huge));
    expect(rows[1]?.payload_truncated).toBe(1);

    const reader = await readTopics(context.kafka, [context.topics.deadLetter]);
    try {
      await waitFor(() => reader.messages.length >= 3, {
        timeoutMs: 60_000,
        what: 'three dead letters on the topic',
      });
      const byReason = new Map(
        reader.messages.map((message) => [header(message, 'error.reason'), message]),
      );
      expect([...byReason.keys()].sort()).toEqual(['invalid-json', 'oversized', 'wrong-type']);
      expect(byReason.get('oversized')?.value?.length).toBe(Buffer.byteLength(huge));
      expect(header(byReason.get('wrong-type')!, 'error.field')).toBe('eventName');
      expect(header(byReason.get('invalid-json')!, 'original.topic')).toBe(topic);
    } finally {
      await reader.stop();
    }
  });
});

if (!hasSharedDatasets) console.warn(sharedDatasetsSkipReason);
