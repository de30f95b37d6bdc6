import { ConfigError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { renderMigration } from './migration-template.js';
import { parseServerVersion } from './server-version.js';

const old = {
  database: 'ciem',
  serverVersion: parseServerVersion('18.16.1'),
  fileName: '0001_t.sql',
};
const modern = { ...old, serverVersion: parseServerVersion('24.8.4.13') };

const GATED = `CREATE TABLE IF NOT EXISTS {{database}}.t (a String, ts DateTime('UTC'))
ENGINE = MergeTree ORDER BY a
-- @if version >= 19.6
TTL ts + INTERVAL 30 DAY
-- @end
;`;

describe('renderMigration', () => {
  it('replaces the database placeholder', () => {
    const statements = renderMigration('CREATE DATABASE IF NOT EXISTS {{database}};', old);
    expect(statements).toEqual(['CREATE DATABASE IF NOT EXISTS `ciem`']);
  });

  it('drops a gated block on 18.16', () => {
    const [statement] = renderMigration(GATED, old);
    expect(statement).not.toContain('TTL');
    expect(statement).toContain('`ciem`.t');
  });

  it('keeps a gated block on modern servers', () => {
    const [statement] = renderMigration(GATED, modern);
    expect(statement).toContain('TTL ts + INTERVAL 30 DAY');
  });

  it('selects the else branch', () => {
    const text = `-- @if version < 19.1
SELECT 'old' FROM {{database}}.t;
-- @else
SELECT 'new' FROM {{database}}.t;
-- @end`;
    expect(renderMigration(text, old)).toEqual(["SELECT 'old' FROM `ciem`.t"]);
    expect(renderMigration(text, modern)).toEqual(["SELECT 'new' FROM `ciem`.t"]);
  });

  it('maps low_cardinality by version', () => {
    const text = 'CREATE TABLE {{database}}.t (p {{low_cardinality String}}) ENGINE = Log';
    expect(renderMigration(text, old)[0]).toContain('p String)');
    expect(renderMigration(text, modern)[0]).toContain('p LowCardinality(String))');
  });

  it('rejects a statement without the database', () => {
    expect(() => renderMigration('CREATE TABLE t (a String) ENGINE = Log;', old)).toThrow(
      /must name its database/,
    );
  });

  it('rejects an unknown placeholder', () => {
    expect(() => renderMigration('SELECT {{table}} FROM {{database}}.t', old)).toThrow(ConfigError);
  });

  it('rejects unbalanced directives', () => {
    expect(() =>
      renderMigration('-- @if version >= 19.1\nSELECT 1 FROM {{database}}.t', old),
    ).toThrow(/never closed/);
    expect(() => renderMigration('-- @end\n', old)).toThrow(/without an open/);
    expect(() => renderMigration('-- @if version >= 19.1\n-- @if version >= 20.1\n', old)).toThrow(
      /do not nest/,
    );
    expect(() => renderMigration('-- @if version = 19.1\n-- @end\n', old)).toThrow(/0001_t.sql:1/);
  });
});
