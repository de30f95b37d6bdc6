import { InputError } from '@ciem/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  quoteArray,
  quoteDateTime,
  quoteIdentifier,
  quoteLikePattern,
  quoteNumber,
  quotePlainIdentifier,
  quoteString,
  quoteTableName,
} from './quote.js';

/**
 * Decodes a literal the way ClickHouse reads the escapes that quoteString emits (`\\`, `\'`,
 * `\xHH`), failing on anything else, so the property below checks the encoding without a
 * server.
 */
function decodeLiteral(literal: string): Buffer {
  expect(literal.startsWith("'")).toBe(true);
  expect(literal.endsWith("'")).toBe(true);
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i += 1) {
    const character = body[i] as string;
    if (character === "'") throw new Error(`unescaped quote at ${i}`);
    if (character !== '\\') {
      bytes.push(character.charCodeAt(0));
      continue;
    }
    const next = body[i + 1];
    if (next === '\\' || next === "'") {
      bytes.push(next.charCodeAt(0));
      i += 1;
    } else if (next === 'x' && /^[0-9A-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      bytes.push(Number.parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      throw new Error(`unexpected escape at ${i}: ${body.slice(i, i + 4)}`);
    }
  }
  return Buffer.from(bytes);
}

describe('quoteString', () => {
  it('escapes quote and backslash', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    expect(quoteString("\\'")).toBe("'\\\\\\''");
  });

  it('keeps printable ASCII unchanged', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
      .join('')
      .replace(/['\\]/g, '');
    expect(quoteString(printable)).toBe(`'${printable}'`);
  });

  it('writes control bytes as hex escapes', () => {
    expect(quoteString('a\nb')).toBe("'a\\x0Ab'");
    expect(quoteString('\0')).toBe("'\\x00'");
    expect(quoteString('\t\r\x7f')).toBe("'\\x09\\x0D\\x7F'");
  });

  it('writes UTF-8 bytes of non-ASCII text', () => {
    // U+00E9 is C3 A9 in UTF-8; U+1F600 is F0 9F 98 80.
    expect(quoteString('é')).toBe("'\\xC3\\xA9'");
    expect(quoteString('😀')).toBe("'\\xF0\\x9F\\x98\\x80'");
  });

  it('neutralizes an injection attempt', () => {
    expect(quoteString("x' OR 1=1 --")).toBe("'x\\' OR 1=1 --'");
    expect(quoteString("'; DROP TABLE t; --")).toBe("'\\'; DROP TABLE t; --'");
  });

  it('quotes raw invalid UTF-8 bytes', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80, 0xed, 0xa0, 0x80]);
    expect(quoteString(bytes)).toBe("'\\xFF\\xFE\\xC3(\\x80\\xED\\xA0\\x80'");
  });

  it('quotes all 256 byte values', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const literal = quoteString(bytes);
    expect(decodeLiteral(literal).equals(bytes)).toBe(true);
    expect(/^[\x20-\x7e]*$/.test(literal)).toBe(true);
  });

  it('quotes the empty string', () => {
    expect(quoteString('')).toBe("''");
  });

  it('rejects a lone high surrogate', () => {
    expect(() => quoteString('a\uD800b')).toThrow(InputError);
    expect(() => quoteString('a\uD800b')).toThrow(/lone UTF-16 surrogate at index 1/);
  });

  it('rejects a lone low surrogate', () => {
    expect(() => quoteString('\uDC00')).toThrow(InputError);
  });

  it('accepts a surrogate pair', () => {
    expect(quoteString('\uD83D\uDE00')).toBe(quoteString('😀'));
  });

  it('rejects values that are not text', () => {
    expect(() => quoteString(42 as unknown as string)).toThrow(InputError);
    expect(() => quoteString(undefined as unknown as string)).toThrow(InputError);
  });

  it('round-trips arbitrary strings as bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (value) => {
        const literal = quoteString(value);
        expect(/^[\x20-\x7e]*$/.test(literal)).toBe(true);
        expect(decodeLiteral(literal).equals(Buffer.from(value, 'utf8'))).toBe(true);
      }),
    );
  });

  it('round-trips arbitrary byte arrays', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (value) => {
        expect(decodeLiteral(quoteString(value)).equals(Buffer.from(value))).toBe(true);
      }),
    );
  });

  it('quotes a 100k character string', () => {
    const value = "a'\\\n".repeat(25_000);
    const literal = quoteString(value);
    expect(decodeLiteral(literal).toString('utf8')).toBe(value);
  });
});

