import { InputError, describeValue } from '@ciem/errors';
import { ClickHouseErrorCodes } from './errors.js';

/**
 * SQL literals for servers without query parameters (ClickHouse before 19.11.3, including
 * the 18.16 that CI runs). These functions are the only way a value from a user or an event
 * may reach SQL text; identifiers come from allow-lists in code.
 *
 * String literals are built from the UTF-8 bytes of the value: `\` becomes `\\`, `'` becomes
 * `\'`, printable ASCII (0x20 to 0x7E) stays as it is, and every other byte becomes `\xHH`.
 * The literal is therefore pure ASCII. ClickHouse 18.16 and later decode exactly these three
 * escapes the same way, so NUL, newlines and invalid UTF-8 round-trip byte for byte.
 *
 * A JavaScript string with a lone surrogate (half of a UTF-16 pair) has no UTF-8 form:
 * `Buffer.from` would silently turn it into U+FFFD, so `quoteString` rejects it with an
 * `InputError` instead. Pass a `Buffer` to write arbitrary bytes.
 */

const BYTE_ESCAPES: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  if (byte === 0x5c) return '\\\\';
  if (byte === 0x27) return "\\'";
  if (byte >= 0x20 && byte <= 0x7e) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

// In a `u` regular expression a surrogate pair is one code point above U+FFFF, so this class
// matches only unpaired surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

// `String.prototype.isWellFormed` exists in Node 20 (checked on 20.20), but the ES2023
// library this code targets does not declare it. It is false exactly when a string has a
// lone surrogate, and it runs in native code, unlike the regular expression.
const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean })
  .isWellFormed;

/** Characters with a meaning in LIKE patterns: the escape character and both wildcards. */
const LIKE_SPECIAL = /[\\%_]/g;

/** Largest value of a ClickHouse `DateTime`, an unsigned 32-bit count of seconds. */
const MAX_DATETIME_SECONDS = 4_294_967_295;

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Returns true when a string contains a UTF-16 surrogate that is not part of a pair. */
export function hasLoneSurrogate(value: string): boolean {
  return !isWellFormed.call(value);
}

/**
 * Quotes a string or raw bytes as a ClickHouse string literal, such as `'it\'s'`. The
 * literal takes one to four bytes per input byte and counts against the server's
 * `max_query_size` (262 144 bytes by default), so bulk data belongs in an INSERT body.
 * Throws `InputError` `CIEM_CLICKHOUSE_INVALID_LITERAL` for a string with a lone surrogate
 * or a value that is neither a string nor bytes.
 */
export function quoteString(value: string | Uint8Array): string {
  let bytes: Uint8Array;
  if (typeof value === 'string') {
    if (hasLoneSurrogate(value)) {
      const index = value.search(LONE_SURROGATE);
      throw new InputError(
        ClickHouseErrorCodes.invalidLiteral,
        `cannot quote a string with a lone UTF-16 surrogate at index ${index}: ${describeValue(value)}; it has no UTF-8 form, so repair the text (String.prototype.toWellFormed) or pass the bytes as a Buffer`,
        { details: { index } },
      );
    }
    bytes = Buffer.from(value, 'utf8');
  } else if (value instanceof Uint8Array) {
    bytes = value;
  } else {
    throw new InputError(
      ClickHouseErrorCodes.invalidLiteral,
      `quoteString expects a string or a Buffer, received ${describeValue(value)} (${typeof value})`,
    );
  }

  const parts = new Array<string>(bytes.length + 2);
  parts[0] = "'";
  for (let i = 0; i < bytes.length; i += 1)
    parts[i + 1] = BYTE_ESCAPES[bytes[i] as number] as string;
  parts[bytes.length + 1] = "'";
  return parts.join('');
}

/**
 * Quotes a value for the right-hand side of `LIKE`: escapes `\`, `%` and `_` at the pattern
 * level, adds the wildcards that `match` selects, then quotes the result with
 * `quoteString`. `exact` matches the whole value, `prefix` values that start with it,
 * `suffix` values that end with it and `contains` values that contain it.
 */
export function quoteLikePattern(
  value: string,
  match: 'exact' | 'prefix' | 'suffix' | 'contains' = 'exact',
): string {
  if (typeof value !== 'string') {
    throw new InputError(
      ClickHouseErrorCodes.invalidLiteral,
      `quoteLikePattern expects a string, received ${describeValue(value)} (${typeof value})`,
    );
  }
  const escaped = value.replace(LIKE_SPECIAL, (character) => `\\${character}`);
  const start = match === 'suffix' || match === 'contains' ? '%' : '';
  const end = match === 'prefix' || match === 'contains' ? '%' : '';
  return quoteString(`${start}${escaped}${end}`);
}

/**
 * Writes a number or bigint as a decimal literal. Numbers must be finite; with
 * `{ integer: true }` they must also be safe integers (use a bigint for larger UInt64 or
 * Int64 values). Booleans become `1` or `0`. Throws `InputError`
 * `CIEM_CLICKHOUSE_INVALID_LITERAL` otherwise.
 */
