import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { CompactPrincipalEntitlements, SnapshotHeader } from '@ciem/entitlements';
import { PermissionSetCache, PermissionTable } from '@ciem/entitlements';
import { createKafkaClient, ensureTopics } from '@ciem/kafka';
import type { ReceivedMessage } from '@ciem/kafka';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntitlementWriter, publishSnapshot, writeSnapshotRows } from './snapshot-sinks.js';

const database = randomName('ciem_entitlements_test');
const topic = randomName('ciem.entitlements.test');
const clickhouse = createClickHouse({ url: clickhouseUrl });
const kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'entitlements-store-test' });

const cache = new PermissionSetCache(new PermissionTable());
const reads = cache.intern('reads', () =>
  ['storage.objects.get', 'storage.objects.list'].map((name) => cache.table.intern(name)),
);
const owner = cache.intern('owner', () =>
  ['resourcemanager.projects.setIamPolicy'].map((name) => cache.table.intern(name)),
);

const header: SnapshotHeader = { taken_at: 1_741_064_767_123, provider: 'gcp', account_id: 'p1' };
const principals: CompactPrincipalEntitlements[] = [
  {
    provider: 'gcp',
    account_id: 'p1',
    principal_id: 'user:alice@example.com',
    principal_type: 'user',
    principal_name: 'alice@example.com',
    tags: {},
    grant_groups: [
      { permissions: reads, resource: '//r/projects/1', conditional: false, via: 'roles/x@p' },
    ],
    findings: [],
  },
  {
    provider: 'gcp',
    account_id: 'p1',
    principal_id: 'serviceAccount:ci@p1.iam.gserviceaccount.com',
    principal_type: 'service-account',
    principal_name: 'ci@p1.iam.gserviceaccount.com',
    tags: {},
    grant_groups: [
      {
        permissions: owner,
        resource: '//r/projects/1',
        conditional: true,
        conditions: '{"expression":"true"}',
        via: 'roles/owner@p',
      },
      { permissions: reads, resource: '//r/projects/1', conditional: false, via: 'roles/x@p' },
    ],
    findings: [
      {
        kind: 'admin-equivalent',
        severity: 'critical',
        summary: 'owner',
        path: ['serviceAccount:ci@p1.iam.gserviceaccount.com', 'roles/owner', '//r/projects/1'],
      },
    ],
  },
];

beforeAll(async () => {
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  const admin = await kafka.createAdmin();
  await ensureTopics(admin, [
    { name: topic, partitions: 2, replicationFactor: 1, compacted: true },
  ]);
  await admin.disconnect();
});

afterAll(async () => {
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse.close();
  await kafka.close();
});

describe('entitlements store', () => {
  it('writes one row per grant, idempotently', async () => {
    const writer = createEntitlementWriter({
      client: clickhouse,
      database,
      maxRows: 2,
      maxWaitMs: 50,
    });
    expect(await writeSnapshotRows(writer, header, principals, 1_741_064_800_000)).toBe(5);
    expect(await writeSnapshotRows(writer, header, principals, 1_741_064_900_000)).toBe(5);
    await writer.close();

    const rows = await clickhouse.query<{
      principal_id: string;
      permission: string;
      admin: number;
      conditional: number;
    }>(
      `SELECT principal_id, permission, admin, conditional FROM ${database}.entitlements FINAL ORDER BY principal_id, permission`,
    );
    expect(rows).toEqual([
      {
        principal_id: 'serviceAccount:ci@p1.iam.gserviceaccount.com',
        permission: 'resourcemanager.projects.setIamPolicy',
        admin: 1,
        conditional: 1,
      },
      {
        principal_id: 'serviceAccount:ci@p1.iam.gserviceaccount.com',
        permission: 'storage.objects.get',
        admin: 1,
        conditional: 0,
      },
      {
        principal_id: 'serviceAccount:ci@p1.iam.gserviceaccount.com',
        permission: 'storage.objects.list',
        admin: 1,
        conditional: 0,
      },
      {
        principal_id: 'user:alice@example.com',
        permission: 'storage.objects.get',
        admin: 0,
        conditional: 0,
      },
      {
        principal_id: 'user:alice@example.com',
        permission: 'storage.objects.list',
        admin: 0,
        conditional: 0,
      },
    ]);
  });

  it('publishes one message per principal', async () => {
    const producer = await kafka.createProducer();
    expect(await publishSnapshot({ producer, topic, batchSize: 1 }, header, principals)).toBe(2);
    await producer.disconnect();

    const received: ReceivedMessage[] = [];
    const consumer = await kafka.runConsumer({
      groupId: randomName('entitlements-store-test'),
      topics: [topic],
      fromBeginning: true,
      handleBatch: async (batch) => {
        received.push(...batch.messages);
      },
    });
    try {
      await waitFor(() => received.length >= 2, { timeoutMs: 60_000, what: 'two messages' });
    } finally {
      await consumer.stop();
    }
    const byKey = new Map(received.map((message) => [message.key?.toString(), message]));
    const ci = byKey.get('serviceAccount:ci@p1.iam.gserviceaccount.com');
    const value = JSON.parse(ci?.value?.toString() ?? '{}') as Record<string, unknown>;
    expect(value.taken_at).toBe(header.taken_at);
    expect(value.principal_type).toBe('service-account');
    expect(value.grants).toHaveLength(3);
    expect(ci?.headers.provider?.toString()).toBe('gcp');
    expect(byKey.has('user:alice@example.com')).toBe(true);
  });
});
