import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { PrincipalEntitlements } from '@ciem/entitlements';
import { createKafkaClient, ensureTopics } from '@ciem/kafka';
import type { ReceivedMessage } from '@ciem/kafka';
import { sampleResults } from '@ciem/rightsizing-reports/testing';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvents, seedSnapshot } from '../testing/seed.js';
import { readLatestEntitlements, readPermissionUsage } from './analysis-inputs.js';
import {
  createRecommendationWriter,
  publishRecommendations,
  writeRecommendationRows,
} from './recommendation-sinks.js';

const database = randomName('ciem_rightsizing_store_test');
const topic = randomName('ciem.recommendations.test');
const clickhouse = createClickHouse({ url: clickhouseUrl });
const kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'rightsizing-store-test' });

const DAY = 86_400_000;
const windowEnd = Date.UTC(2026, 11, 4);
const windowStart = windowEnd - 30 * DAY;
const account = '111122223333';
const deployer = `arn:aws:iam::${account}:role/deployer`;
const auditor = `arn:aws:iam::${account}:role/auditor`;

function principal(id: string, grants: string[], admin = false): PrincipalEntitlements {
  return {
    provider: 'aws',
    account_id: account,
    principal_id: id,
    principal_type: 'role',
    principal_name: id.split('/').at(-1) ?? id,
    tags: {},
    grants: grants.map((permission) => ({
      permission,
      resource: '*',
      conditional: false,
      via: 'inline:app',
    })),
    findings: admin
      ? [{ kind: 'admin-equivalent', severity: 'critical', summary: 'admin', path: [id] }]
      : [],
  };
}

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

