import { clickhouseModernSkipReason, clickhouseModernUrl } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLICKHOUSE_PLUGIN,
  expandClickHouseMacros,
  interpolateVariables,
  loadDashboards,
  targetsOfType,
} from '../observability/grafana.js';
import type { FixtureStore } from './store-fixture.js';
import { DAY, createFixtureStore } from './store-fixture.js';

// Runs every ClickHouse panel query of deploy/grafana/dashboards against a modern ClickHouse,
// with the plugin's macros and the dashboard variables expanded as Grafana does, over the
// rows of store-fixture.ts. The expected rows are worked out by hand from those rows, with
// 10-minute buckets over 2026-03-04.

const range = { ...DAY, intervalSeconds: 600 };
const queries = targetsOfType(loadDashboards(), CLICKHOUSE_PLUGIN);
let store: FixtureStore;

if (clickhouseModernUrl === undefined) console.warn(clickhouseModernSkipReason);

/** Runs the query of the panel with this title, as Grafana sends it. */
async function panelRows(title: string): Promise<Record<string, unknown>[]> {
  const query = queries.find((entry) => entry.panel.title === title);
  if (query === undefined) throw new Error(`no ClickHouse panel titled ${title}`);
  const sql = expandClickHouseMacros(
    interpolateVariables(query.target.rawSql ?? '', query.dashboard),
    range,
  );
  return store.clickhouse.query(sql);
}

/** The panel titles that this suite checks, so a new panel fails until it is covered. */
const CHECKED_PANELS = [
  'Events by provider',
  'Events by outcome',
  'Events by account',
  'Denied calls by provider',
  'Top denied principals and operations',
  'Top principals by score',
  'Unused high-risk permissions',
  'Unused grants of admin principals',
  'Alerts by severity',
  'Alerts by rule',
];

