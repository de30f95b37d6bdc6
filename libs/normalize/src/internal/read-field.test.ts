import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getPath,
  getProperty,
  isRedactionMarker,
  readArray,
  readBoolean,
  readObject,
  readString,
  readTime,
} from './read-field.js';

describe('getProperty', () => {
  it('reads lower-cased and PascalCase keys', () => {
    expect(getProperty({ eventname: 'GetObject' }, 'eventName')).toBe('GetObject');
    expect(getProperty({ Level: 'Warning' }, 'level')).toBe('Warning');
    expect(getProperty({ level: 'a', Level: 'b' }, 'level')).toBe('a');
  });

  it('prefers the exact spelling', () => {
    expect(getProperty({ eventName: 'A', eventname: 'B' }, 'eventName')).toBe('A');
  });

  it('keeps null of a present key', () => {
    expect(getProperty({ errorCode: null, errorcode: 'x' }, 'errorCode')).toBeNull();
  });

  it('ignores inherited prototype names', () => {
    expect(getProperty({}, 'constructor')).toBeUndefined();
    expect(getProperty({}, 'toString')).toBeUndefined();
    expect(getProperty({}, '__proto__')).toBeUndefined();
    expect(getProperty({}, 'hasOwnProperty')).toBeUndefined();
  });

  it('reads own prototype names', () => {
    const parsed: unknown = JSON.parse('{"constructor":"c","__proto__":"p","toString":1}');
    expect(getProperty(parsed, 'constructor')).toBe('c');
    expect(getProperty(parsed, '__proto__')).toBe('p');
    expect(getProperty(parsed, 'toString')).toBe(1);
  });

  it('returns undefined for non-objects', () => {
    expect(getProperty(['a'], '0')).toBeUndefined();
    expect(getProperty('text', 'length')).toBeUndefined();
    expect(getProperty(null, 'a')).toBeUndefined();
  });
});

describe('getPath', () => {
  it('parses objects held as JSON strings', () => {
    const record = { properties: '{"statusCode":"Created","nested":{"a":1}}' };
    expect(getPath(record, 'properties.statusCode')).toBe('Created');
    expect(getPath(record, 'properties.nested.a')).toBe(1);
  });

  it('stops at null and missing steps', () => {
    expect(getPath({ a: null }, 'a.b')).toBeNull();
    expect(getPath({ a: {} }, 'a.b.c')).toBeUndefined();
    expect(getPath({ a: 'not json' }, 'a.b')).toBeUndefined();
  });
});

