import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClickHouseErrorCodes } from './errors.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'),
  'utf8',
);

describe('error code docs', () => {
  it('list every code once', () => {
    const documented = [...readme.matchAll(/^\| `(CIEM_CLICKHOUSE_[A-Z_]+)` *\|/gm)].map(
      (match) => match[1],
    );
    expect([...documented].sort()).toEqual(Object.values(ClickHouseErrorCodes).sort());
  });
});
