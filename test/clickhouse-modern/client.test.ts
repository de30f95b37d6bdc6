import { createClickHouse } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { RejectedError } from '@ciem/errors';
import { clickhouseModernSkipReason, clickhouseModernUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Checks the two client behaviours that differ on a modern server: the typed errors of
// @clickhouse/client, whose message has no `Code: N` (they were retried as failures
// without a code), and 64-bit integers, which 25.8 no longer quotes in JSON by default.

const database = randomName('ciem_modern_client');
let clickhouse: ClickHouse;

if (clickhouseModernUrl === undefined) console.warn(clickhouseModernSkipReason);

describe.skipIf(clickhouseModernUrl === undefined)('client on modern ClickHouse', () => {
  beforeAll(async () => {
    clickhouse = createClickHouse({ url: clickhouseModernUrl!, database });
    await clickhouse.ensureDatabase(database);
    await clickhouse.command('CREATE TABLE t (n UInt64) ENGINE = Memory');
  });

  afterAll(async () => {
    await clickhouse?.command(`DROP DATABASE IF EXISTS ${database}`);
    await clickhouse?.close();
  });

  it('rejects a syntax error', async () => {
    const error = await clickhouse.query('SELEC 1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).details.clickhouse_code).toBe(62);
  });

  it('rejects a row of the wrong type', async () => {
    const error = await clickhouse
      .insert('t', [{ n: 'not a number' }])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).code).toBe('CIEM_CLICKHOUSE_REJECTED');
  });

  it('returns 64-bit integers exactly', async () => {
    await clickhouse.insert('t', [{ n: '18446744073709551615' }]);
    const rows = await clickhouse.query<{ n: unknown; above: unknown }>(
      'SELECT n, toUInt64(9007199254740993) AS above FROM t',
    );
    expect(rows).toEqual([{ n: '18446744073709551615', above: '9007199254740993' }]);
  });
});
