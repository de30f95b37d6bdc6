/**
 * A small wrapper around `@clickhouse/client` that works against ClickHouse 18.16 (CI) and
 * 24.x or later (production) alike:
 * - reads use `JSONEachRow` with `wait_end_of_query=1`, so an error in the middle of a result
 *   becomes a real HTTP error instead of text appended to a 200 response;
 * - 64-bit integers come back as strings on every version
 *   (`output_format_json_quote_64bit_integers=1`);
 * - JSON inserts always send `format: 'JSONEachRow'`, because the client's default,
 *   `JSONCompactEachRow`, does not exist before 20.1;
 * - RowBinary inserts go through `exec()` with `INSERT … FORMAT RowBinary` in the SQL,
 *   because the client's `insert()` rejects RowBinary with 18.16;
 * - no query parameters (they arrived in 19.11.3): values reach SQL through `quoteString`
 *   and its siblings;
 * - every failure becomes a `DependencyError` (retry) or a `RejectedError` (do not), parsed
 *   from the error text because 18.16 sends neither a typed error nor the
 *   `X-ClickHouse-Exception-Code` header.
 * Checked against the Debian clickhouse-server 18.16.1 package with client 1.23.1.
 */
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import type {
  ClickHouseClient,
  ClickHouseSettings,
  Logger as ClientLogger,
} from '@clickhouse/client';
import { ConfigError, DependencyError, InputError, describeValue } from '@ciem/errors';
import { ClickHouseErrorCodes, parseServerError, toClickHouseError } from './errors.js';
import type { ClickHouseLogger } from './logger.js';
import { silentLogger } from './logger.js';
import { quotePlainIdentifier, quoteTableName } from './quote.js';
import type { ServerVersion } from './server-version.js';
import { parseServerVersion } from './server-version.js';

/** Options of `createClickHouse`. */
export interface ClickHouseOptions {
  /** HTTP endpoint, such as `http://127.0.0.1:8123`. */
  url: string;
  username?: string;
  password?: string;
  /** Database for unqualified table names; `default` when omitted. It must exist. */
  database?: string;
  logger?: ClickHouseLogger;
  /** Time after which a request fails with a `DependencyError`, in milliseconds; 30 000 by default. */
  requestTimeoutMs?: number;
  /** Settings sent with every request. Every server version in use must know each one. */
  settings?: ClickHouseSettings;
}

/** Per-request options of `query`, `command` and `insert`. */
export interface RequestOptions {
  /** Settings for this request only, merged over the client's settings. */
  settings?: ClickHouseSettings;
  /** The `query_id`, for `KILL QUERY` and `system.query_log`. */
  queryId?: string;
  abortSignal?: AbortSignal;
}

/** Options of `insert`. */
export interface InsertOptions extends RequestOptions {
  /**
   * Columns the rows carry. ClickHouse fills the other columns with their `DEFAULT`
   * expressions. Without a list, a key missing from a row gets the type's default
   * (`0`, `''`), not the column's `DEFAULT`, on servers before 19.13.
   */
  columns?: readonly string[];
  /**
   * The JSON text of each row, in the order of `rows`, as the caller already encoded it.
   * The INSERT body is then these lines as given, and `rows` are not encoded again. The
   * caller must pass exactly `JSON.stringify` of each row.
   */
  encodedRows?: readonly string[];
  /**
   * The rows encoded as RowBinary, in the order of `rows` and with the values in the order of
   * `columns`, which is then required. The INSERT sends these bytes with `FORMAT RowBinary`
   * instead of JSON, and `rows` are only counted. See `createRowBinaryEncoder`.
   */
  rowBinary?: Uint8Array;
}

/** The ClickHouse connection that the rest of the platform uses. */
export interface ClickHouse {
  /** The database for unqualified names, or `undefined` for the server's `default`. */
  readonly database: string | undefined;
  /**
   * Runs a SELECT (without a FORMAT clause) and returns its rows as objects. UInt64 and
   * Int64 values arrive as strings. Throws `DependencyError` or `RejectedError`.
   */
  query<T = Record<string, unknown>>(sql: string, options?: RequestOptions): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, `INSERT … SELECT`, `OPTIMIZE`). */
  command(sql: string, options?: RequestOptions): Promise<void>;
  /**
   * Inserts rows as `JSONEachRow`, or the bytes of `options.rowBinary` as RowBinary.
   * `table` is `table` or `database.table`, written in code, and it and the columns must be
   * plain identifiers. Does nothing for an empty array.
   */
  insert(table: string, rows: readonly object[], options?: InsertOptions): Promise<void>;
  /** Returns the server version, read once with `SELECT version()` and then cached. */
  serverVersion(): Promise<ServerVersion>;
  /**
   * Creates a database when it is missing. It runs on a short-lived connection without a
   * database, so it works even when this client's own `database` does not exist yet.
   */
  ensureDatabase(name: string): Promise<void>;
  /** Checks `GET /ping`; throws `DependencyError` `CIEM_CLICKHOUSE_UNAVAILABLE` when it fails. */
  ping(): Promise<void>;
  /** Closes the sockets. Requests after `close()` fail. */
  close(): Promise<void>;
}

