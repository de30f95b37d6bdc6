import type { ClickHouse } from '@ciem/clickhouse';
import { quoteDateTime, quoteString, quoteTableName } from '@ciem/clickhouse';
import type { TimeWindow } from './window.js';

/** Tables the queries read and write; names come from this list only. */
export type StoreTable =
  | 'events'
  | 'permission_usage'
  | 'principal_permission_usage'
  | 'principal_activity'
  | 'dlq_events'
  | 'entitlements'
  | 'recommendations'
  | 'alerts'
  | 'alerts_by_time'
  | 'alert_acks'
  | 'alert_ack_history';

/** Options of the query functions: where the tables are and how long a query may run. */
export interface QueryStoreOptions {
  clickhouse: ClickHouse;
  /** Database of the tables of schemas/clickhouse. */
  database: string;
  /** Server-side limit of one query (`max_execution_time`), in seconds; 10 by default. */
  maxExecutionSeconds?: number;
}

/** A bounded page of rows; `next_cursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Returns the quoted `database.table` name of a store table. */
export function tableName(options: QueryStoreOptions, table: StoreTable): string {
  return quoteTableName(`${options.database}.${table}`);
}

/**
 * Runs a SELECT written from quoted literals. Each request carries `readonly=2`, so that even
 * a bug in a query builder cannot write or run DDL, and a `max_execution_time`.
 */
export function select<T>(options: QueryStoreOptions, sql: string): Promise<T[]> {
  return options.clickhouse.query<T>(sql, {
    settings: {
      readonly: '2',
      max_execution_time: options.maxExecutionSeconds ?? 10,
    },
  });
}

/** Joins conditions with AND; an empty list gives `1`. */
export function whereAll(conditions: readonly string[]): string {
  return conditions.length === 0 ? '1' : conditions.map((part) => `(${part})`).join(' AND ');
}

/** `column >= from AND column <= to` for a DateTime column, in whole seconds. */
export function dateTimeBetween(column: string, window: TimeWindow): string {
  return `${column} >= ${quoteDateTime(window.fromMs)} AND ${column} <= ${quoteDateTime(window.toMs)}`;
}

/** `column >= toDate(from) AND column <= toDate(to)` for a Date column: whole UTC days. */
export function dateBetween(column: string, window: TimeWindow): string {
  return `${column} >= toDate(${quoteDateTime(window.fromMs)}) AND ${column} <= toDate(${quoteDateTime(window.toMs)})`;
}

/** `column = 'value'` when a filter value is given, else nothing. */
export function equalsIfSet(column: string, value: string | undefined): string[] {
  return value === undefined ? [] : [`${column} = ${quoteString(value)}`];
}

/** Writes strings as an `IN` list, `('a', 'b')`; callers skip the condition for an empty list. */
export function quoteInList(values: readonly string[]): string {
  return `(${values.map((value) => quoteString(value)).join(', ')})`;
}

/** Converts a UInt64 that ClickHouse returns as a decimal string to a number. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** One column of a keyset: its SQL expression, the last row's value as a literal, the direction. */
export interface KeysetPart {
  column: string;
  literal: string;
  descending?: boolean;
}

/**
 * Writes the condition "after this row" of keyset paging for a sort over several columns,
 * `a > x OR (a = x AND (b > y OR …))`, with `<` for descending columns. It avoids tuple
 * comparison, which ClickHouse 18.16 does not document for ordering.
 */
export function keysetAfter(parts: readonly KeysetPart[]): string {
  const [first, ...rest] = parts;
  if (first === undefined) return '1';
  const after = `${first.column} ${first.descending === true ? '<' : '>'} ${first.literal}`;
  if (rest.length === 0) return after;
  return `${after} OR (${first.column} = ${first.literal} AND (${keysetAfter(rest)}))`;
}

/**
 * Writes the condition "between these two rows, both included" of a sort over several
 * columns, with the same expansion as `keysetAfter`. ClickHouse 18.16 prunes granules with it
 * when the columns lead the sorting key, where an `IN` list on a later key column reads most
 * of the table.
 */
export function keysetBetween(
  columns: readonly string[],
  low: readonly string[],
  high: readonly string[],
): string {
  return `(${keysetBound(columns, low, '>')}) AND (${keysetBound(columns, high, '<')})`;
}

function keysetBound(
  columns: readonly string[],
  literals: readonly string[],
  strict: string,
): string {
  const [column, ...restColumns] = columns;
  const [literal, ...restLiterals] = literals;
  if (column === undefined || literal === undefined) return '1';
  if (restColumns.length === 0) return `${column} ${strict}= ${literal}`;
  const rest = keysetBound(restColumns, restLiterals, strict);
  return `${column} ${strict} ${literal} OR (${column} = ${literal} AND (${rest}))`;
}
