import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { RowBinaryColumn } from './row-binary.js';
import { createRowBinaryEncoder, isRowBinaryType } from './row-binary.js';

const hex = (bytes: Buffer | undefined): string | undefined => bytes?.toString('hex');

/**
 * Returns, in hex, a String's RowBinary bytes: its UTF-8 length as a LEB128 varint, then the
 * bytes.
 */
function stringBytes(value: string): string {
  const utf8 = Buffer.from(value, 'utf8');
  const length: number[] = [];
  let rest = utf8.length;
  while (rest >= 0x80) {
    length.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  length.push(rest);
  return Buffer.concat([Buffer.from(length), utf8]).toString('hex');
}

function encodeOne(type: RowBinaryColumn['type'], value: unknown): string | undefined {
  return hex(createRowBinaryEncoder([{ name: 'v', type }])({ v: value }));
}

describe('createRowBinaryEncoder', () => {
  it('writes integers little-endian', () => {
    expect(encodeOne('UInt16', 0x1234)).toBe('3412');
    expect(encodeOne('UInt16', 65_535)).toBe('ffff');
    expect(encodeOne('Int8', -1)).toBe('ff');
    expect(encodeOne('Int8', 127)).toBe('7f');
    expect(encodeOne('Int8', -128)).toBe('80');
    expect(encodeOne('DateTime', 0)).toBe('00000000');
    expect(encodeOne('DateTime', 4_294_967_295)).toBe('ffffffff');
    // 1741064767 is 0x67C68A3F and 1741064767123 is 0x195_5F8C_0693.
    expect(encodeOne('DateTime', 1_741_064_767)).toBe('3f8ac667');
    expect(encodeOne('UInt64', 1_741_064_767_123)).toBe('93068c5f95010000');
    expect(encodeOne('UInt64', Number.MAX_SAFE_INTEGER)).toBe('ffffffffffff1f00');
  });

  it('writes strings with their byte length', () => {
    const cases = [
      '',
      'a',
      'x'.repeat(47),
      'x'.repeat(48),
      'x'.repeat(127),
      'x'.repeat(128),
      'x'.repeat(20_000),
      'é',
      'caf\u00e9',
      'ascii then 漢字',
      '\uD83D\uDE00 emoji',
      'e\u0301 combining',
      '\uFFFD replacement',
      'nul \u0000 tab \t newline \n quote " backslash \\ del \u007f',
    ];
    for (const value of cases) expect(encodeOne('String', value)).toBe(stringBytes(value));
  });

  it('writes string arrays with their count', () => {
    expect(encodeOne('Array(String)', [])).toBe('00');
    expect(encodeOne('Array(String)', ['', 'ab'])).toBe(`02${stringBytes('')}${stringBytes('ab')}`);
    const many = Array.from({ length: 130 }, (_, index) => `p${index}`);
    expect(encodeOne('Array(String)', many)).toBe(`8201${many.map(stringBytes).join('')}`);
  });

  it('writes columns in the given order', () => {
    const encode = createRowBinaryEncoder([
      { name: 'b', type: 'Int8' },
      { name: 'a', type: 'String' },
    ]);
    expect(hex(encode({ a: 'x', b: 1 }))).toBe('010178');
  });

  it('returns undefined for values without an exact form', () => {
    const cases: Array<[RowBinaryColumn['type'], unknown]> = [
      ['String', undefined],
      ['String', 5],
      ['String', 'lone \uD800 high'],
      ['String', 'lone \uDC00 low'],
      ['String', 'x'.repeat(60) + '\uDBFF'],
      ['UInt16', 65_536],
      ['UInt16', -1],
      ['UInt16', 1.5],
      ['UInt16', '1'],
      ['Int8', 128],
      ['Int8', -129],
      ['DateTime', -1],
      ['DateTime', 4_294_967_296],
      ['DateTime', '2025-03-04 05:06:07'],
      ['UInt64', 2 ** 53],
      ['UInt64', -1],
      ['UInt64', 10n],
      ['UInt64', Number.NaN],
      ['Array(String)', 'not an array'],
      ['Array(String)', ['ok', 1]],
      ['Array(String)', ['\uD800']],
    ];
    for (const [type, value] of cases) expect(encodeOne(type, value)).toBeUndefined();
  });

  it('keeps earlier rows after a rejected row', () => {
    const encode = createRowBinaryEncoder([
      { name: 'a', type: 'String' },
      { name: 'b', type: 'UInt16' },
    ]);
    const first = encode({ a: 'first', b: 1 });
    expect(encode({ a: 'second', b: -1 })).toBeUndefined();
    const third = encode({ a: 'third', b: 3 });
    expect(hex(first)).toBe(`${stringBytes('first')}0100`);
    expect(hex(third)).toBe(`${stringBytes('third')}0300`);
  });

  it('keeps every row when chunks fill', () => {
    const encode = createRowBinaryEncoder([{ name: 'a', type: 'String' }]);
    const values = [
      ...Array.from({ length: 5_000 }, (_, index) => `row ${index} ${'y'.repeat(index % 300)}`),
      'z'.repeat(600_000),
      'after the large row',
    ];
    const rows = values.map((a) => encode({ a }));
    for (const [index, value] of values.entries()) {
      expect(hex(rows[index])).toBe(stringBytes(value));
    }
  });

  it('knows its column types', () => {
    expect(isRowBinaryType('Array(String)')).toBe(true);
    expect(isRowBinaryType('Float64')).toBe(false);
    expect(isRowBinaryType('toString')).toBe(false);
    expect(isRowBinaryType(undefined)).toBe(false);
  });
});