/** A row's JSON as the caller encoded it, which the client's stringify passes through. */
class EncodedRow {
  constructor(readonly json: string) {}
}

/** Encodes a row for the client: the text of an {@link EncodedRow} as it is, else `JSON.stringify`. */
function stringifyRow(value: unknown): string {
  return value instanceof EncodedRow ? value.json : JSON.stringify(value);
}

/**
 * Returns the `values` of an INSERT: the rows themselves, or, when the caller encoded them
 * already, their JSON texts wrapped so that each row is serialized only once.
 */
function insertValues(
  rows: readonly object[],
  encodedRows: readonly string[] | undefined,
): object[] {
  if (encodedRows === undefined) return rows as object[];
  if (encodedRows.length !== rows.length) {
    throw new InputError(
      ClickHouseErrorCodes.invalidRow,
      `insert received ${encodedRows.length} encoded rows for ${rows.length} rows; pass the JSON of each row, in order`,
    );
  }
  return encodedRows.map((json) => new EncodedRow(json));
}

/** Adapts the client's own log calls to `ClickHouseLogger`, at warn level and above. */
function clientLoggerClass(logger: ClickHouseLogger): new () => ClientLogger {
  return class implements ClientLogger {
    trace(): void {}
    debug(): void {}
    info(): void {}
    warn(params: {
      module: string;
      message: string;
      args?: Record<string, unknown>;
      err?: Error;
    }): void {
      logger.warn({ module: params.module, ...params.args, err: params.err }, params.message);
    }
    error(params: {
      module: string;
      message: string;
      args?: Record<string, unknown>;
      err: Error;
    }): void {
      logger.error({ module: params.module, ...params.args, err: params.err }, params.message);
    }
  };
}

