import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClickHouse, defaultMigrationsDirectory, runMigrations } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = randomName('principal_activity');
const earlyMigrations = mkdtempSync(path.join(tmpdir(), 'ciem-migrations-'));
let clickhouse: ClickHouse;

/** An `events` row with the columns the views read; the others take their defaults. */
function event(
  id: string,
  principal: string,
  permissions: string[],
  outcome: string,
  time: number,
) {
  return {
    event_id: id,
    provider: 'aws',
    event_time: time,
    event_time_ms: time * 1000,
    ingest_time: time,
    account_id: '111122223333',
    principal_id: principal,
    permissions,
    outcome,
    phase: '',
  };
}

const COLUMNS = Object.keys(event('', '', [], '', 0));
const T0 = Date.UTC(2026, 10, 2, 8) / 1000;

async function activity() {
  return clickhouse.query<{ principal_id: string; uses: string; used: string; last: number }>(
    `SELECT principal_id, countMerge(permission_uses) AS uses,
       uniqExactIfMerge(used_permissions) AS used, toUnixTimestamp(maxMerge(last_seen)) AS last
     FROM ${database}.principal_activity GROUP BY principal_id ORDER BY principal_id`,
  );
}

beforeAll(async () => {
  for (const file of readdirSync(defaultMigrationsDirectory)) {
    if (/^000[1-7]_.*\.sql$/.test(file)) {
      cpSync(path.join(defaultMigrationsDirectory, file), path.join(earlyMigrations, file));
    }
  }
  clickhouse = createClickHouse({ url: clickhouseUrl, database });
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database, directory: earlyMigrations });
});

afterAll(async () => {
  await clickhouse?.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse?.close();
  rmSync(earlyMigrations, { recursive: true, force: true });
});

describe('principal_activity migration', () => {
  it('backfills events stored before it', async () => {
    await clickhouse.insert(
      `${database}.events`,
      [
        event('e1', 'role/a', ['s3:GetObject', 's3:PutObject'], 'success', T0),
        event('e2', 'role/a', ['iam:CreateUser'], 'denied', T0 + 60),
        event('e3', 'role/b', [], 'success', T0 + 120),
      ],
      { columns: COLUMNS },
    );
    await runMigrations({ client: clickhouse, database });

    // role/a: three permission uses, two distinct successful permissions, last at T0 + 60.
    // role/b's event has no permission, so it adds nothing.
    expect(await activity()).toEqual([
      { principal_id: 'role/a', uses: '3', used: '2', last: T0 + 60 },
    ]);
  });

  it('counts later events through the view', async () => {
    await clickhouse.insert(
      `${database}.events`,
      [event('e4', 'role/a', ['s3:ListBucket'], 'success', T0 + 3600)],
      { columns: COLUMNS },
    );
    expect(await activity()).toEqual([
      { principal_id: 'role/a', uses: '4', used: '3', last: T0 + 3600 },
    ]);
  });
});
