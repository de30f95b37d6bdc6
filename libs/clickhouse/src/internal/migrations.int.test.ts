import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@ciem/errors';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse } from './client.js';
import { quoteString } from './quote.js';
import { defaultMigrationsDirectory, loadMigrations, runMigrations } from './migrations.js';

const client = createClickHouse({ url: clickhouseUrl });
const databases: string[] = [];

function newDatabase(): string {
  const name = randomName('ciem_migrations_test');
  databases.push(name);
  return name;
}

async function tablesOf(database: string): Promise<string[]> {
  const rows = await client.query<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = ${quoteString(database)} ORDER BY name`,
  );
  return rows.map((row) => row.name);
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'ciem-migrations-int-'));
});

afterAll(async () => {
  for (const database of databases) await client.command(`DROP DATABASE IF EXISTS ${database}`);
  await client.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('runMigrations against the server', () => {
  it('applies the project migrations once', async () => {
    const database = newDatabase();
    const migrations = await loadMigrations();
    const first = await runMigrations({ client, database });
    expect(first.applied).toEqual(migrations.map((migration) => migration.fileName));
    expect(first.alreadyApplied).toEqual([]);

    const tablesAfterFirst = await tablesOf(database);

    const second = await runMigrations({ client, database });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    // A second run leaves exactly the tables the first one made.
    expect(await tablesOf(database)).toEqual(tablesAfterFirst);
    expect(tablesAfterFirst).toEqual(
      expect.arrayContaining([
        'dlq_events',
        'events',
        'permission_usage',
        'permission_usage_mv',
        'schema_migrations',
      ]),
    );
    const recorded = await client.query<{ version: number; rows: string }>(
      `SELECT version, count() AS rows FROM ${database}.schema_migrations GROUP BY version ORDER BY version`,
    );
    expect(recorded).toEqual(
      migrations.map((migration) => ({ version: migration.version, rows: '1' })),
    );
  });

  it('survives two concurrent runs', async () => {
    const database = newDatabase();
    const reports = await Promise.all([
      runMigrations({ client, database }),
      runMigrations({ client, database }),
    ]);
    for (const report of reports) {
      expect([...report.applied, ...report.alreadyApplied].length).toBeGreaterThan(0);
    }
    expect(await tablesOf(database)).toContain('permission_usage_mv');
    const third = await runMigrations({ client, database });
    expect(third.applied).toEqual([]);
  });

  it('rejects a changed applied migration', async () => {
    const database = newDatabase();
    const directory = path.join(scratch, 'changed');
    await cp(defaultMigrationsDirectory, directory, { recursive: true });
    await runMigrations({ client, database, directory });

    const file = path.join(directory, '0003_dlq_events.sql');
    await writeFile(
      file,
      `-- edited after it was applied\n${(await loadMigrations(directory))[2]?.text}`,
    );
    const error = await runMigrations({ client, database, directory }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CIEM_CLICKHOUSE_MIGRATION_CHANGED');
    expect((error as ConfigError).message).toContain('0003_dlq_events.sql');
  });

  it('creates the database of a client bound to it', async () => {
    // The services bind their client to the database they migrate, which may not exist yet.
    const database = newDatabase();
    const bound = createClickHouse({ url: clickhouseUrl, database });
    try {
      const report = await runMigrations({ client: bound, database });
      expect(report.applied.length).toBeGreaterThan(0);
      expect(await tablesOf(database)).toContain('events');
    } finally {
      await bound.close();
    }
  });

  it('applies a new migration file later', async () => {
    const database = newDatabase();
    const directory = path.join(scratch, 'added');
    await cp(defaultMigrationsDirectory, directory, { recursive: true });
    await runMigrations({ client, database, directory });

    await writeFile(
      path.join(directory, '0999_extra.sql'),
      `CREATE TABLE IF NOT EXISTS {{database}}.extra (a String) ENGINE = MergeTree ORDER BY a;
-- @if version >= 19.1
ALTER TABLE {{database}}.extra ADD COLUMN IF NOT EXISTS b String;
-- @else
ALTER TABLE {{database}}.extra ADD COLUMN b String;
-- @end
`,
    );
    const report = await runMigrations({ client, database, directory });
    expect(report.applied).toEqual(['0999_extra.sql']);
    const columns = await client.query<{ name: string }>(
      `SELECT name FROM system.columns WHERE database = ${quoteString(database)} AND table = 'extra' ORDER BY name`,
    );
    expect(columns.map((column) => column.name)).toEqual(['a', 'b']);
  });
});