function validateOptions(options: ClickHouseOptions): void {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ConfigError(
      ClickHouseErrorCodes.invalidOption,
      `ClickHouse url must be an http(s) URL such as http://127.0.0.1:8123, received ${describeValue(options.url)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      ClickHouseErrorCodes.invalidOption,
      `ClickHouse url must use http or https, received ${describeValue(options.url)}`,
    );
  }
  if (options.database !== undefined) quotePlainIdentifier(options.database, 'ClickHouse database');
  const timeout = options.requestTimeoutMs;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) {
    throw new ConfigError(
      ClickHouseErrorCodes.invalidOption,
      `requestTimeoutMs must be a positive whole number of milliseconds, received ${describeValue(timeout)}`,
    );
  }
}

/**
 * Parses a `JSONEachRow` body. With `wait_end_of_query=1` a failing query returns HTTP 500;
 * the `Code:` check still catches a server that streamed part of a result before failing.
 */
function parseJsonEachRow<T>(text: string, operation: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    try {
      rows.push(JSON.parse(line) as T);
    } catch (error) {
      if (parseServerError(line) !== undefined) throw toClickHouseError(new Error(line), operation);
      throw new DependencyError(
        ClickHouseErrorCodes.badResponse,
        `ClickHouse ${operation} returned a line that is not JSON: ${describeValue(line)}`,
        { cause: error, details: { operation } },
      );
    }
  }
  return rows;
}

/** Connects to ClickHouse over HTTP. Throws `ConfigError` for an invalid URL or database name. */
export function createClickHouse(options: ClickHouseOptions): ClickHouse {
  validateOptions(options);
  const logger = options.logger ?? silentLogger;

  const makeClient = (database: string | undefined): ClickHouseClient =>
    createClient({
      url: options.url,
      username: options.username ?? 'default',
      password: options.password ?? '',
      ...(database === undefined ? {} : { database }),
      request_timeout: options.requestTimeoutMs ?? 30_000,
      // Response compression would send `enable_http_compression=1`, which `readonly=1`
      // users may not set.
      compression: { request: false, response: false },
      // ClickHouse 25.8 changed the default of output_format_json_quote_64bit_integers to 0,
      // and JSON.parse rounds integers above 2^53. Quoting keeps 64-bit values exact and
      // returns them as strings from every version. 18.16 accepts the setting too.
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1, ...options.settings },
      log: { LoggerClass: clientLoggerClass(logger) },
      json: { parse: JSON.parse, stringify: stringifyRow },
    });

  const client = makeClient(options.database);
  let cachedVersion: Promise<ServerVersion> | undefined;

  const requestParams = (
    requestOptions: RequestOptions | undefined,
    extra: ClickHouseSettings = {},
  ) => ({
    clickhouse_settings: { ...requestOptions?.settings, ...extra },
    ...(requestOptions?.queryId === undefined ? {} : { query_id: requestOptions.queryId }),
    ...(requestOptions?.abortSignal === undefined
      ? {}
      : { abort_signal: requestOptions.abortSignal }),
  });

  const query = async <T>(sql: string, requestOptions?: RequestOptions): Promise<T[]> => {
    let text: string;
    try {
      const resultSet = await client.query({
        query: sql,
        format: 'JSONEachRow',
        ...requestParams(requestOptions, { wait_end_of_query: 1 }),
      });
      text = await resultSet.text();
    } catch (error) {
      throw toClickHouseError(error, 'query');
    }
    return parseJsonEachRow<T>(text, 'query');
  };

  const command = async (sql: string, requestOptions?: RequestOptions): Promise<void> => {
    try {
      await client.command({
        query: sql,
        ...requestParams(requestOptions, { wait_end_of_query: 1 }),
      });
    } catch (error) {
      throw toClickHouseError(error, 'command');
    }
  };

  /**
   * Sends a RowBinary body through `exec()`, which 18.16 accepts where the client's
   * `insert()` does not, and reads the response to its end so that the socket is reused.
   * ClickHouse sends the response to an INSERT only once its data is written, so a resolved
   * call means the rows are in the table.
   */
  const insertRowBinary = async (
    quotedTable: string,
    columns: string[] | undefined,
    body: Uint8Array,
    insertOptions: InsertOptions | undefined,
    table: string,
  ): Promise<void> => {
    if (columns === undefined || columns.length === 0) {
      throw new InputError(
        ClickHouseErrorCodes.invalidRow,
        `a RowBinary insert into ${table} needs the columns option, in the order the values are encoded`,
      );
    }
    try {
      const result = await client.exec({
        query: `INSERT INTO ${quotedTable} (${columns.join(', ')}) FORMAT RowBinary`,
        values: Readable.from([body]),
        ...requestParams(insertOptions),
      });
      for await (const chunk of result.stream) void chunk;
    } catch (error) {
      throw toClickHouseError(error, `insert into ${table}`);
    }
  };

  const insert = async (
    table: string,
    rows: readonly object[],
    insertOptions?: InsertOptions,
  ): Promise<void> => {
    const quotedTable = quoteTableName(table);
    const columns = insertOptions?.columns?.map((column) =>
      quotePlainIdentifier(column, 'insert column'),
    );
    if (rows.length === 0) return;
    const rowBinary = insertOptions?.rowBinary;
    if (rowBinary !== undefined) {
      await insertRowBinary(quotedTable, columns, rowBinary, insertOptions, table);
      return;
    }
    const values = insertValues(rows, insertOptions?.encodedRows);
    try {
      await client.insert({
        table: quotedTable,
        values,
        format: 'JSONEachRow',
        ...(columns === undefined || columns.length === 0
          ? {}
          : { columns: columns as [string, ...string[]] }),
        ...requestParams(insertOptions),
      });
    } catch (error) {
      throw toClickHouseError(error, `insert into ${table}`);
    }
  };

  const serverVersion = (): Promise<ServerVersion> => {
    cachedVersion ??= query<{ version: string }>('SELECT version() AS version').then((rows) =>
      parseServerVersion(rows[0]?.version ?? ''),
    );
    // A failed read is not cached, so the next call queries the server again.
    cachedVersion.catch(() => {
      cachedVersion = undefined;
    });
    return cachedVersion;
  };

  const ensureDatabase = async (name: string): Promise<void> => {
    const quoted = quotePlainIdentifier(name, 'database name');
    const admin = options.database === undefined ? client : makeClient(undefined);
    try {
      await admin.command({
        query: `CREATE DATABASE IF NOT EXISTS ${quoted}`,
        clickhouse_settings: { wait_end_of_query: 1 },
      });
    } catch (error) {
      throw toClickHouseError(error, 'create database');
    } finally {
      if (admin !== client) await admin.close();
    }
  };

  const ping = async (): Promise<void> => {
    const result = await client.ping();
    if (!result.success) {
      const cause = toClickHouseError(result.error, 'ping');
      throw new DependencyError(
        ClickHouseErrorCodes.unavailable,
        `ClickHouse at ${options.url} did not answer /ping: ${cause.message}`,
        { cause },
      );
    }
  };

  return {
    database: options.database,
    query,
    command,
    insert,
    serverVersion,
    ensureDatabase,
    ping,
    close: () => client.close(),
  };
}
