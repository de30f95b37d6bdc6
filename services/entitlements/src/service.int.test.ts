import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse } from '@ciem/clickhouse';
import { createKafkaClient } from '@ciem/kafka';
import type { ReceivedMessage } from '@ciem/kafka';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, describe, expect, it } from 'vitest';

const serviceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(serviceRoot, '..', '..');
const exportsDir = mkdtempSync(path.join(tmpdir(), 'ciem-entitlements-service-'));
const database = randomName('ciem_entitlements_service');
const prefix = `${randomName('t')}.`;
const clickhouse = createClickHouse({ url: clickhouseUrl });
const kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'entitlements-service-test' });

mkdirSync(path.join(exportsDir, 'azure'));
mkdirSync(path.join(exportsDir, 'gcp'));
writeFileSync(
  path.join(exportsDir, 'azure', 'role-assignments.json'),
  JSON.stringify([
    {
      principalId: 'cccccccc-0000-0000-0000-000000000001',
      principalType: 'User',
      principalName: 'alice@contoso.example',
      roleDefinitionId:
        '/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
      roleDefinitionName: 'Reader',
      scope: '/subscriptions/11111111-1111-1111-1111-111111111111',
    },
  ]),
);
writeFileSync(
  path.join(exportsDir, 'gcp', 'policies.ndjson'),
  [
    JSON.stringify({
      name: '//cloudresourcemanager.googleapis.com/projects/42',
      asset_type: 'cloudresourcemanager.googleapis.com/Project',
      iam_policy: {
        bindings: [{ role: 'roles/browser', members: ['user:bob@example.com', 'allUsers'] }],
      },
    }),
    JSON.stringify({
      name: 'roles/browser',
      title: 'Browser',
      includedPermissions: ['resourcemanager.projects.get', 'resourcemanager.projects.list'],
    }),
    'not json',
  ].join('\n'),
);

// A simulated estate keeps activity logs and its ground truth beside the exports; they are
// skipped, not reported as export problems.
writeFileSync(
  path.join(exportsDir, 'azure', 'activity.ndjson'),
  `${JSON.stringify({
    time: '2024-05-01T10:00:00Z',
    resourceId: '/SUBSCRIPTIONS/11111111-1111-1111-1111-111111111111',
    operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
    category: 'Administrative',
    properties: { statusCode: 'Created' },
  })}\n`,
);
writeFileSync(
  path.join(exportsDir, 'gcp', 'ground-truth.json'),
  JSON.stringify({ seed: '1', start: '2024-01-01T00:00:00.000Z', principals: [], attacks: [] }),
);

afterAll(async () => {
  rmSync(exportsDir, { recursive: true, force: true });
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse.close();
  await kafka.close();
});

function runOnce(): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(serviceRoot, 'src', 'main.ts')],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        CIEM_PROBE_PORT: '0',
        CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
        CIEM_KAFKA_TOPIC_PREFIX: prefix,
        CIEM_KAFKA_TOPICS_PARTITIONS: '1',
        CIEM_CLICKHOUSE_URL: clickhouseUrl,
        CIEM_CLICKHOUSE_DATABASE: database,
        CIEM_ENTITLEMENTS_AZURE_SOURCE: 'files',
        CIEM_ENTITLEMENTS_AZURE_DIR: path.join(exportsDir, 'azure'),
        CIEM_ENTITLEMENTS_GCP_SOURCE: 'files',
        CIEM_ENTITLEMENTS_GCP_DIR: path.join(exportsDir, 'gcp'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const lines = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, lines });
    });
  });
}

describe('entitlements service once', () => {
  it('writes snapshots and exits 0', async () => {
    const first = await runOnce();
    expect(first.code).toBe(0);
    const finished = first.lines.find((line) => line.msg === 'entitlement collection finished');
    expect(finished).toMatchObject({ snapshots: 2, principals: 3, problems: 1 });
    const skipped = first.lines.find(
      (line) => line.msg === 'skipped activity log and simulator files in the export folders',
    );
    expect(skipped?.files).toBe(2);
    expect(first.lines.some((line) => line.error_code === 'CIEM_ENTITLEMENTS_INVALID_JSON')).toBe(
      true,
    );

    // A second run writes a new snapshot time; each run's rows stay distinct by taken_at_ms.
    const second = await runOnce();
    expect(second.code).toBe(0);

    const rows = await clickhouse.query<{
      provider: string;
      principals: string;
      grants: string;
      snapshots: string;
    }>(
      `SELECT provider, uniqExact(principal_id) AS principals, count() AS grants, uniqExact(taken_at_ms) AS snapshots FROM ${database}.entitlements FINAL GROUP BY provider ORDER BY provider`,
    );
    expect(rows).toEqual([
      { provider: 'azure', principals: '1', grants: '2', snapshots: '2' },
      { provider: 'gcp', principals: '2', grants: '8', snapshots: '2' },
    ]);
  });

  it('publishes one message per principal', async () => {
    const received: ReceivedMessage[] = [];
    const consumer = await kafka.runConsumer({
      groupId: randomName('entitlements-service-test'),
      topics: [`${prefix}ciem.entitlements`],
      fromBeginning: true,
      handleBatch: async (batch) => {
        received.push(...batch.messages);
      },
    });
    try {
      await waitFor(() => received.length >= 6, { timeoutMs: 60_000, what: 'six messages' });
    } finally {
      await consumer.stop();
    }
    const keys = new Set(received.map((message) => message.key?.toString()));
    expect([...keys].sort()).toEqual([
      'allUsers',
      'cccccccc-0000-0000-0000-000000000001',
      'user:bob@example.com',
    ]);
  });
});