describe('quoteLikePattern', () => {
  it('escapes wildcards and backslash', () => {
    // Pattern level: 50\%\_off\\ ; string literal level doubles each backslash.
    expect(quoteLikePattern('50%_off\\')).toBe("'50\\\\%\\\\_off\\\\\\\\'");
  });

  it('adds wildcards for each match mode', () => {
    expect(quoteLikePattern('ab', 'prefix')).toBe("'ab%'");
    expect(quoteLikePattern('ab', 'suffix')).toBe("'%ab'");
    expect(quoteLikePattern('ab', 'contains')).toBe("'%ab%'");
    expect(quoteLikePattern('ab')).toBe("'ab'");
  });

  it('rejects a value that is not a string', () => {
    expect(() => quoteLikePattern(1 as unknown as string)).toThrow(InputError);
  });
});

describe('quoteNumber', () => {
  it('prints finite numbers in decimal', () => {
    expect(quoteNumber(42)).toBe('42');
    expect(quoteNumber(-1.5)).toBe('-1.5');
    expect(quoteNumber(-0)).toBe('0');
  });

  it('prints bigints and booleans', () => {
    expect(quoteNumber(18446744073709551615n)).toBe('18446744073709551615');
    expect(quoteNumber(true)).toBe('1');
    expect(quoteNumber(false)).toBe('0');
  });

  it('rejects NaN, infinity and strings', () => {
    expect(() => quoteNumber(Number.NaN)).toThrow(InputError);
    expect(() => quoteNumber(Number.POSITIVE_INFINITY)).toThrow(InputError);
    expect(() => quoteNumber('1; DROP' as unknown as number)).toThrow(InputError);
  });

  it('rejects unsafe integers when asked', () => {
    expect(() => quoteNumber(1.5, { integer: true })).toThrow(InputError);
    expect(() => quoteNumber(2 ** 53, { integer: true })).toThrow(/bigint/);
    expect(quoteNumber(2 ** 53 - 1, { integer: true })).toBe('9007199254740991');
  });
});

describe('quoteDateTime', () => {
  it('writes whole UTC seconds', () => {
    // 2025-03-04T05:06:07.890Z is 1741064767890 ms after the epoch.
    expect(quoteDateTime(Date.UTC(2025, 2, 4, 5, 6, 7, 890))).toBe("toDateTime(1741064767, 'UTC')");
    expect(quoteDateTime(0)).toBe("toDateTime(0, 'UTC')");
  });

  it('rejects times outside the DateTime range', () => {
    expect(() => quoteDateTime(-1)).toThrow(InputError);
    expect(() => quoteDateTime(4_294_967_296_000)).toThrow(InputError);
    expect(() => quoteDateTime(Number.NaN)).toThrow(InputError);
  });
});

describe('quoteArray', () => {
  it('quotes string and number items', () => {
    expect(quoteArray(["a'b", 'c'])).toBe("['a\\'b', 'c']");
    expect(quoteArray([1, 2n])).toBe('[1, 2]');
    expect(quoteArray([])).toBe('[]');
  });

  it('rejects a non-array value', () => {
    expect(() => quoteArray('abc' as unknown as string[])).toThrow(InputError);
  });
});

describe('quoteIdentifier', () => {
  const allowed = ['event_time', 'principal_id'];

  it('quotes an allowed name', () => {
    expect(quoteIdentifier('event_time', allowed)).toBe('`event_time`');
    expect(quoteIdentifier('a`b', new Set(['a`b']))).toBe('`a\\`b`');
  });

  it('rejects a name outside the list', () => {
    expect(() => quoteIdentifier('password', allowed)).toThrow(InputError);
    expect(() => quoteIdentifier('event_time`; DROP', allowed)).toThrow(/allow-list/);
  });
});

describe('quoteTableName', () => {
  it('quotes plain and qualified names', () => {
    expect(quoteTableName('events')).toBe('`events`');
    expect(quoteTableName('ciem.events')).toBe('`ciem`.`events`');
    expect(quotePlainIdentifier('_x1', 'name')).toBe('`_x1`');
  });

  it('rejects names that are not plain', () => {
    expect(() => quoteTableName('a.b.c')).toThrow(InputError);
    expect(() => quoteTableName('events; DROP')).toThrow(InputError);
    expect(() => quoteTableName('')).toThrow(InputError);
    expect(() => quoteTableName('1abc')).toThrow(InputError);
  });
});
