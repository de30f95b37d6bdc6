import { InputError, describeValue } from '@ciem/errors';

/** Error codes of the query library. Each is stable and never reused. */
export const QueryErrorCodes = {
  /** The time window is empty, reversed or longer than the maximum span. */
  invalidWindow: 'CIEM_QUERY_INVALID_WINDOW',
  /** A paging cursor was not produced by this API, or belongs to another query. */
  invalidCursor: 'CIEM_QUERY_INVALID_CURSOR',
} as const;

/** Builds the `InputError` of an invalid time window; `field` names the request parameter. */
export function invalidWindowError(field: string, expected: string, received: unknown): InputError {
  return new InputError(
    QueryErrorCodes.invalidWindow,
    `${field}: expected ${expected}, received ${describeValue(received)}`,
  );
}

/** Builds the `InputError` of a cursor that cannot be decoded. */
export function invalidCursorError(received: unknown): InputError {
  return new InputError(
    QueryErrorCodes.invalidCursor,
    `cursor: expected the next_cursor value of a previous page of the same query, received ${describeValue(received, 60)}; start again without a cursor`,
  );
}
