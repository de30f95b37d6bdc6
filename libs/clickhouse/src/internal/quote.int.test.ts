// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl } from '@ciem/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse } from './client.js';
import {
  hasLoneSurrogate,
  quoteArray,
  quoteDateTime,
  quoteLikePattern,
  quoteString,
} from './quote.js';

// Every value goes through quoteString into SQL text, and the server returns hex() of what
// it parsed, which must equal the hex of the value's bytes.
const client = createClickHouse({ url: clickhouseUrl });

afterAll(async () => {
  await client.close();
});

async function serverHex(value: string | Uint8Array): Promise<string> {
  // A literal takes up to four bytes per input byte (\xHH), and the server's default
  // max_query_size of 262 144 bytes would reject the 100k character case.
  const rows = await client.query<{ h: string }>(`SELECT hex(${quoteString(value)}) AS h`, {
    settings: { max_query_size: '4194304' },
  });
  return rows[0]?.h ?? '<no row>';
}

function expectedHex(value: string | Uint8Array): string {
  return Buffer.from(typeof value === 'string' ? Buffer.from(value, 'utf8') : value)
    .toString('hex')
    .toUpperCase();
}

describe('quoteString on the server', () => {
  it('round-trips all 256 byte values', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(await serverHex(bytes)).toBe(expectedHex(bytes));
  });

  it('round-trips fixed hard vectors', async () => {
    const vectors = [
      "x' OR 1=1 --",
      "'; DROP TABLE events; --",
      "'",
      '\\',
      "\\'",
      "\\\\'",
      '\n\r\t\0',
      'mid\0dle',
      '\x07\x08\x0c\x0b\x1b\x7f',
      '👩‍👩‍👧 é 漢字',
      '{p:String} ? $1',
      '50%_off',
      '\\N',
      '\\u0041',
      '\\x4',
    ];
    for (const vector of vectors) expect(await serverHex(vector)).toBe(expectedHex(vector));
  });

  it('round-trips invalid UTF-8 bytes', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80, 0xed, 0xa0, 0x80]);
    expect(await serverHex(bytes)).toBe('FFFEC32880EDA080');
  });

  it('round-trips a 100k character string', async () => {
    const value = "ab'\\\n\0é".repeat(100_000 / 7 + 1).slice(0, 100_000);
    expect(await serverHex(value)).toBe(expectedHex(value));
  });

  it('round-trips arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.string({
            unit: fc.constantFrom("'", '\\', '\n', '\0', 'x', '%', '_', '"', '`'),
            maxLength: 60,
          }),
        ),
        async (value) => {
          expect(await serverHex(value)).toBe(expectedHex(value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (value) => {
        expect(await serverHex(value)).toBe(expectedHex(value));
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips latin1 text as bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 100 }), async (bytes) => {
        // A latin1 string maps each character to one byte, so Buffer.from(…, 'latin1')
        // recovers bytes that may be invalid UTF-8.
        const text = Buffer.from(bytes).toString('latin1');
        const raw = Buffer.from(text, 'latin1');
        expect(await serverHex(raw)).toBe(expectedHex(bytes));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects or round-trips UTF-16 code units', async () => {
    const codeUnits = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: codeUnits, maxLength: 20 }), async (value) => {
        if (hasLoneSurrogate(value))
          expect(() => quoteString(value)).toThrow(/lone UTF-16 surrogate/);
        else expect(await serverHex(value)).toBe(expectedHex(value));
      }),
      { numRuns: 200 },
    );
  });
});

describe('other literals on the server', () => {
  it('matches LIKE patterns literally', async () => {
    const value = '50%_off\\x';
    const rows = await client.query<{
      exact: number;
      other: number;
      contains: number;
      wildcard: number;
    }>(
      `SELECT
         ${quoteString(value)} LIKE ${quoteLikePattern(value)} AS exact,
         ${quoteString('50XYoff\\x')} LIKE ${quoteLikePattern(value)} AS other,
         ${quoteString('big 50%_off\\x sale')} LIKE ${quoteLikePattern(value, 'contains')} AS contains,
         ${quoteString('big 50% off')} LIKE ${quoteLikePattern('%', 'prefix')} AS wildcard`,
    );
    expect(rows[0]).toEqual({ exact: 1, other: 0, contains: 1, wildcard: 0 });
  });

  it('builds arrays for has', async () => {
    const rows = await client.query<{ yes: number; no: number }>(
      `SELECT has(${quoteArray(["a'b", 'c\\d'])}, ${quoteString("a'b")}) AS yes,
              has(${quoteArray(["a'b", 'c\\d'])}, 'ab') AS no`,
    );
    expect(rows[0]).toEqual({ yes: 1, no: 0 });
  });

  it('writes times as UTC seconds', async () => {
    const ms = Date.UTC(2025, 2, 4, 5, 6, 7, 890);
    const rows = await client.query<{ seconds: string; text: string }>(
      `SELECT toUnixTimestamp(${quoteDateTime(ms)}) AS seconds, toString(${quoteDateTime(ms)}) AS text`,
    );
    expect(Number(rows[0]?.seconds)).toBe(1741064767);
    expect(rows[0]?.text).toBe('2025-03-04 05:06:07');
  });
});
