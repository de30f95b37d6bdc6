import { ClickHouseError } from '@clickhouse/client';
import { DependencyError, RejectedError, describeValue, messageOf } from '@ciem/errors';

/**
 * Error codes of the ClickHouse adapter. Each is stable and never reused.
 */
export const ClickHouseErrorCodes = {
  /** The server could not be reached, timed out, or reported a transient condition. */
  unavailable: 'CIEM_CLICKHOUSE_UNAVAILABLE',
  /** The server rejected the statement or its data; the same request will fail again. */
  rejected: 'CIEM_CLICKHOUSE_REJECTED',
  /** The server returned a body this adapter could not read. */
  badResponse: 'CIEM_CLICKHOUSE_BAD_RESPONSE',
  /** A value cannot be written as a SQL literal (lone surrogate, NaN, out-of-range time). */
  invalidLiteral: 'CIEM_CLICKHOUSE_INVALID_LITERAL',
  /** An identifier is not in the allow-list or is not a plain name. */
  invalidIdentifier: 'CIEM_CLICKHOUSE_INVALID_IDENTIFIER',
  /** Invalid options passed to a factory of this library. */
  invalidOption: 'CIEM_CLICKHOUSE_INVALID_OPTION',
  /** A migration file has an invalid name, directive or statement. */
  invalidMigration: 'CIEM_CLICKHOUSE_INVALID_MIGRATION',
  /** An applied migration file changed after it was applied. */
  migrationChanged: 'CIEM_CLICKHOUSE_MIGRATION_CHANGED',
  /** A row passed to the batch writer cannot be encoded as JSON for ClickHouse. */
  invalidRow: 'CIEM_CLICKHOUSE_INVALID_ROW',
  /** The batch writer was closed, or stopped before it could write some rows. */
  writerClosed: 'CIEM_CLICKHOUSE_WRITER_CLOSED',
} as const;

/**
 * ClickHouse error codes that describe a transient server condition, so the same request
 * may succeed later. Every other server code means the request itself is wrong.
 * Names from the server's ErrorCodes.cpp.
 */
const RETRIABLE_SERVER_CODES = new Set([
  159, // TIMEOUT_EXCEEDED
  160, // TOO_SLOW
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  373, // SESSION_IS_LOCKED
  425, // SYSTEM_ERROR
  439, // CANNOT_SCHEDULE_TASK
  999, // KEEPER_EXCEPTION
  1000, // POCO_EXCEPTION (socket errors inside the server)
]);

/** Error codes (`code` of Node.js system errors) of a failed or dropped connection. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/**
 * Matches the error text of both server generations:
 * 18.16 `Code: 60, e.displayText() = DB::Exception: <message>, e.what() = DB::Exception`
 * and 19.x+ `Code: 60. DB::Exception: <message>. (UNKNOWN_TABLE) (version …)`.
 */
const SERVER_ERROR_PATTERN = /Code: (\d+)[.,]/;
const SERVER_MESSAGE_PATTERN = /DB::Exception: ([\s\S]*?)(?:, e\.what\(\) = |\. \([A-Z0-9_]+\)|$)/;

/** The parts of a ClickHouse server error text; `undefined` when the text is not one. */
export interface ServerErrorText {
  /** The numeric ClickHouse error code, such as 60 for an unknown table. */
  code: number;
  /** The exception message without the code prefix and the version suffix. */
  message: string;
}

/** Extracts the ClickHouse code and message from a server error text of 18.16 or later. */
export function parseServerError(text: string): ServerErrorText | undefined {
  const codeMatch = SERVER_ERROR_PATTERN.exec(text);
  if (codeMatch === undefined || codeMatch === null) return undefined;
  const messageMatch = SERVER_MESSAGE_PATTERN.exec(text.slice(codeMatch.index));
  const message = (messageMatch?.[1] ?? text.slice(codeMatch.index)).trim();
  return { code: Number(codeMatch[1]), message };
}

/** True for ClickHouse codes of transient conditions (timeouts, memory, too many parts). */
export function isRetriableServerCode(code: number): boolean {
  return RETRIABLE_SERVER_CODES.has(code);
}

/**
 * Reads the code of a `ClickHouseError` of `@clickhouse/client`. The client builds one when
 * the error text ends with a `(TYPE_NAME)`, as from 19.x on, and keeps only the message
 * part as `message`, so the text no longer contains `Code: N`.
 */
function clientServerError(error: unknown): ServerErrorText | undefined {
  if (!(error instanceof ClickHouseError) || !/^\d+$/.test(String(error.code))) return undefined;
  return { code: Number(error.code), message: error.message.trim() };
}

function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * Turns anything `@clickhouse/client` throws into a `DependencyError` (connection failures,
 * timeouts, transient server codes, unreadable responses: retry) or a `RejectedError`
 * (syntax errors, unknown tables, unparsable data: do not retry). `operation` names the call
 * (`query`, `insert into db.events`) for the message. The ClickHouse code, when there is one,
 * goes to `details.clickhouse_code`. A `TypeError`, `RangeError` or `ReferenceError` is a bug,
 * not a server failure, and is returned unchanged so that callers do not retry it.
 */
export function toClickHouseError(error: unknown, operation: string): Error {
  if (error instanceof DependencyError || error instanceof RejectedError) return error;
  if (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError
  ) {
    return error;
  }

  const text = messageOf(error);
  const server = parseServerError(text) ?? clientServerError(error);
  if (server !== undefined) {
    const details = { clickhouse_code: server.code, operation };
    const message = `ClickHouse ${operation} failed with code ${server.code}: ${describeValue(server.message, 500)}`;
    if (isRetriableServerCode(server.code)) {
      return new DependencyError(ClickHouseErrorCodes.unavailable, `${message}; retry later`, {
        cause: error,
        details,
      });
    }
    return new RejectedError(
      ClickHouseErrorCodes.rejected,
      `${message}; fix the statement or the data, because retrying sends the same request`,
      { cause: error, details },
    );
  }

  const systemCode = systemErrorCode(error);
  if (systemCode !== undefined && NETWORK_ERROR_CODES.has(systemCode)) {
    return new DependencyError(
      ClickHouseErrorCodes.unavailable,
      `ClickHouse ${operation} failed: connection error ${systemCode} (${describeValue(text, 200)}); check that the server is running and reachable`,
      { cause: error, details: { operation, system_code: systemCode } },
    );
  }
  if (/timeout/i.test(text) || /socket hang up/i.test(text)) {
    return new DependencyError(
      ClickHouseErrorCodes.unavailable,
      `ClickHouse ${operation} failed: ${describeValue(text, 200)}; the server did not respond in time`,
      { cause: error, details: { operation } },
    );
  }
  // Proxies and load balancers return 502/503/504 with bodies that carry no ClickHouse code,
  // and the client gives no HTTP status, so any other failure counts as a dependency failure.
  return new DependencyError(
    ClickHouseErrorCodes.badResponse,
    `ClickHouse ${operation} failed without a ClickHouse error code: ${describeValue(text, 300)}`,
    { cause: error, details: { operation } },
  );
}
