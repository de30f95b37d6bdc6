import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@ciem/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderMigration } from './migration-template.js';
import { checksumOf, defaultMigrationsDirectory, loadMigrations } from './migrations.js';
import { parseServerVersion } from './server-version.js';

describe('loadMigrations', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'ciem-migrations-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('orders files by version', async () => {
    await writeFile(path.join(directory, '0002_second.sql'), 'SELECT 2 FROM {{database}}.t;');
    await writeFile(path.join(directory, '0001_first.sql'), 'SELECT 1 FROM {{database}}.t;');
    await writeFile(path.join(directory, 'README.md'), '# notes');
    const migrations = await loadMigrations(directory);
    expect(migrations.map((migration) => [migration.version, migration.name])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
  });

  it('rejects a badly named file', async () => {
    await writeFile(path.join(directory, '1_first.sql'), 'SELECT 1');
    await expect(loadMigrations(directory)).rejects.toThrow(/must be named NNNN_name.sql/);
  });

  it('rejects a repeated version', async () => {
    await writeFile(path.join(directory, '0001_a.sql'), 'SELECT 1');
    await writeFile(path.join(directory, '0001_b.sql'), 'SELECT 1');
    await expect(loadMigrations(directory)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('checksumOf', () => {
  it('ignores CRLF line ends', () => {
    expect(checksumOf('a\r\nb\r\n')).toBe(checksumOf('a\nb\n'));
  });

  it('is the SHA-256 of the text', () => {
    // SHA-256 of the empty input, from FIPS 180-4 test vectors.
    expect(checksumOf('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('project migrations', () => {
  for (const versionText of ['18.16.1', '24.8.4.13']) {
    it(`render for server ${versionText}`, async () => {
      const migrations = await loadMigrations(defaultMigrationsDirectory);
      expect(migrations.length).toBeGreaterThan(0);
      const serverVersion = parseServerVersion(versionText);
      let lowCardinalityColumns = 0;
      for (const migration of migrations) {
        const statements = renderMigration(migration.text, {
          database: 'ciem',
          serverVersion,
          fileName: migration.fileName,
        });
        expect(statements.length).toBeGreaterThan(0);
        for (const statement of statements) {
          expect(statement).not.toMatch(/\{\{|\}\}/);
          lowCardinalityColumns += statement.split('LowCardinality(').length - 1;
        }
      }
      // LowCardinality needs no setting from 19.3 on; older servers get plain types.
      if (serverVersion.major >= 20) expect(lowCardinalityColumns).toBeGreaterThan(0);
      else expect(lowCardinalityColumns).toBe(0);
    });
  }
});
