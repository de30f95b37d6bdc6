import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, describeValue } from '@ciem/errors';
import type { ClickHouse } from './client.js';
import { ClickHouseErrorCodes } from './errors.js';
import type { ClickHouseLogger } from './logger.js';
import { silentLogger } from './logger.js';
import { renderMigration } from './migration-template.js';
import { quotePlainIdentifier } from './quote.js';

/** The folder of the project's migrations, `schemas/clickhouse/` at the repository root. */
export const defaultMigrationsDirectory = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'schemas',
  'clickhouse',
);

/** The table, in the migrated database, that records the applied migrations. */
export const MIGRATIONS_TABLE = 'schema_migrations';

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** One migration file. */
export interface Migration {
  /** The number the file name starts with, such as 1 for `0001_events.sql`. */
  version: number;
  /** The rest of the file name without `.sql`, such as `events`. */
  name: string;
  fileName: string;
  text: string;
  /** SHA-256 of the text with CRLF line ends turned into LF, in hex. */
  checksum: string;
}

/** Outcome of one `runMigrations` call. */
export interface MigrationReport {
  database: string;
  /** The `SELECT version()` text of the server. */
  serverVersion: string;
  /** File names applied by this run, in order. */
  applied: string[];
  /** File names that an earlier run had applied. */
  alreadyApplied: string[];
}

/** Options of `runMigrations`. */
export interface RunMigrationsOptions {
  client: ClickHouse;
  /** The database to migrate; created when missing. A plain identifier. */
  database: string;
  /** Folder of the `NNNN_name.sql` files; `schemas/clickhouse/` by default. */
  directory?: string;
  logger?: ClickHouseLogger;
}

/** Returns the checksum stored for a migration text. */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/**
 * Reads the `NNNN_name.sql` files of a folder, ordered by number. Other files (such as the
 * README) are skipped. Throws `ConfigError` `CIEM_CLICKHOUSE_INVALID_MIGRATION` for a `.sql`
 * file with another name or for two files with the same number.
 */
export async function loadMigrations(directory = defaultMigrationsDirectory): Promise<Migration[]> {
  const entries = await readdir(directory);
  const migrations: Migration[] = [];
  for (const fileName of entries.sort()) {
    if (!fileName.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(fileName);
    if (match === null) {
      throw new ConfigError(
        ClickHouseErrorCodes.invalidMigration,
        `migration file ${describeValue(fileName)} in ${directory} must be named NNNN_name.sql, with four digits and a lower-case name such as 0002_add_columns.sql`,
        { details: { file: fileName } },
      );
    }
    const text = await readFile(path.join(directory, fileName), 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: match[2] as string,
      fileName,
      text,
      checksum: checksumOf(text),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i += 1) {
    const previous = migrations[i - 1] as Migration;
    const current = migrations[i] as Migration;
    if (previous.version === current.version) {
      throw new ConfigError(
        ClickHouseErrorCodes.invalidMigration,
        `migration files ${previous.fileName} and ${current.fileName} in ${directory} share version ${current.version}; renumber one of them`,
        { details: { file: current.fileName } },
      );
    }
  }
  return migrations;
}

interface AppliedRow {
  version: number;
  name: string;
  checksums: string[];
}

/**
 * Applies the migrations that the database has not recorded yet, in order, and records
 * each one in `schema_migrations` after all its statements succeeded. A second run applies
 * nothing. Statements should be idempotent (`CREATE … IF NOT EXISTS`), so a run that stopped
 * half-way, or two runs at once, can repeat them safely. Two runs at once may both record a
 * version; reads group by version, so the extra row does no harm.
 *
 * Throws `ConfigError` `CIEM_CLICKHOUSE_MIGRATION_CHANGED` when a recorded migration's file
 * changed, `ConfigError` `CIEM_CLICKHOUSE_INVALID_MIGRATION` for a malformed file, and
 * `DependencyError` or `RejectedError` when the server fails.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationReport> {
  const { client, database } = options;
  const logger = options.logger ?? silentLogger;
  const directory = options.directory ?? defaultMigrationsDirectory;
  const quotedDatabase = quotePlainIdentifier(database, 'migration database');
  const table = `${quotedDatabase}.${MIGRATIONS_TABLE}`;

  const migrations = await loadMigrations(directory);
  // The database first: a client bound to a missing database fails every other query.
  await client.ensureDatabase(database);
  const version = await client.serverVersion();
  await client.command(
    `CREATE TABLE IF NOT EXISTS ${table} (
      version UInt32,
      name String,
      checksum String,
      applied_at DateTime('UTC'),
      server_version String
    ) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
  );

  const appliedRows = await client.query<AppliedRow>(
    `SELECT version, any(name) AS name, groupUniqArray(checksum) AS checksums FROM ${table} GROUP BY version ORDER BY version`,
  );
  const applied = new Map(appliedRows.map((row) => [Number(row.version), row]));
  const known = new Set(migrations.map((migration) => migration.version));
  for (const row of appliedRows) {
    if (!known.has(Number(row.version))) {
      logger.warn(
        { database, version: Number(row.version), name: row.name, directory },
        'applied migration has no file; the database was migrated by newer code',
      );
    }
  }

  const report: MigrationReport = {
    database,
    serverVersion: version.text,
    applied: [],
    alreadyApplied: [],
  };
  for (const migration of migrations) {
    const record = applied.get(migration.version);
    if (record !== undefined) {
      const changed = record.checksums.some((checksum) => checksum !== migration.checksum);
      if (changed) {
        throw new ConfigError(
          ClickHouseErrorCodes.migrationChanged,
          `migration ${migration.fileName} was applied to database ${database} with checksum ${record.checksums.join(', ')}, but the file now has checksum ${migration.checksum}; restore the applied text and put the change in a new migration file`,
          { details: { file: migration.fileName, version: migration.version } },
        );
      }
      report.alreadyApplied.push(migration.fileName);
      continue;
    }

    const statements = renderMigration(migration.text, {
      database,
      serverVersion: version,
      fileName: migration.fileName,
    });
    for (const statement of statements) await client.command(statement);
    await client.insert(
      `${database}.${MIGRATIONS_TABLE}`,
      [
        {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          applied_at: Math.floor(Date.now() / 1000),
          server_version: version.text,
        },
      ],
      { columns: ['version', 'name', 'checksum', 'applied_at', 'server_version'] },
    );
    logger.info(
      {
        database,
        file: migration.fileName,
        statements: statements.length,
        server_version: version.text,
      },
      'applied ClickHouse migration',
    );
    report.applied.push(migration.fileName);
  }
  return report;
}