export function quoteNumber(
  value: number | bigint | boolean,
  options: { integer?: boolean } = {},
): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString(10);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(
      ClickHouseErrorCodes.invalidLiteral,
      `expected a finite number, received ${describeValue(value)} (${typeof value})`,
    );
  }
  if (options.integer === true && !Number.isSafeInteger(value)) {
    throw new InputError(
      ClickHouseErrorCodes.invalidLiteral,
      `expected a safe integer, received ${describeValue(value)}; pass a bigint for 64-bit values`,
    );
  }
  // -0 prints as "0"; large and small magnitudes print in exponent form (1e+21), which
  // ClickHouse reads as a Float64 literal.
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * Writes epoch milliseconds as `toDateTime(<seconds>, 'UTC')`, dropping the milliseconds
 * because `DateTime` has whole seconds. Throws `InputError` `CIEM_CLICKHOUSE_INVALID_LITERAL`
 * for values outside the `DateTime` range (1970-01-01 to 2106-02-07).
 */
export function quoteDateTime(epochMs: number): string {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) {
    throw new InputError(
      ClickHouseErrorCodes.invalidLiteral,
      `expected a time in epoch milliseconds, received ${describeValue(epochMs)} (${typeof epochMs})`,
    );
  }
  const seconds = Math.floor(epochMs / 1000);
  if (seconds < 0 || seconds > MAX_DATETIME_SECONDS) {
    throw new InputError(
      ClickHouseErrorCodes.invalidLiteral,
      `time ${epochMs} ms is outside the ClickHouse DateTime range of 0 to ${MAX_DATETIME_SECONDS} seconds after 1970-01-01 UTC`,
    );
  }
  return `toDateTime(${seconds}, 'UTC')`;
}

/**
 * Writes an array literal such as `['a', 'b']` or `[1, 2]` for `has()`, `hasAny()` or
 * `IN`. Every item goes through `quoteString` or `quoteNumber`. An empty array gives `[]`,
 * whose element type ClickHouse cannot infer for every function, so callers should skip the
 * condition instead.
 */
export function quoteArray(
  values: readonly (string | Uint8Array)[] | readonly (number | bigint)[],
): string {
  if (!Array.isArray(values)) {
    throw new InputError(
      ClickHouseErrorCodes.invalidLiteral,
      `quoteArray expects an array, received ${describeValue(values)}`,
    );
  }
  const items = values.map((item: unknown) =>
    typeof item === 'number' || typeof item === 'bigint'
      ? quoteNumber(item)
      : quoteString(item as string | Uint8Array),
  );
  return `[${items.join(', ')}]`;
}

/**
 * Quotes a table, column or database name in backquotes, such as `` `events` ``. The name
 * must be one of `allowed`, a list written in code, so an identifier never comes from
 * input. Throws `InputError` `CIEM_CLICKHOUSE_INVALID_IDENTIFIER` otherwise.
 */
export function quoteIdentifier(name: string, allowed: Iterable<string>): string {
  const allowList = allowed instanceof Set ? (allowed as Set<string>) : new Set(allowed);
  if (typeof name !== 'string' || !allowList.has(name)) {
    throw new InputError(
      ClickHouseErrorCodes.invalidIdentifier,
      `identifier ${describeValue(name)} is not in the allow-list (${describeValue([...allowList], 200)}); identifiers must come from code`,
    );
  }
  return `\`${name.replace(/[\\`]/g, (character) => `\\${character}`)}\``;
}

/**
 * Checks that a name written in code (a database, table or column name) is a plain
 * identifier, `[A-Za-z_][A-Za-z0-9_]*`, and returns it in backquotes. `label` names the
 * option for the error message. Throws `InputError` `CIEM_CLICKHOUSE_INVALID_IDENTIFIER`.
 */
export function quotePlainIdentifier(name: string, label: string): string {
  if (typeof name !== 'string' || !PLAIN_IDENTIFIER.test(name)) {
    throw new InputError(
      ClickHouseErrorCodes.invalidIdentifier,
      `${label} must be a plain identifier matching [A-Za-z_][A-Za-z0-9_]*, received ${describeValue(name)}`,
    );
  }
  return `\`${name}\``;
}

/**
 * Checks a table name written in code, `table` or `database.table`, and returns it quoted,
 * such as `` `ciem`.`events` ``. Throws `InputError` `CIEM_CLICKHOUSE_INVALID_IDENTIFIER`.
 */
export function quoteTableName(name: string, label = 'table name'): string {
  if (typeof name !== 'string') return quotePlainIdentifier(name, label);
  const parts = name.split('.');
  if (parts.length > 2) return quotePlainIdentifier(name, label);
  return parts.map((part) => quotePlainIdentifier(part, label)).join('.');
}
