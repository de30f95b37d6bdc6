import { Buffer } from 'node:buffer';
import { DependencyError, RejectedError } from '@ciem/errors';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse } from './client.js';

const database = randomName('ciem_client_test');
const client = createClickHouse({ url: clickhouseUrl });

afterAll(async () => {
  await client.command(`DROP DATABASE IF EXISTS ${database}`);
  await client.close();
});

describe('createClickHouse against the server', () => {
  it('reads the server version', async () => {
    const version = await client.serverVersion();
    expect(version.major).toBeGreaterThanOrEqual(18);
    expect(version.text).toMatch(/^\d+\.\d+/);
  });

  it('answers ping', async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  // ClickHouse 25.8 stopped quoting 64-bit integers in JSON by default, and JSON.parse
  // rounds integers above 2^53, so this value read back as 9007199254740992 there.
  it('returns 64-bit integers as exact strings', async () => {
    const rows = await client.query<{ big: unknown; small: unknown }>(
      'SELECT toUInt64(9007199254740993) AS big, toInt64(-1) AS small',
    );
    expect(rows).toEqual([{ big: '9007199254740993', small: '-1' }]);
  });

  it('rejects a syntax error', async () => {
    const error = await client.query('SELEC 1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).details.clickhouse_code).toBe(62);
  });

  it('rejects an unknown table', async () => {
    const error = await client
      .query(`SELECT 1 FROM ${database}.missing`)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect([60, 81]).toContain((error as RejectedError).details.clickhouse_code);
  });

  it('reports an error raised mid-result', async () => {
    // throwIf fails on the row where x = 5000, after the server produced earlier rows.
    const error = await client
      .query('SELECT throwIf(number = 5000) AS x FROM system.numbers LIMIT 10000', {
        settings: { max_block_size: '100' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).details.clickhouse_code).toBe(395);
  });

  it('creates a missing database for a client bound to it', async () => {
    const bound = createClickHouse({ url: clickhouseUrl, database });
    try {
      await bound.ensureDatabase(database);
      await bound.command('CREATE TABLE IF NOT EXISTS t (a String, n UInt64) ENGINE = Memory');
      await bound.insert('t', [{ a: "it's", n: '18446744073709551615' }], { columns: ['a', 'n'] });
      const rows = await bound.query<{ a: string; n: string }>('SELECT a, n FROM t');
      expect(rows).toEqual([{ a: "it's", n: '18446744073709551615' }]);
    } finally {
      await bound.close();
    }
  });

  it('inserts rows its caller encoded, sending that JSON as it is', async () => {
    await client.command(
      `CREATE TABLE IF NOT EXISTS ${database}.encoded (a String, n UInt32) ENGINE = Memory`,
    );
    const rows = [
      { a: 'quote " and \\ backslash', n: 1 },
      { a: 'line\nbreak \u00e9 \uD83D\uDE00', n: 2 },
    ];
    // The encoded text differs from the rows in `n`, which shows that it is what gets sent.
    const encodedRows = rows.map((row) => JSON.stringify({ ...row, n: row.n * 10 }));
    await client.insert(`${database}.encoded`, rows, { columns: ['a', 'n'], encodedRows });
    const stored = await client.query<{ a: string; n: number }>(
      `SELECT a, n FROM ${database}.encoded ORDER BY n`,
    );
    expect(stored).toEqual([
      { a: rows[0]?.a, n: 10 },
      { a: rows[1]?.a, n: 20 },
    ]);
    await expect(
      client.insert(`${database}.encoded`, rows, { encodedRows: encodedRows.slice(1) }),
    ).rejects.toThrow(/1 encoded rows for 2 rows/);
  });

  it('inserts RowBinary bytes', async () => {
    await client.command(
      `CREATE TABLE IF NOT EXISTS ${database}.binary (a String, n UInt16) ENGINE = Memory`,
    );
    // Per row: the String's byte length and UTF-8 bytes, then the UInt16 little-endian.
    const rowBinary = Buffer.concat([
      Buffer.from([2, 0xc3, 0xa9, 0x07, 0x00]),
      Buffer.from([0, 0xff, 0xff]),
    ]);
    const rows = [{}, {}];
    await client.insert(`${database}.binary`, rows, { columns: ['a', 'n'], rowBinary });
    const stored = await client.query<{ a: string; n: number }>(
      `SELECT a, n FROM ${database}.binary ORDER BY n`,
    );
    expect(stored).toEqual([
      { a: '\u00e9', n: 7 },
      { a: '', n: 65_535 },
    ]);
    await expect(client.insert(`${database}.binary`, rows, { rowBinary })).rejects.toThrow(
      /needs the columns option/,
    );
  });

  it('rejects truncated RowBinary as data', async () => {
    await client.command(
      `CREATE TABLE IF NOT EXISTS ${database}.truncated (a String, n UInt16) ENGINE = Memory`,
    );
    const error = await client
      .insert(`${database}.truncated`, [{}], {
        columns: ['a', 'n'],
        rowBinary: Buffer.from([5, 0x61, 0x62]),
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).details.clickhouse_code).toBe(33);
  });

  it('rejects data of the wrong type', async () => {
    await client.command(`CREATE TABLE IF NOT EXISTS ${database}.typed (n UInt32) ENGINE = Memory`);
    const error = await client
      .insert(`${database}.typed`, [{ n: 'not a number' }], { columns: ['n'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RejectedError);
  });

  it('retries a refused connection', async () => {
    // Port 1 on loopback has no listener, so the connection is refused.
    const nowhere = createClickHouse({ url: 'http://127.0.0.1:1', requestTimeoutMs: 2_000 });
    try {
      const error = await nowhere.query('SELECT 1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DependencyError);
      await expect(nowhere.ping()).rejects.toBeInstanceOf(DependencyError);
    } finally {
      await nowhere.close();
    }
  });
});
