import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFieldReader } from './field-reader.js';
import type { FieldReader } from './field-reader.js';
import {
  fieldPath,
  keyPath,
  objectOf,
  parseJsonObject,
  readObject,
  readString,
  textOf,
} from './read-field.js';
import type { FieldPath } from './read-field.js';

/** Builds the reader that a compiled one replaces: the shared readers, path after path. */
function slowText(paths: readonly FieldPath[]): FieldReader<string> {
  return (record) => {
    for (const path of paths) {
      const value = readString(record, path);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

function slowObject(paths: readonly FieldPath[]): FieldReader<Record<string, unknown>> {
  return (record) => {
    for (const path of paths) {
      const value = readObject(record, path);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

function textReader(...paths: string[]): FieldReader<string> {
  const compiled = paths.map(fieldPath);
  return compileFieldReader(compiled, { parseJsonObject, convert: textOf }, slowText(compiled));
}

describe('compileFieldReader', () => {
  it('returns the first path with a usable value', () => {
    const read = textReader('operationName.value', 'operation_name.value', 'operationName');
    expect(read({ operationName: { value: 'a/write' } })).toBe('a/write');
    expect(read({ operation_name: { value: 'b/write' }, operationName: 'c/write' })).toBe(
      'b/write',
    );
    expect(read({ operationName: 'c/write' })).toBe('c/write');
    expect(read({ operationName: { value: '  ' }, operation_name: { value: 'd' } })).toBe('d');
    expect(read({})).toBeUndefined();
  });

  it('reads each key as spelled, in lower case, then in PascalCase', () => {
    const read = textReader('identity.claims.appid');
    expect(read({ identity: { claims: { appid: 'a' } } })).toBe('a');
    expect(read({ Identity: { Claims: { Appid: 'b' } } })).toBe('b');
    expect(read({ identity: { claims: { appid: 'c', Appid: 'x' } } })).toBe('c');
  });

  it('parses objects held in strings, and converts numbers and booleans', () => {
    const read = textReader('properties.statusCode');
    expect(read({ properties: '{"statusCode":"Created"}' })).toBe('Created');
    expect(read({ properties: { statusCode: 201 } })).toBe('201');
    expect(read({ properties: { statusCode: true } })).toBe('true');
    expect(read({ properties: 'not json' })).toBeUndefined();
  });

  it('ends a path at null, arrays and scalars', () => {
    const read = textReader('a.b', 'c');
    expect(read({ a: null, c: 'c' })).toBe('c');
    expect(read({ a: [{ b: 'x' }], c: 'c' })).toBe('c');
    expect(read({ a: 3, c: 'c' })).toBe('c');
    expect(read(null)).toBeUndefined();
    expect(read('text')).toBeUndefined();
  });

  it('never reads a property of Object.prototype', () => {
    const read = textReader('constructor', 'toString.x', '__proto__', 'fallback');
    expect(read({ fallback: 'f' })).toBe('f');
    expect(read(JSON.parse('{"__proto__":"own","fallback":"f"}'))).toBe('own');
    expect(read({ constructor: 'own' })).toBe('own');
  });

  it('reads keys with dots as one key', () => {
    const name = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
    const read = compileFieldReader([keyPath(name)], { parseJsonObject, convert: textOf }, () =>
      expect.unreachable(),
    );
    expect(read({ [name]: ' 0b1f6471 ' })).toBe('0b1f6471');
    expect(read({ http: { '//schemas': 'x' } })).toBeUndefined();
  });

  it('writes quotes and backslashes in keys as literals', () => {
    const key = 'a"];throw new Error("x");//\\';
    const read = compileFieldReader([keyPath(key)], { parseJsonObject, convert: textOf }, () =>
      expect.unreachable(),
    );
    expect(read({ [key]: 'v' })).toBe('v');
  });

  it('reads as the shared readers do on generated records', () => {
    // Keys from a small alphabet in three spellings, so paths often meet, miss, or meet a
    // string, an array, null or a JSON text on the way.
    const keys = ['a', 'b', 'value', 'A', 'B', 'Value', 'constructor', '__proto__'];
    const leaf = fc.oneof(
      fc.constantFrom('', ' ', 'REDACTED', 'x', ' y ', '{"a":"j","value":"k"}', '[1]'),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 2 }),
        fc.dictionary(fc.constantFrom(...keys), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const pathText = fc
      .array(fc.constantFrom('a', 'b', 'value'), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.array(pathText, { minLength: 1, maxLength: 4 }), tree, (texts, record) => {
        const paths = texts.map(fieldPath);
        const asText = compileFieldReader(paths, { parseJsonObject, convert: textOf }, () =>
          expect.unreachable(),
        );
        const asObject = compileFieldReader(paths, { parseJsonObject, convert: objectOf }, () =>
          expect.unreachable(),
        );
        const parsed = JSON.parse(JSON.stringify(record)) as unknown;
        expect(asText(parsed)).toEqual(slowText(paths)(parsed));
        expect(asObject(parsed)).toEqual(slowObject(paths)(parsed));
      }),
      { numRuns: 2000 },
    );
  });
});
