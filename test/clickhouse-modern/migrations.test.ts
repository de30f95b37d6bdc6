import { readdirSync } from 'node:fs';
import {
  createClickHouse,
  defaultMigrationsDirectory,
  isVersionAtLeast,
  runMigrations,
} from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { clickhouseModernSkipReason, clickhouseModernUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Applies every migration of schemas/clickhouse with the project's runner to an empty
// database on a modern ClickHouse, and checks what the version-gated parts produced there.

const database = randomName('ciem_modern_migrations');
const migrationFiles = readdirSync(defaultMigrationsDirectory)
  .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
  .sort();
let clickhouse: ClickHouse;

if (clickhouseModernUrl === undefined) console.warn(clickhouseModernSkipReason);

describe.skipIf(clickhouseModernUrl === undefined)('migrations on modern ClickHouse', () => {
  beforeAll(async () => {
    clickhouse = createClickHouse({ url: clickhouseModernUrl!, database });
    await clickhouse.ensureDatabase(database);
  });

  afterAll(async () => {
    await clickhouse?.command(`DROP DATABASE IF EXISTS ${database}`);
    await clickhouse?.close();
  });

  it('runs on a 24.x or later server', async () => {
    const version = await clickhouse.serverVersion();
    expect(isVersionAtLeast(version, 24), version.text).toBe(true);
  });

  it('applies every file once', async () => {
    const first = await runMigrations({ client: clickhouse, database });
    expect(first.applied).toEqual(migrationFiles);
    expect(first.alreadyApplied).toEqual([]);

    const second = await runMigrations({ client: clickhouse, database });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(migrationFiles);
  });

  it('records the server version', async () => {
    const version = await clickhouse.serverVersion();
    const rows = await clickhouse.query<{ versions: string[] }>(
      `SELECT groupUniqArray(server_version) AS versions FROM ${database}.schema_migrations`,
    );
    expect(rows).toEqual([{ versions: [version.text] }]);
  });

  it('creates every table and view', async () => {
    const rows = await clickhouse.query<{ name: string; engine: string }>(
      `SELECT name, engine FROM system.tables WHERE database = '${database}' ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: 'alert_ack_history', engine: 'ReplacingMergeTree' },
      { name: 'alert_ack_history_mv', engine: 'MaterializedView' },
      { name: 'alert_acks', engine: 'ReplacingMergeTree' },
      { name: 'alerts', engine: 'ReplacingMergeTree' },
      { name: 'alerts_by_time', engine: 'ReplacingMergeTree' },
      { name: 'alerts_by_time_mv', engine: 'MaterializedView' },
      { name: 'dlq_events', engine: 'ReplacingMergeTree' },
      { name: 'entitlements', engine: 'ReplacingMergeTree' },
      { name: 'events', engine: 'ReplacingMergeTree' },
      { name: 'gcp_permission_support', engine: 'ReplacingMergeTree' },
      { name: 'permission_usage', engine: 'AggregatingMergeTree' },
      { name: 'permission_usage_mv', engine: 'MaterializedView' },
      { name: 'principal_activity', engine: 'AggregatingMergeTree' },
      { name: 'principal_activity_mv', engine: 'MaterializedView' },
      { name: 'principal_permission_usage', engine: 'AggregatingMergeTree' },
      { name: 'principal_permission_usage_mv', engine: 'MaterializedView' },
      { name: 'recommendations', engine: 'ReplacingMergeTree' },
      { name: 'role_catalog', engine: 'ReplacingMergeTree' },
      { name: 'schema_migrations', engine: 'ReplacingMergeTree' },
    ]);
  });

  it('uses LowCardinality from 19.3', async () => {
    const rows = await clickhouse.query<{ name: string; type: string }>(
      `SELECT name, type FROM system.columns
       WHERE database = '${database}' AND table = 'events' AND name IN ('provider', 'principal_id')
       ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: 'principal_id', type: 'String' },
      { name: 'provider', type: 'LowCardinality(String)' },
    ]);
  });

  it('keeps the aggregate state types', async () => {
    // The views insert these states, so a type the server spells otherwise would fail them.
    const rows = await clickhouse.query<{ name: string; type: string }>(
      `SELECT name, type FROM system.columns
       WHERE database = '${database}' AND table = 'principal_activity'
         AND type LIKE 'AggregateFunction%'
       ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: 'last_seen', type: "AggregateFunction(max, DateTime('UTC'))" },
      { name: 'permission_uses', type: 'AggregateFunction(count)' },
      { name: 'used_permissions', type: 'AggregateFunction(uniqExactIf, String, UInt8)' },
    ]);
  });
});
