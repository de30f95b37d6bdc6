import { RejectedError } from '@ciem/errors';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchWriter } from './batch-writer.js';
import { createClickHouse } from './client.js';
import { runMigrations } from './migrations.js';

const database = randomName('ciem_writer_test');
const client = createClickHouse({ url: clickhouseUrl });

/** Builds a row with every column of the events table, as 0001_events.sql defines it. */
function eventRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomName('evt'),
    provider: 'aws',
    // 2025-03-04T05:06:07.123Z
    event_time: 1741064767,
    event_time_ms: 1741064767123,
    ingest_time: 1741064800,
    schema_version: 1,
    account_id: '111122223333',
    tenant_id: '',
    region: 'eu-west-1',
    principal_id: 'arn:aws:iam::111122223333:role/app',
    principal_type: 'role',
    principal_name: 'app',
    session_name: 'i-0abc',
    actor: '',
    access_key_id: 'ASIAEXAMPLE',
    mfa: -1,
    service: 's3',
    operation: 'GetObject',
    permissions: ['s3:GetObject'],
    read_only: 1,
    category: 'data',
    resources: ['arn:aws:s3:::bucket/key'],
    resource_types: ['AWS::S3::Object'],
    outcome: 'success',
    error_code: '',
    error_message: '',
    source_ip: '192.0.2.10',
    user_agent: 'aws-sdk-js/3',
    via_service: '',
    vpc_endpoint: '',
    phase: '',
    correlation_id: '',
    raw_ref: 'ciem.raw.aws.cloudtrail/0/1',
    ...overrides,
  };
}

const columns = Object.keys(eventRow());
const table = `${database}.events`;

async function countEvents(where = '1'): Promise<number> {
  const rows = await client.query<{ c: string }>(
    `SELECT count() AS c FROM ${table} WHERE ${where}`,
  );
  return Number(rows[0]?.c ?? 0);
}

beforeAll(async () => {
  await runMigrations({ client, database });
});

afterAll(async () => {
  await client.command(`DROP DATABASE IF EXISTS ${database}`);
  await client.close();
});

describe('createBatchWriter against the server', () => {
  it('writes full batches by size', async () => {
    const writer = createBatchWriter({
      client,
      table,
      columns,
      maxRows: 50,
      maxWaitMs: 600_000,
      maxBufferedRows: 100,
    });
    for (let i = 0; i < 100; i += 1) await writer.add(eventRow({ account_id: 'size' }));
    // No flush() call: both batches were full, so they went out on their own.
    await waitFor(async () => (await countEvents("account_id = 'size'")) === 100, {
      timeoutMs: 20_000,
      what: '100 rows written by size',
    });
    await writer.close();
  });

  it('writes partial batches by time', async () => {
    const writer = createBatchWriter({
      client,
      table,
      columns,
      maxRows: 1_000,
      maxWaitMs: 200,
      maxBufferedRows: 1_000,
    });
    for (let i = 0; i < 3; i += 1) await writer.add(eventRow({ account_id: 'time' }));
    // The rows are visible in events before the insert, which also fills the materialized
    // views, returns and updates the writer's stats, so the wait covers both.
    await waitFor(
      async () =>
        writer.stats().writtenRows === 3 && (await countEvents("account_id = 'time'")) === 3,
      {
        timeoutMs: 20_000,
        what: '3 rows written after maxWaitMs',
      },
    );
    expect(writer.stats().writtenRows).toBe(3);
    await writer.close();
  });

  it('makes rows durable by flush', async () => {
    const writer = createBatchWriter({
      client,
      table,
      columns,
      maxRows: 7,
      maxWaitMs: 600_000,
      maxBufferedRows: 20,
    });
    for (let i = 0; i < 30; i += 1) await writer.add(eventRow({ account_id: 'flush' }));
    await writer.flush();
    expect(await countEvents("account_id = 'flush'")).toBe(30);
    await writer.close();
  });

  it('hands a bad row to onRejected', async () => {
    const rejected: Record<string, unknown>[][] = [];
    let rejection: unknown;
    const writer = createBatchWriter<Record<string, unknown>>({
      client,
      table,
      columns,
      maxRows: 10,
      maxWaitMs: 600_000,
      maxBufferedRows: 10,
      onRejected: (rows, error) => {
        rejected.push(rows);
        rejection = error;
      },
    });
    for (let i = 0; i < 10; i += 1) {
      const bad = i === 6 ? { event_time_ms: 'not a number', event_id: 'bad-row' } : {};
      await writer.add(eventRow({ account_id: 'bisect', ...bad }));
    }
    await writer.flush();
    expect(rejected.map((rows) => rows.map((row) => row.event_id))).toEqual([['bad-row']]);
    expect(rejection).toBeInstanceOf(RejectedError);
    expect(await countEvents("account_id = 'bisect' AND event_id != 'bad-row'")).toBe(9);
    await writer.close();
  });
});

