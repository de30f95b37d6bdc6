/**
 * Readers of a logical field that may sit at several dotted paths, compiled into one
 * function per field with every key spelling written as a literal property name.
 *
 * The Azure normalizer tries up to four paths per field, one for each record shape, and
 * about sixty keys per record, most of them missing. Through the shared readers of
 * read-field.ts each of those reads is a chain of calls whose call sites see every key of
 * every shape, so V8 can inline none of them. A compiled reader has read sites of its own,
 * so a missing key costs one cached lookup. See key-reader.ts for why the source is
 * compiled from text rather than built from closures.
 */

import type { FieldPath, JsonObject, KeySpellings } from './read-field.js';

/** Reads a field from a record, returning what the shared readers would return. */
export type FieldReader<T> = (record: unknown) => T | undefined;

/** Helpers the compiled source calls, the same ones the shared readers use. */
export interface FieldReaderHelpers {
  /** Parses a JSON object held in a string, or returns undefined. */
  parseJsonObject: (text: string) => JsonObject | undefined;
  /** Turns a found value into the field's value, or undefined to try the next path. */
  convert: (value: unknown) => unknown;
}

/**
 * Compiles a reader that walks `paths` in order and returns the first path's value that
 * `helpers.convert` accepts. Each path is read by the rules of `getPath` in read-field.ts.
 * A string met on the way, the record included, is parsed as a JSON object. Only
 * non-array objects have keys. A key is read as spelled, then in lower case, then in
 * PascalCase, and a null or missing value ends that path. A function value is not JSON
 * data, so that key is read again by its own reader, which applies the own-property rules.
 *
 * Returns `fallback` when the process forbids code generation from strings, so reads are
 * slower there but not wrong.
 */
export function compileFieldReader<T>(
  paths: readonly FieldPath[],
  helpers: FieldReaderHelpers,
  fallback: FieldReader<T>,
): FieldReader<T> {
  const keyReaders: KeySpellings[] = [];
  const lines = ['return function readField(record) {', 'let current;', 'let found;'];
  paths.forEach((path, pathIndex) => {
    lines.push(`path${pathIndex}: {`, 'current = record;');
    for (const spellings of path.keys) {
      lines.push(
        "if (typeof current === 'string') current = parseJsonObject(current);",
        "if (typeof current !== 'object' || current === null || Array.isArray(current)) " +
          `break path${pathIndex};`,
        ...keyReads(spellings, keyReaders.length),
        `if (current === undefined || current === null) break path${pathIndex};`,
      );
      keyReaders.push(spellings);
    }
    lines.push('found = convert(current);', 'if (found !== undefined) return found;', '}');
  });
  lines.push('return undefined;', '};');

  let factory: (
    parseJsonObject: FieldReaderHelpers['parseJsonObject'],
    convert: FieldReaderHelpers['convert'],
    keys: readonly KeySpellings[],
  ) => FieldReader<T>;
  try {
    factory = new Function(
      'parseJsonObject',
      'convert',
      'keys',
      lines.join('\n'),
    ) as typeof factory;
  } catch (error) {
    if (error instanceof EvalError) return fallback;
    throw error;
  }
  return factory(helpers.parseJsonObject, helpers.convert, keyReaders);
}

/**
 * Compiles one reader per entry of `table`, each from its paths, with the same helpers.
 * `fallback` reads an entry's paths with the shared readers where code generation from
 * strings is forbidden.
 */
export function compileFieldReaders<K extends string, T>(
  table: Readonly<Record<K, readonly FieldPath[]>>,
  helpers: FieldReaderHelpers,
  fallback: (record: unknown, paths: readonly FieldPath[]) => T | undefined,
): Record<K, FieldReader<T>> {
  const readers = {} as Record<K, FieldReader<T>>;
  for (const name of Object.keys(table) as K[]) {
    const paths = table[name];
    readers[name] = compileFieldReader<T>(paths, helpers, (record) => fallback(record, paths));
  }
  return readers;
}

/**
 * Returns the source that replaces `current` by its value under one key. Spellings are
 * written as JSON string literals, so no key can inject code. A plain read of `__proto__`
 * returns the prototype, so that key is left to the key's own reader.
 */
function keyReads(spellings: KeySpellings, readerIndex: number): string[] {
  const names = [...new Set([spellings.key, spellings.lower, spellings.pascal])];
  const viaReader = `current = keys[${readerIndex}].read(current);`;
  if (names.includes('__proto__')) return [viaReader];
  const object = 'const object = current;';
  const reads = names.map(
    (name, index) =>
      `${index === 0 ? 'let value =' : 'if (value === undefined) value ='} object[${JSON.stringify(name)}];`,
  );
  return [
    '{',
    object,
    ...reads,
    `current = typeof value === 'function' ? keys[${readerIndex}].read(object) : value;`,
    '}',
  ];
}
