import { invalidCursorError } from './errors.js';

/** The values of a cursor: the sort key of the last row of a page, in sort order. */
export type CursorValues = readonly (string | number)[];

/**
 * Encodes the sort key of a page's last row as an opaque cursor: base64url of a JSON array
 * whose first item names the query, so a cursor of one list is rejected by another.
 */
export function encodeCursor(kind: string, values: CursorValues): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor of `encodeCursor` and checks each value's type against `types`. Throws
 * `InputError` `CIEM_QUERY_INVALID_CURSOR` on any mismatch.
 */
export function decodeCursor(
  kind: string,
  cursor: string,
  types: readonly ('string' | 'number')[],
): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursorError(cursor);
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length + 1 || parsed[0] !== kind) {
    throw invalidCursorError(cursor);
  }
  const values = parsed.slice(1) as unknown[];
  values.forEach((value, index) => {
    const type = types[index];
    if (typeof value !== type) throw invalidCursorError(cursor);
    if (type === 'number' && !Number.isSafeInteger(value)) throw invalidCursorError(cursor);
  });
  return values as (string | number)[];
}
