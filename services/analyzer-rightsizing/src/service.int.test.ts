import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { PrincipalEntitlements } from '@ciem/entitlements';
import { createKafkaClient } from '@ciem/kafka';
import type { ReceivedMessage } from '@ciem/kafka';
import { WEBHOOK_HEADERS, verifyWebhookSignature } from '@ciem/rightsizing-delivery';
import { seedEvents, seedSnapshot } from '@ciem/rightsizing-store/testing';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, kafkaBrokers, randomName, startChildService, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const reportsDir = mkdtempSync(path.join(tmpdir(), 'ciem-rightsizing-service-'));
const database = randomName('ciem_rightsizing_service');
const prefix = `${randomName('t')}.`;
const clickhouse = createClickHouse({ url: clickhouseUrl });
const kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'rightsizing-service-test' });
const webhookSecret = 'service-test-secret';

const DAY = 86_400_000;
const now = Date.now();
const account = '111122223333';
const deployer = `arn:aws:iam::${account}:role/deployer`;
const dormant = `arn:aws:iam::${account}:role/dormant`;

function principal(id: string, grants: string[]): PrincipalEntitlements {
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
    findings: [],
  };
}

const webhookBodies: Array<{ body: string; valid: boolean }> = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const timestamp = Number(request.headers[WEBHOOK_HEADERS.timestamp]);
    const signature = request.headers[WEBHOOK_HEADERS.signature] as string | undefined;
    webhookBodies.push({
      body,
      valid: verifyWebhookSignature(webhookSecret, timestamp, body, signature),
    });
    response.writeHead(204).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  await seedSnapshot(
    clickhouse,
    database,
    { provider: 'aws', account_id: account, taken_at: now - DAY },
    [
      principal(deployer, [
        'ec2:DescribeInstances',
        'iam:CreateUser',
        'iam:PassRole',
        'sts:AssumeRole',
      ]),
      principal(dormant, ['ec2:DescribeInstances']),
    ],
  );
  await seedEvents(clickhouse, database, [
    {
      id: 'svc-e1',
      provider: 'aws',
      account,
      principal: deployer,
      permission: 'ec2:DescribeInstances',
      time: now - 3 * DAY,
    },
    {
      id: 'svc-e2',
      provider: 'aws',
      account,
      principal: deployer,
      permission: 'ec2:DescribeInstances',
      time: now - 2 * DAY,
    },
    {
      id: 'svc-e3',
      provider: 'aws',
      account,
      principal: deployer,
      permission: 'sts:AssumeRole',
      time: now - 2 * DAY,
    },
  ]);
});

afterAll(async () => {
  rmSync(reportsDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse.close();
  await kafka.close();
});

describe('analyzer-rightsizing service', () => {
  it('analyzes once and exits', async () => {
    const { port } = receiver.address() as AddressInfo;
    const service = startChildService(main, {
      CIEM_PROBE_PORT: '0',
      CIEM_RIGHTSIZING_MODE: 'once',
      CIEM_RIGHTSIZING_WINDOW_DAYS: '30',
      CIEM_RIGHTSIZING_ACCOUNT_TEAMS: `${account}=payments`,
      CIEM_RIGHTSIZING_REPORTS_DIR: reportsDir,
      CIEM_RIGHTSIZING_WEBHOOK_URL: `http://127.0.0.1:${port}/ciem`,
      CIEM_RIGHTSIZING_WEBHOOK_SECRET: webhookSecret,
      CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
      CIEM_KAFKA_TOPIC_PREFIX: prefix,
      CIEM_KAFKA_TOPICS_PARTITIONS: '1',
      CIEM_CLICKHOUSE_URL: clickhouseUrl,
      CIEM_CLICKHOUSE_DATABASE: database,
    });
    const code = await service.exited;
    expect(code, service.otherOutput.join('\n')).toBe(0);
    const finished = service.lines.find((line) => line.msg === 'right-sizing analysis finished');
    expect(finished).toMatchObject({
      snapshots: 1,
      principals: 2,
      rows: 2,
      messages: 2,
      reports: 2,
    });

    const rows = await clickhouse.query<{
      principal_id: string;
      team: string;
      status: string;
      removes: string[];
      unobservable_permissions: string[];
      window_days: number;
    }>(
      `SELECT principal_id, team, status, removes, unobservable_permissions, window_days FROM ${database}.recommendations FINAL ORDER BY principal_id`,
    );
    expect(rows.map((row) => row.principal_id)).toEqual([deployer, dormant]);
    expect(rows[0]?.status).toBe('active');
    // iam:CreateUser went unused; ec2 and sts were used; CloudTrail does not log
    // iam:PassRole, so its use cannot be seen and it is kept.
    expect(rows[0]?.removes).toEqual(['iam:CreateUser']);
    expect(rows[0]?.unobservable_permissions).toEqual(['iam:PassRole']);
    expect(rows[0]?.team).toBe('payments');
    expect(rows[0]?.window_days).toBe(30);
    expect(rows[1]?.status).toBe('never-used');

    expect(existsSync(path.join(reportsDir, `account-${account}.html`))).toBe(true);
    const csv = readFileSync(path.join(reportsDir, 'team-payments.csv'), 'utf8');
    expect(csv.split('\r\n').some((line) => line.includes(',iam:CreateUser,'))).toBe(true);

    expect(webhookBodies).toHaveLength(1);
    expect(webhookBodies[0]?.valid).toBe(true);
    const payload = JSON.parse(webhookBodies[0]!.body) as {
      reports: Array<{ scope: { key: string } }>;
    };
    expect(payload.reports.map((report) => report.scope.key)).toEqual([account, 'payments']);

    const received: ReceivedMessage[] = [];
    const consumer = await kafka.runConsumer({
      groupId: randomName('rightsizing-service-test'),
      topics: [`${prefix}ciem.recommendations`],
      fromBeginning: true,
      handleBatch: async (batch) => {
        received.push(...batch.messages);
      },
    });
    try {
      await waitFor(() => received.length >= 2, {
        timeoutMs: 60_000,
        what: 'two recommendation messages',
      });
    } finally {
      await consumer.stop();
    }
    expect(received.map((message) => message.key?.toString()).sort()).toEqual([deployer, dormant]);
  });

  it('exits 1 when delivery fails', async () => {
    // A 400 from the receiver is a permanent rejection, so the one attempt fails at once.
    const rejecting = createServer((_request, response) => response.writeHead(400).end('bad'));
    await new Promise<void>((resolve) => rejecting.listen(0, '127.0.0.1', resolve));
    const { port } = rejecting.address() as AddressInfo;
    try {
      const service = startChildService(main, {
        CIEM_PROBE_PORT: '0',
        CIEM_RIGHTSIZING_MODE: 'once',
        CIEM_RIGHTSIZING_WEBHOOK_URL: `http://127.0.0.1:${port}/ciem`,
        CIEM_RIGHTSIZING_WEBHOOK_SECRET: webhookSecret,
        CIEM_RIGHTSIZING_KAFKA_ENABLED: 'false',
        CIEM_CLICKHOUSE_URL: clickhouseUrl,
        CIEM_CLICKHOUSE_DATABASE: database,
      });
      expect(await service.exited).toBe(1);
      const failed = service.lines.find((line) => line.msg === 'report delivery failed');
      expect(failed).toMatchObject({
        target: 'webhook',
        error_code: 'CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_REJECTED',
      });
    } finally {
      await new Promise<void>((resolve) => rejecting.close(() => resolve()));
    }
  });
});
