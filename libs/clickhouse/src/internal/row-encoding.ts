import { Buffer } from 'node:buffer';
import { InputError, describeValue, messageOf } from '@ciem/errors';
import type { InsertOptions } from './client.js';
import { ClickHouseErrorCodes } from './errors.js';
import { hasLoneSurrogate } from './quote.js';
import type { RowBinaryEncoder } from './row-binary.js';

/**
 * A row in a batch writer, encoded once when it was added and sent as it is: as RowBinary
 * when the writer has column types and every value has a RowBinary form, else as JSON.
 */
export interface EncodedEntry<Row> {
  row: Row;
  json: string | undefined;
  binary: Buffer | undefined;
  /** Bytes the row adds to an INSERT body. */
  bytes: number;
}

/**
 * `JSON.stringify` writes a lone UTF-16 surrogate as an escape such as `\udc00`, and
 * ClickHouse rejects that escape. The test also matches an escaped backslash followed by
 * `ud800` text, which only costs the exact check below.
 */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Returns the JSON of a row, checking that ClickHouse can read it back as sent. */
function encodeRow(row: object): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(row);
  } catch (error) {
    throw new InputError(
      ClickHouseErrorCodes.invalidRow,
      `row cannot be encoded as JSON (${messageOf(error)}); send 64-bit integers as strings and keep rows free of cycles`,
      { cause: error },
    );
  }
  if (json === undefined || !json.startsWith('{')) {
    throw new InputError(
      ClickHouseErrorCodes.invalidRow,
      `a row must be a JSON object, received ${describeValue(row)}`,
    );
  }
  // Walking every value with a replacer costs several times the plain encoding, so only
  // rows whose JSON shows a surrogate escape are walked, to name the field.
  if (SURROGATE_ESCAPE.test(json)) rejectLoneSurrogates(row);
  return json;
}

/** Throws `InputError` naming the first key or string value with a lone surrogate. */
function rejectLoneSurrogates(row: object): void {
  JSON.stringify(row, (key, value: unknown) => {
    if ((typeof value === 'string' && hasLoneSurrogate(value)) || hasLoneSurrogate(key)) {
      throw new InputError(
        ClickHouseErrorCodes.invalidRow,
        `row field ${describeValue(key)} contains a lone UTF-16 surrogate, which ClickHouse rejects in JSON; repair the text (String.prototype.toWellFormed) before writing it`,
        { details: { field: key } },
      );
    }
    return value;
  });
}

/**
 * Encodes a row for the INSERT body. Throws `InputError` `CIEM_CLICKHOUSE_INVALID_ROW` when
 * the row has no RowBinary form and cannot be encoded as JSON either.
 */
export function encodeEntry<Row extends object>(
  row: Row,
  encodeRowBinary: RowBinaryEncoder | undefined,
): EncodedEntry<Row> {
  const binary = encodeRowBinary?.(row);
  if (binary !== undefined) return { row, json: undefined, binary, bytes: binary.length };
  const json = encodeRow(row);
  return { row, json, binary: undefined, bytes: Buffer.byteLength(json, 'utf8') + 1 };
}

/** Returns how many entries from the start share the first entry's format. */
export function sameFormatRunLength(entries: readonly EncodedEntry<unknown>[]): number {
  const binary = entries[0]?.binary !== undefined;
  let count = 0;
  while (count < entries.length && (entries[count]?.binary !== undefined) === binary) count += 1;
  return count;
}

/**
 * Returns the `insert` options that carry the encoded body of entries of one format:
 * `rowBinary` with the rows' bytes one after another, or `encodedRows` with their JSON.
 */
export function encodedBody(
  entries: readonly EncodedEntry<unknown>[],
): Pick<InsertOptions, 'rowBinary' | 'encodedRows'> {
  if (entries[0]?.binary === undefined) {
    return { encodedRows: entries.map((entry) => entry.json as string) };
  }
  return { rowBinary: Buffer.concat(entries.map((entry) => entry.binary as Buffer)) };
}
