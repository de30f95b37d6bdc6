import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { NormalizedEvent } from '@ciem/events';
import { InputError } from '@ciem/errors';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDeadLetterRow } from './dead-letter-row.js';
import { toEventRow } from './event-row.js';
import { createDeadLetterWriter, createEventWriter } from './writers.js';

const database = randomName('ciem_event_store_test');
const client = createClickHouse({ url: clickhouseUrl });

function azureEvent(eventId: string, overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    schema_version: 1,
    event_id: eventId,
    provider: 'azure',
    // 2025-03-04T05:06:07.123Z
    event_time: 1_741_064_767_123,
    ingest_time: 1_741_064_800_000,
    log_type: 'Administrative',
    account_id: '00000000-0000-0000-0000-000000000001',
    tenant_id: '00000000-0000-0000-0000-0000000000aa',
    region: null,
    principal: { id: '00000000-0000-0000-0000-0000000000bb', type: 'user', name: 'a@example.com' },
    session: null,
    actor: null,
    access_key_id: null,
    mfa: null,
    action: {
      service: 'Microsoft.Compute',
      operation: 'Microsoft.Compute/virtualMachines/write',
      permissions: ['Microsoft.Compute/virtualMachines/write'],
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: false,
    category: 'management',
    resources: [
      {
        id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1',
        type: 'Microsoft.Compute/virtualMachines',
      },
    ],
    outcome: 'success',
    error_code: null,
    error_message: null,
    source_ip: '198.51.100.7',
    user_agent: null,
    via_service: null,
    vpc_endpoint: null,
    phase: 'Succeeded',
    correlation_id: 'c0ffee00-0000-0000-0000-000000000000',
    raw_ref: 'ciem.raw.azure.activity/0/5',
    ...overrides,
  };
}

beforeAll(async () => {
  await runMigrations({ client, database });
});

afterAll(async () => {
  await client.command(`DROP DATABASE IF EXISTS ${database}`);
  await client.close();
});

describe('event store writers', () => {
  it('round-trips an event row', async () => {
    const writer = createEventWriter({ client, database, maxRows: 100, maxWaitMs: 60_000 });
    const event = azureEvent(randomName('evt'));
    await writer.add(toEventRow(event));
    await writer.close();

    const rows = await client.query<Record<string, unknown>>(
      `SELECT * FROM ${database}.events WHERE event_id = '${event.event_id}'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      provider: 'azure',
      event_time: '2025-03-04 05:06:07',
      event_time_ms: '1741064767123',
      log_type: 'Administrative',
      principal_id: '00000000-0000-0000-0000-0000000000bb',
      mfa: -1,
      read_only: 0,
      mapping: 'mapped',
      visibility: 'logged',
      permissions: ['Microsoft.Compute/virtualMachines/write'],
      resource_types: ['Microsoft.Compute/virtualMachines'],
      phase: 'succeeded',
      session_chain: [],
    });
  });

  it('collapses a redelivered event with FINAL', async () => {
    const writer = createEventWriter({ client, database, maxRows: 100, maxWaitMs: 60_000 });
    const eventId = randomName('evt');
    await writer.add(toEventRow(azureEvent(eventId)));
    await writer.flush();
    await writer.add(toEventRow(azureEvent(eventId, { ingest_time: 1_741_064_900_000 })));
    await writer.close();

    const [final] = await client.query<{ c: string; u: string }>(
      `SELECT count() AS c, uniqExact(event_id) AS u FROM ${database}.events FINAL WHERE event_id = '${eventId}'`,
    );
    expect(final).toEqual({ c: '1', u: '1' });
  });

  it('feeds the permission usage view', async () => {
    const writer = createEventWriter({ client, database, maxRows: 100, maxWaitMs: 60_000 });
    const principal = randomName('principal');
    const event = azureEvent(randomName('evt'), {
      principal: { id: principal, type: 'service_principal', name: null },
    });
    await writer.add(toEventRow(event));
    await writer.close();

    const rows = await client.query<{ permission: string; c: string }>(
      `SELECT permission, countMerge(event_count) AS c FROM ${database}.permission_usage WHERE principal_id = '${principal}' GROUP BY permission`,
    );
    expect(rows).toEqual([{ permission: 'Microsoft.Compute/virtualMachines/write', c: '1' }]);
  });

  it('round-trips a dead-letter row', async () => {
    const writer = createDeadLetterWriter({ client, database, maxRows: 100, maxWaitMs: 60_000 });
    const offset = String(Date.now());
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new InputError('CIEM_NORMALIZE_WRONG_TYPE', 'eventTime must be a string'),
      original: {
        topic: 'ciem.raw.aws.cloudtrail',
        partition: 1,
        offset,
        key: '111122223333',
        value: Buffer.from([0xff, 0x00, 0x7b]),
      },
      deadLetteredAt: 1_741_064_767_000,
      provider: 'aws',
      reason: 'wrong-type',
      field: 'eventTime',
      sourceRef: 'trail.json:4',
    });
    await writer.add(row);
    await writer.add(row);
    await writer.close();

    const rows = await client.query<Record<string, unknown>>(
      `SELECT * FROM ${database}.dlq_events FINAL WHERE original_offset = ${offset}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      reason: 'wrong-type',
      field: 'eventTime',
      error_type: 'input',
      payload_encoding: 'base64',
      payload: Buffer.from([0xff, 0x00, 0x7b]).toString('base64'),
      payload_bytes: '3',
      source_ref: 'trail.json:4',
    });
  });
});