describe.skipIf(clickhouseModernUrl === undefined)('dashboard panels on modern ClickHouse', () => {
  beforeAll(async () => {
    store = await createFixtureStore(clickhouseModernUrl!);
  });

  afterAll(async () => {
    await store?.close();
  });

  it('covers every ClickHouse panel', () => {
    expect(queries.map((query) => query.panel.title).sort()).toEqual([...CHECKED_PANELS].sort());
  });

  it('counts events by provider', async () => {
    // a1 and a2 fall into 10:00, z1 and z2 into 10:20. a0 is on the day before.
    expect(await panelRows('Events by provider')).toEqual([
      { time: '2026-03-04 10:00:00', provider: 'aws', events: '2' },
      { time: '2026-03-04 10:20:00', provider: 'azure', events: '2' },
      { time: '2026-03-04 11:30:00', provider: 'aws', events: '1' },
      { time: '2026-03-04 12:00:00', provider: 'aws', events: '1' },
      { time: '2026-03-04 23:50:00', provider: 'gcp', events: '1' },
    ]);
  });

  it('counts events by outcome', async () => {
    expect(await panelRows('Events by outcome')).toEqual([
      { time: '2026-03-04 10:00:00', outcome: 'denied', events: '1' },
      { time: '2026-03-04 10:00:00', outcome: 'success', events: '1' },
      { time: '2026-03-04 10:20:00', outcome: 'success', events: '2' },
      { time: '2026-03-04 11:30:00', outcome: 'success', events: '1' },
      { time: '2026-03-04 12:00:00', outcome: 'success', events: '1' },
      { time: '2026-03-04 23:50:00', outcome: 'failed', events: '1' },
    ]);
  });

  it('counts events by account', async () => {
    expect(await panelRows('Events by account')).toEqual([
      {
        provider: 'aws',
        account_id: '111122223333',
        events: '4',
        denied: '1',
        failed: '0',
        principals: '2',
        last_event: '2026-03-04 12:00:00',
      },
      {
        provider: 'azure',
        account_id: '00000000-0000-0000-0000-000000000001',
        events: '2',
        denied: '0',
        failed: '0',
        principals: '1',
        last_event: '2026-03-04 10:21:00',
      },
      {
        provider: 'gcp',
        account_id: 'proj-1',
        events: '1',
        denied: '0',
        failed: '1',
        principals: '1',
        last_event: '2026-03-04 23:59:59',
      },
    ]);
  });

  it('counts denied calls by provider', async () => {
    expect(await panelRows('Denied calls by provider')).toEqual([
      { time: '2026-03-04 10:00:00', provider: 'aws', denied: '1' },
      { time: '2026-03-04 10:20:00', provider: 'azure', denied: '0' },
      { time: '2026-03-04 11:30:00', provider: 'aws', denied: '0' },
      { time: '2026-03-04 12:00:00', provider: 'aws', denied: '0' },
      { time: '2026-03-04 23:50:00', provider: 'gcp', denied: '0' },
    ]);
  });

  it('lists the denied principals', async () => {
    expect(await panelRows('Top denied principals and operations')).toEqual([
      {
        provider: 'aws',
        account_id: '111122223333',
        principal_name: 'dev',
        principal_id: 'arn:aws:iam::111122223333:user/dev',
        service: 'iam',
        operation: 'CreateUser',
        error_code: 'AccessDenied',
        denied: '1',
        last_denied: '2026-03-04 10:05:00',
      },
    ]);
  });

  it('ranks the latest score per principal', async () => {
    // The developer's older result (score 0.95) and the GCP result of March 6th stay out.
    expect(await panelRows('Top principals by score')).toEqual([
      {
        provider: 'aws',
        account_id: '111122223333',
        principal_name: 'dev',
        principal_type: 'user',
        status: 'active',
        score: 0.82,
        confidence: 0.9,
        unused_count: '2',
        recommendation_kind: 'replace-policy',
        window_end: '2026-03-04 12:00:00',
      },
      {
        provider: 'azure',
        account_id: '00000000-0000-0000-0000-000000000001',
        principal_name: 'deployer',
        principal_type: 'service_principal',
        status: 'active',
        score: 0.4,
        confidence: 0.9,
        unused_count: '1',
        recommendation_kind: 'custom-role',
        window_end: '2026-03-04 18:00:00',
      },
    ]);
  });

  it('lists unused high-risk permissions', async () => {
    // s3:GetBucketTagging is a read, and iam:PassRole is only in the older result.
    expect(await panelRows('Unused high-risk permissions')).toEqual([
      {
        provider: 'aws',
        account_id: '111122223333',
        principal_name: 'dev',
        permission: 'iam:CreateAccessKey',
        risk: 'escalation',
      },
      {
        provider: 'azure',
        account_id: '00000000-0000-0000-0000-000000000001',
        principal_name: 'deployer',
        permission: 'Microsoft.Authorization/roleAssignments/write',
        risk: 'permissions-management',
      },
    ]);
  });

  it('lists unused grants of admins', async () => {
    // The admin used s3:GetObject (a1, a4) and s3:PutObject (a4) on the day. The March 1st
    // snapshot's ec2:RunInstances is not in the latest snapshot.
    expect(await panelRows('Unused grants of admin principals')).toEqual([
      {
        provider: 'aws',
        account_id: '111122223333',
        principal_name: 'platform-admin',
        permission: 'iam:PassRole',
        grants: '1',
      },
    ]);
  });

  it('counts alerts by severity', async () => {
    // al1 has two versions but is one alert. al3 is on March 6th.
    expect(await panelRows('Alerts by severity')).toEqual([
      { time: '2026-03-04 10:00:00', severity: 'high', alerts: '1' },
      { time: '2026-03-04 12:00:00', severity: 'critical', alerts: '1' },
    ]);
  });

  it('counts alerts by rule', async () => {
    const rows = await panelRows('Alerts by rule');
    // Both rules have one alert, so the panel's ORDER BY alerts DESC leaves their order open.
    rows.sort((a, b) => String(a.rule_id).localeCompare(String(b.rule_id)));
    expect(rows).toEqual([
      {
        rule_id: 'denied-burst',
        rule_name: 'Burst of denied calls',
        severity: 'high',
        alerts: '1',
        principals: '1',
        last_alert: '2026-03-04 10:05:00',
      },
      {
        rule_id: 'logging-tampering',
        rule_name: 'Logging tampering',
        severity: 'critical',
        alerts: '1',
        principals: '1',
        last_alert: '2026-03-04 12:00:00',
      },
    ]);
  });
});