describe('readString', () => {
  it('trims and drops empty values', () => {
    expect(readString({ a: '  x \n' }, 'a')).toBe('x');
    expect(readString({ a: '\u00a0x\u00a0' }, 'a')).toBe('x');
    expect(readString({ a: '   ' }, 'a')).toBeUndefined();
    expect(readString({ a: '' }, 'a')).toBeUndefined();
    expect(readString({ a: 'é' }, 'a')).toBe('é');
  });

  it('drops redaction markers', () => {
    expect(readString({ a: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, 'a')).toBeUndefined();
    expect(readString({ a: ' <redacted> ' }, 'a')).toBeUndefined();
    expect(readString({ a: 'REDACTED' }, 'a')).toBeUndefined();
    expect(readString({ a: 'REDACTEDX' }, 'a')).toBe('REDACTEDX');
    expect(isRedactionMarker('redacted')).toBe(false);
  });

  it('turns numbers and booleans into text', () => {
    expect(readString({ a: 12 }, 'a')).toBe('12');
    expect(readString({ a: false }, 'a')).toBe('false');
    expect(readString({ a: Number.NaN }, 'a')).toBeUndefined();
    expect(readString({ a: {} }, 'a')).toBeUndefined();
  });
});

describe('readBoolean', () => {
  it('reads booleans written as text', () => {
    expect(readBoolean({ a: 'true' }, 'a')).toBe(true);
    expect(readBoolean({ a: ' No ' }, 'a')).toBe(false);
    expect(readBoolean({ a: 'Yes' }, 'a')).toBe(true);
    expect(readBoolean({ a: 1 }, 'a')).toBe(true);
    expect(readBoolean({ a: 0 }, 'a')).toBe(false);
    expect(readBoolean({ a: 2 }, 'a')).toBeUndefined();
    expect(readBoolean({ a: 'maybe' }, 'a')).toBeUndefined();
  });
});

describe('readObject and readArray', () => {
  it('parses JSON text of objects and arrays', () => {
    expect(readObject({ a: '{"b":1}' }, 'a')).toEqual({ b: 1 });
    expect(readObject({ a: '[1]' }, 'a')).toBeUndefined();
    expect(readArray({ a: '[1,2]' }, 'a')).toEqual([1, 2]);
    expect(readArray({ a: 'x' }, 'a')).toEqual(['x']);
    expect(readArray({}, 'a')).toEqual([]);
  });
});

describe('readTime', () => {
  it('reads ISO text and epoch numbers', () => {
    expect(readTime({ t: '2024-05-01T12:00:00Z' }, 't')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(readTime({ t: 1_714_564_800 }, 't')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(readTime({ t: 1_714_564_800_000 }, 't')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(readTime({ t: 'yesterday' }, 't')).toBeUndefined();
  });

  it('rejects epoch numbers beyond the Date range', () => {
    // 1e21 was read as 1e21 ms, which no Date represents and the event schema rejected.
    expect(readTime({ t: 1e21 }, 't')).toBeUndefined();
    expect(readTime({ t: -1e21 }, 't')).toBeUndefined();
    expect(readTime({ t: 8.64e15 }, 't')).toBe(8.64e15);
    expect(readTime({ t: 8.64e15 + 1 }, 't')).toBeUndefined();
  });

  it('reads ISO text as Date.parse does', () => {
    const texts = [
      '2024-05-01T12:00:00.123Z',
      '2024-02-30T00:00:00Z',
      '2024-04-31T10:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01t00:00:00z',
      '0099-01-01T00:00:00Z',
      ' 2024-05-01T12:00:00Z ',
      '2024-05-01T12:00:00.1234567Z',
      '2024-05-01T12:00:00+02:00',
    ];
    for (const text of texts) {
      expect(readTime({ t: text }, 't'), text).toBe(Date.parse(text.trim()));
    }
  });

  it('reads the fractions Azure and GCP write as Date.parse does', () => {
    for (const text of [
      '2024-05-01T12:00:00.1Z',
      '2024-05-01T12:00:00.12Z',
      '2024-05-01T12:00:00.9792776Z',
      '2024-05-01T12:00:00.123456789Z',
      '2024-05-01T12:00:00.1234567890Z',
      '2024-05-01T12:00:00.Z',
    ]) {
      const expected = Date.parse(text);
      expect(readTime({ t: text }, 't'), text).toBe(Number.isNaN(expected) ? undefined : expected);
    }
  });

  it('reads every calendar day like Date.parse', () => {
    // Leap years, a century that is not one, one that is, and the ends of the range.
    for (const year of [1000, 1600, 1900, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.999Z`;
          expect(readTime({ t: text }, 't'), text).toBe(Date.parse(text));
        }
      }
    }
  });

  it('rejects times with letters in a numeric field', () => {
    // These were read as -1 hours, minutes or seconds, a time that Date.parse rejects.
    for (const text of [
      '2024-05-01Tx1:00:00Z',
      '2024-05-01T12:x0:00Z',
      '2024-05-01T12:00:0xZ',
      '2024-05-01T12:00:00.12xZ',
      '2024-05-01T12:00:00.1234x67Z',
    ]) {
      expect(readTime({ t: text }, 't'), text).toBeUndefined();
    }
  });

  it('agrees with Date.parse on text shaped like an ISO time', () => {
    const digit = fc.constantFrom(...'0123456789x-:.TZ ');
    const part = (length: number) =>
      fc.array(digit, { minLength: length, maxLength: length }).map((chars) => chars.join(''));
    const text = fc
      .tuple(
        fc.integer({ min: 1000, max: 2999 }),
        part(2),
        part(2),
        part(2),
        part(2),
        part(2),
        fc.option(fc.array(fc.constantFrom(...'0123456789x'), { maxLength: 10 }), {
          nil: undefined,
        }),
      )
      .map(
        ([year, month, day, hour, minute, second, fraction]) =>
          `${year}-${month}-${day}T${hour}:${minute}:${second}` +
          (fraction === undefined ? '' : `.${fraction.join('')}`) +
          'Z',
      );
    fc.assert(
      fc.property(text, (value) => {
        const expected = Date.parse(value.trim());
        expect(readTime({ t: value }, 't')).toBe(Number.isNaN(expected) ? undefined : expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects out-of-range ISO fields', () => {
    for (const text of [
      '2024-13-01T00:00:00Z',
      '2024-01-32T00:00:00Z',
      '2024-01-01T23:60:00Z',
      '2024-01-01T23:59:60Z',
      '2024-0a-01T00:00:00Z',
      '2024-01-01T00:00:00.12aZ',
    ]) {
      expect(readTime({ t: text }, 't'), text).toBeUndefined();
    }
  });
});