describe('analysis inputs', () => {
  it('reads the latest snapshot only', async () => {
    const older = { provider: 'aws' as const, account_id: account, taken_at: windowEnd - 10 * DAY };
    const latest = { provider: 'aws' as const, account_id: account, taken_at: windowEnd - DAY };
    await seedSnapshot(clickhouse, database, older, [principal(deployer, ['s3:GetObject'])]);
    await seedSnapshot(clickhouse, database, latest, [
      principal(deployer, ['s3:GetObject', 's3:PutObject']),
      principal(auditor, ['iam:*'], true),
    ]);
    // Written twice: the grouped read must not double the grants.
    await seedSnapshot(clickhouse, database, latest, [principal(auditor, ['iam:*'], true)]);

    const { snapshots, principals } = await readLatestEntitlements(clickhouse, database);
    expect(snapshots).toEqual([
      { provider: 'aws', account_id: account, taken_at_ms: latest.taken_at },
    ]);
    expect(principals.map((entry) => entry.principal_id)).toEqual([auditor, deployer]);
    expect(principals[0]?.grants).toHaveLength(1);
    expect(principals[0]?.findings.map((finding) => finding.kind)).toEqual(['admin-equivalent']);
    expect(principals[1]?.grants.map((grant) => grant.permission)).toEqual([
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(principals[1]?.findings).toEqual([]);
  });

  it('merges usage per permission', async () => {
    await seedEvents(clickhouse, database, [
      {
        id: 'e1',
        provider: 'aws',
        account,
        principal: deployer,
        permission: 's3:GetObject',
        time: windowEnd - 2 * DAY,
        resource: 'arn:aws:s3:::a/1',
      },
      {
        id: 'e2',
        provider: 'aws',
        account,
        principal: deployer,
        permission: 's3:GetObject',
        time: windowEnd - 3 * DAY,
        resource: 'arn:aws:s3:::a/2',
      },
      {
        id: 'e3',
        provider: 'aws',
        account,
        principal: deployer,
        permission: 's3:GetObject',
        time: windowEnd - 3 * DAY,
        outcome: 'denied',
      },
      {
        id: 'e4',
        provider: 'aws',
        account,
        principal: auditor,
        permission: 'iam:ListRoles',
        time: windowStart - 5 * DAY,
      },
      {
        id: 'e5',
        provider: 'aws',
        account,
        principal: auditor,
        permission: 'iam:ListRoles',
        time: windowStart - 200 * DAY,
      },
    ]);
    const usage = await readPermissionUsage(clickhouse, database, {
      windowStart,
      windowEnd,
      historyStart: windowStart - 30 * DAY,
    });
    const sorted = usage.sort((a, b) => a.principal_id.localeCompare(b.principal_id));
    expect(sorted).toHaveLength(2);
    expect(sorted[0]).toMatchObject({
      principal_id: auditor,
      permission: 'iam:ListRoles',
      allowed_count: 1,
      denied_count: 0,
      first_seen: windowStart - 5 * DAY,
      last_seen: windowStart - 5 * DAY,
    });
    expect(sorted[1]).toMatchObject({
      principal_id: deployer,
      permission: 's3:GetObject',
      visibility: 'data-event',
      allowed_count: 2,
      denied_count: 1,
      first_seen: windowEnd - 3 * DAY,
      last_seen: windowEnd - 2 * DAY,
    });
    expect([...(sorted[1]?.resources ?? [])].sort()).toEqual([
      'arn:aws:s3:::a/1',
      'arn:aws:s3:::a/2',
    ]);
  });
});

describe('recommendation sinks', () => {
  const results = sampleResults();

  it('writes one row per principal', async () => {
    const writer = createRecommendationWriter({
      client: clickhouse,
      database,
      maxRows: 3,
      maxWaitMs: 50,
    });
    expect(await writeRecommendationRows(writer, results, windowEnd + 1_000)).toBe(4);
    expect(await writeRecommendationRows(writer, results, windowEnd + 60_000)).toBe(4);
    await writer.close();

    const rows = await clickhouse.query<{
      principal_id: string;
      team: string;
      score: number;
      removes: string[];
      unused_risks: string[];
      written_at: string;
    }>(
      `SELECT principal_id, team, score, removes, unused_risks, toString(written_at) AS written_at FROM ${database}.recommendations FINAL ORDER BY principal_id`,
    );
    expect(rows.map((row) => row.principal_id)).toEqual([
      'arn:aws:iam::111122223333:role/ci-deployer',
      'arn:aws:iam::444455556666:user/reader',
      'cccccccc-0000-0000-0000-000000000002',
      'serviceAccount:batch@shop-prod.iam.gserviceaccount.com',
    ]);
    expect(rows[0]).toMatchObject({
      team: 'payments',
      score: 82,
      removes: ['iam:CreateAccessKey', 'iam:PutRolePolicy', 's3:DeleteObject', 's3:ListBucket'],
      unused_risks: ['escalation', 'permissions-management', 'write', 'list'],
      written_at: '2026-12-04 00:01:00',
    });
    expect(rows[2]?.team).toBe('');
  });

  it('publishes one message per principal', async () => {
    const producer = await kafka.createProducer();
    expect(await publishRecommendations({ producer, topic, batchSize: 3 }, results)).toBe(4);
    await producer.disconnect();

    const received: ReceivedMessage[] = [];
    const consumer = await kafka.runConsumer({
      groupId: randomName('rightsizing-store-test'),
      topics: [topic],
      fromBeginning: true,
      handleBatch: async (batch) => {
        received.push(...batch.messages);
      },
    });
    try {
      await waitFor(() => received.length >= 4, { timeoutMs: 60_000, what: 'four messages' });
    } finally {
      await consumer.stop();
    }
    expect(received).toHaveLength(4);
    const keys = received.map((message) => message.key?.toString());
    expect(new Set(keys).size).toBe(4);
    const gcp = received.find((message) => message.key?.toString().startsWith('serviceAccount:'));
    const value = JSON.parse(gcp?.value?.toString() ?? '{}') as Record<string, unknown>;
    expect(value.status).toBe('never-used');
    expect(value.score).toBe(100);
    expect(gcp?.headers.provider?.toString()).toBe('gcp');
    expect(gcp?.headers.window_end?.toString()).toBe(String(Date.UTC(2026, 11, 4)));
  });
});
