import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLICKHOUSE_PLUGIN,
  expandClickHouseMacros,
  interpolateVariables,
  loadDashboards,
  targetsOfType,
} from '../observability/grafana.js';

// Runs every ClickHouse panel query of deploy/grafana/dashboards, with the plugin's macros
// and the dashboard variables expanded as Grafana does, against the real server and a few
// fixture rows per table. Each query must succeed and return rows.

const database = randomName('ciem_dashboards_test');
const admin = createClickHouse({ url: clickhouseUrl });
let clickhouse: ClickHouse;

const range = {
  fromMs: Date.UTC(2026, 2, 4, 0, 0, 0),
  toMs: Date.UTC(2026, 2, 5, 0, 0, 0),
  intervalSeconds: 600,
};
const adminRole = 'arn:aws:iam::111122223333:role/platform-admin';
const developer = 'arn:aws:iam::111122223333:user/dev';

function event(
  id: string,
  time: string,
  principal: string,
  outcome: string,
  permission: string,
): object {
  return {
    event_id: id,
    provider: 'aws',
    event_time: time,
    event_time_ms: Date.parse(`${time.replace(' ', 'T')}Z`),
    ingest_time: time,
    schema_version: 1,
    log_type: 'cloudtrail',
    account_id: '111122223333',
    region: 'us-east-1',
    principal_id: principal,
    principal_type: 'role',
    principal_name: principal.split('/').pop(),
    service: permission.split(':')[0],
    operation: permission.split(':')[1],
    permissions: [permission],
    mapping: 'exact',
    outcome,
    error_code: outcome === 'denied' ? 'AccessDenied' : '',
    phase: '',
  };
}

beforeAll(async () => {
  await admin.ensureDatabase(database);
  clickhouse = createClickHouse({ url: clickhouseUrl, database });
  await runMigrations({ client: clickhouse, database });

  await clickhouse.insert('events', [
    event('e1', '2026-03-04 10:00:00', adminRole, 'success', 's3:GetObject'),
    event('e2', '2026-03-04 10:05:00', developer, 'denied', 'iam:CreateUser'),
    event('e3', '2026-03-04 11:30:00', developer, 'success', 's3:ListBucket'),
  ]);
  // e2 delivered a second time, as at-least-once delivery may: a part of its own that
  // ClickHouse has not merged with the first when the panels run.
  await clickhouse.insert('events', [
    event('e2', '2026-03-04 10:05:00', developer, 'denied', 'iam:CreateUser'),
  ]);
  await clickhouse.insert(
    'entitlements',
    [
      ['s3:GetObject', 'iam:PassRole'].map((permission) => ({
        provider: 'aws',
        account_id: '111122223333',
        taken_at_ms: Date.UTC(2026, 2, 4, 9, 0, 0),
        snapshot_time: '2026-03-04 09:00:00',
        principal_id: adminRole,
        principal_type: 'role',
        principal_name: 'platform-admin',
        admin: 1,
        permission,
        resource: '*',
        via: 'arn:aws:iam::aws:policy/AdministratorAccess',
        written_at: '2026-03-04 09:00:01',
      })),
    ].flat(),
  );
  await clickhouse.insert('recommendations', [
    {
      provider: 'aws',
      account_id: '111122223333',
      principal_id: developer,
      principal_type: 'user',
      principal_name: 'dev',
      status: 'active',
      window_start: '2026-02-04 00:00:00',
      window_end: '2026-03-04 12:00:00',
      window_days: 28,
      last_activity: '2026-03-04 11:30:00',
      score: 0.82,
      confidence: 0.9,
      used_count: 1,
      unused_permissions: ['iam:CreateAccessKey', 's3:GetBucketTagging'],
      unused_risks: ['escalation', 'read'],
      recommendation_kind: 'replace-policy',
      written_at: '2026-03-04 12:00:05',
    },
  ]);
  await clickhouse.insert('alerts', [
    {
      alert_id: 'a1',
      dedupe_key: 'k1',
      rule_id: 'denied-burst',
      rule_name: 'Burst of denied calls',
      severity: 'high',
      provider: 'aws',
      account_id: '111122223333',
      principal_id: developer,
      first_seen_ms: Date.UTC(2026, 2, 4, 10, 5, 0),
      last_seen_ms: Date.UTC(2026, 2, 4, 10, 5, 0),
      first_seen: '2026-03-04 10:05:00',
      event_count: 1,
      created_at_ms: Date.UTC(2026, 2, 4, 10, 6, 0),
      schema_version: 1,
    },
  ]);
});

afterAll(async () => {
  await clickhouse?.close();
  await admin.command(`DROP DATABASE IF EXISTS ${database}`);
  await admin.close();
});

const files = loadDashboards();
const queries = targetsOfType(files, CLICKHOUSE_PLUGIN);

describe('ClickHouse dashboard panels', () => {
  it('exist in the dashboards', () => {
    expect(queries.length).toBeGreaterThanOrEqual(10);
  });

  for (const query of queries) {
    it(`returns rows for ${query.where}`, async () => {
      const sql = expandClickHouseMacros(
        interpolateVariables(query.target.rawSql ?? '', query.dashboard),
        range,
      );
      const rows = await clickhouse.query(sql);
      expect(rows.length, sql).toBeGreaterThan(0);
    });
  }

  it('counts a redelivered event once', async () => {
    const query = queries.find((entry) => entry.panel.title === 'Events by account');
    expect(query).toBeDefined();
    const sql = expandClickHouseMacros(
      interpolateVariables(query?.target.rawSql ?? '', query!.dashboard),
      range,
    );
    const rows = await clickhouse.query<{ events: string | number; denied: string | number }>(sql);
    expect(rows.map((row) => [Number(row.events), Number(row.denied)])).toEqual([[3, 1]]);
  });

  it('lists only unused admin grants', async () => {
    const query = queries.find(
      (entry) => entry.panel.title === 'Unused grants of admin principals',
    );
    expect(query).toBeDefined();
    const sql = expandClickHouseMacros(
      interpolateVariables(query?.target.rawSql ?? '', query!.dashboard),
      range,
    );
    const rows = await clickhouse.query<{ permission: string }>(sql);
    expect(rows.map((row) => row.permission)).toEqual(['iam:PassRole']);
  });

  it('lists only high-risk unused permissions', async () => {
    const query = queries.find((entry) => entry.panel.title === 'Unused high-risk permissions');
    const sql = expandClickHouseMacros(
      interpolateVariables(query?.target.rawSql ?? '', query!.dashboard),
      range,
    );
    const rows = await clickhouse.query<{ permission: string; risk: string }>(sql);
    expect(rows).toEqual([
      expect.objectContaining({ permission: 'iam:CreateAccessKey', risk: 'escalation' }),
    ]);
  });
});