describe('event tables', () => {
  it('collapse a redelivered event', async () => {
    const row = eventRow({ account_id: 'dedupe', event_id: 'same-id' });
    await client.insert(table, [row], { columns });
    await client.insert(table, [{ ...row, ingest_time: 1741064900 }], { columns });
    const rows = await client.query<{ c: string; ingest: string }>(
      `SELECT count() AS c, toString(max(ingest_time)) AS ingest FROM ${table} FINAL WHERE account_id = 'dedupe'`,
    );
    expect(rows[0]).toEqual({ c: '1', ingest: '2025-03-04 05:08:20' });
  });

  it('count permission usage once per operation', async () => {
    const azure = {
      provider: 'azure',
      account_id: 'usage-sub',
      principal_id: '00000000-0000-0000-0000-00000000000a',
      permissions: ['Microsoft.Compute/virtualMachines/write'],
      resources: [
        '/subscriptions/usage-sub/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
      ],
    };
    // One Azure operation reported in two phases, and a second operation that only started.
    await client.insert(
      table,
      [
        eventRow({ ...azure, event_id: 'op1-start', phase: 'started' }),
        eventRow({ ...azure, event_id: 'op1-end', phase: 'succeeded', event_time: 1741064770 }),
        eventRow({ ...azure, event_id: 'op2-start', phase: 'started', event_time: 1741064780 }),
      ],
      { columns },
    );
    // An AWS call with two permissions and no resource, and a denied call.
    const aws = { account_id: 'usage-acct', principal_id: 'arn:aws:iam::1:user/u', resources: [] };
    await client.insert(
      table,
      [
        eventRow({ ...aws, event_id: 'a1', permissions: ['s3:GetObject', 'kms:Decrypt'] }),
        eventRow({ ...aws, event_id: 'a2', permissions: ['s3:GetObject'], event_time: 1741151167 }),
        eventRow({ ...aws, event_id: 'a3', permissions: ['iam:PassRole'], outcome: 'denied' }),
        eventRow({ ...aws, event_id: 'a4', permissions: [] }),
      ],
      { columns },
    );

    const usage = await client.query<Record<string, string | number>>(
      `SELECT account_id, permission, resource, outcome,
              countMerge(event_count) AS events,
              uniqMerge(unique_events) AS unique_events,
              toString(minMerge(first_seen)) AS first_seen,
              toString(maxMerge(last_seen)) AS last_seen
       FROM ${database}.permission_usage
       WHERE account_id IN ('usage-sub', 'usage-acct')
       GROUP BY account_id, permission, resource, outcome
       ORDER BY account_id, permission, outcome`,
    );
    expect(usage).toEqual([
      {
        account_id: 'usage-acct',
        permission: 'iam:PassRole',
        resource: '',
        outcome: 'denied',
        events: '1',
        unique_events: '1',
        first_seen: '2025-03-04 05:06:07',
        last_seen: '2025-03-04 05:06:07',
      },
      {
        account_id: 'usage-acct',
        permission: 'kms:Decrypt',
        resource: '',
        outcome: 'success',
        events: '1',
        unique_events: '1',
        first_seen: '2025-03-04 05:06:07',
        last_seen: '2025-03-04 05:06:07',
      },
      {
        account_id: 'usage-acct',
        permission: 's3:GetObject',
        resource: '',
        outcome: 'success',
        events: '2',
        unique_events: '2',
        first_seen: '2025-03-04 05:06:07',
        last_seen: '2025-03-05 05:06:07',
      },
      {
        account_id: 'usage-sub',
        permission: 'Microsoft.Compute/virtualMachines/write',
        resource: azure.resources[0],
        outcome: 'success',
        events: '1',
        unique_events: '1',
        first_seen: '2025-03-04 05:06:10',
        last_seen: '2025-03-04 05:06:10',
      },
    ]);
  });

  it('store dead-letter records', async () => {
    const row = {
      dedupe_key: 'ciem.dlq/0/42',
      dead_lettered_at: 1741064767,
      stage: 'normalizer',
      error_code: 'CIEM_NORMALIZE_BAD_FIELD',
      error_type: 'input',
      error_message: "field 'eventTime' is missing",
      original_topic: 'ciem.raw.aws.cloudtrail',
      original_partition: 3,
      original_offset: '9007199254740993',
      payload: '{"eventID":"x"}',
      payload_encoding: 'utf8',
    };
    await client.insert(`${database}.dlq_events`, [row, row], { columns: Object.keys(row) });
    const rows = await client.query<Record<string, unknown>>(
      `SELECT dedupe_key, original_offset, error_message FROM ${database}.dlq_events FINAL`,
    );
    expect(rows).toEqual([
      {
        dedupe_key: 'ciem.dlq/0/42',
        original_offset: '9007199254740993',
        error_message: "field 'eventTime' is missing",
      },
    ]);
  });
});
