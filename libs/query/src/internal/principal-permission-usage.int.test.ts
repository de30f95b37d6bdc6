import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClickHouse, defaultMigrationsDirectory, runMigrations } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = randomName('principal_usage');
const earlyMigrations = mkdtempSync(path.join(tmpdir(), 'ciem-migrations-'));
let clickhouse: ClickHouse;

/** Builds an `events` row of role/a with the columns the views read; others take defaults. */
function event(id: string, permissions: string[], outcome: string, time: number) {
  return {
    event_id: id,
    provider: 'aws',
    event_time: time,
    event_time_ms: time * 1000,
    ingest_time: time,
    account_id: '111122223333',
    principal_id: 'role/a',
    permissions,
    resources: ['arn:aws:s3:::one', 'arn:aws:s3:::two'],
    outcome,
    phase: '',
  };
}

const COLUMNS = Object.keys(event('', [], '', 0));
const T0 = Date.UTC(2026, 10, 2, 8) / 1000;

async function usage() {
  return clickhouse.query<{
    permission: string;
    outcome: string;
    events: string;
    first: number;
    last: number;
  }>(
    `SELECT permission, outcome, uniqMerge(unique_events) AS events,
       toUnixTimestamp(minMerge(first_seen)) AS first, toUnixTimestamp(maxMerge(last_seen)) AS last
     FROM ${database}.principal_permission_usage
     WHERE principal_id = 'role/a'
     GROUP BY permission, outcome ORDER BY permission, outcome`,
  );
}

beforeAll(async () => {
  for (const file of readdirSync(defaultMigrationsDirectory)) {
    if (/^000[1-8]_.*\.sql$/.test(file)) {
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

describe('principal_permission_usage migration', () => {
  it('backfills from permission_usage', async () => {
    await clickhouse.insert(
      `${database}.events`,
      [
        event('e1', ['s3:GetObject'], 'success', T0),
        event('e2', ['s3:GetObject'], 'success', T0 + 60),
        event('e3', ['s3:GetObject'], 'denied', T0 + 120),
      ],
      { columns: COLUMNS },
    );
    await runMigrations({ client: clickhouse, database });

    // Two resources per event still count each event once.
    expect(await usage()).toEqual([
      {
        permission: 's3:GetObject',
        outcome: 'denied',
        events: '1',
        first: T0 + 120,
        last: T0 + 120,
      },
      { permission: 's3:GetObject', outcome: 'success', events: '2', first: T0, last: T0 + 60 },
    ]);
  });

  it('counts later events through the view', async () => {
    await clickhouse.insert(
      `${database}.events`,
      [
        event('e4', ['s3:GetObject'], 'success', T0 + 3600),
        // A redelivered event counts once.
        event('e1', ['s3:GetObject'], 'success', T0),
      ],
      { columns: COLUMNS },
    );
    expect(await usage()).toEqual([
      {
        permission: 's3:GetObject',
        outcome: 'denied',
        events: '1',
        first: T0 + 120,
        last: T0 + 120,
      },
      { permission: 's3:GetObject', outcome: 'success', events: '3', first: T0, last: T0 + 3600 },
    ]);
  });
});
