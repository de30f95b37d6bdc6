import type {
  BatchWriter,
  ClickHouse,
  ClickHouseLogger,
  RetryOptions,
  RowBinaryType,
} from '@ciem/clickhouse';
import { createBatchWriter } from '@ciem/clickhouse';
import { traceContextOf, withBatchSpan } from '@ciem/telemetry';
import type { DeadLetterRow } from './dead-letter-row.js';
import { DEAD_LETTER_COLUMNS } from './dead-letter-row.js';
import type { EventRow } from './event-row.js';
import { EVENT_COLUMNS, EVENT_COLUMN_TYPES } from './event-row.js';

/** Options of `createEventWriter` and `createDeadLetterWriter`. */
export interface StoreWriterOptions<Row extends object> {
  client: Pick<ClickHouse, 'insert'>;
  /** Database that holds the tables, as `runMigrations` created them. */
  database: string;
  /** Rows per INSERT. */
  maxRows: number;
  /** Maximum time a row waits in the buffer before its batch is written, in milliseconds. */
  maxWaitMs: number;
  /** Rows held in memory before `add()` waits; `4 × maxRows` by default. */
  maxBufferedRows?: number;
  /** Retry timing of failed INSERTs; unlimited attempts by default (see `RetryOptions`). */
  retry?: RetryOptions;
  /** Receives rows ClickHouse refused for good; see `BatchWriterOptions.onRejected`. */
  onRejected?: (rows: Row[], error: Error) => void | Promise<void>;
  logger?: ClickHouseLogger;
}

/**
 * Wraps `client` so that each INSERT whose rows carry a trace context (`bindTraceContext`)
 * runs in an `INSERT <table>` span under the first row's context, linked to every row's.
 * An INSERT of untraced rows makes no span.
 */
function tracedInsert(
  client: Pick<ClickHouse, 'insert'>,
  table: string,
): Pick<ClickHouse, 'insert'> {
  return {
    insert(target, rows, insertOptions) {
      const parents: Array<NonNullable<ReturnType<typeof traceContextOf>>> = [];
      for (const row of rows) {
        const parent = traceContextOf(row);
        if (parent !== undefined) parents.push(parent);
      }
      if (parents.length === 0) return client.insert(target, rows, insertOptions);
      return withBatchSpan(
        `INSERT ${table}`,
        parents,
        () => client.insert(target, rows, insertOptions),
        {
          attributes: {
            'db.system': 'clickhouse',
            'db.operation.name': 'INSERT',
            'db.collection.name': table,
            'db.operation.batch.size': rows.length,
          },
        },
      );
    },
  };
}

function writerFor<Row extends object>(
  table: string,
  columns: readonly string[],
  columnTypes: Readonly<Record<string, RowBinaryType>> | undefined,
  options: StoreWriterOptions<Row>,
): BatchWriter<Row> {
  // The batch writer checks that `database.table` is made of plain identifiers.
  return createBatchWriter<Row>({
    client: tracedInsert(options.client, table),
    table: `${options.database}.${table}`,
    columns,
    ...(columnTypes === undefined ? {} : { columnTypes }),
    maxRows: options.maxRows,
    maxWaitMs: options.maxWaitMs,
    maxBufferedRows: options.maxBufferedRows ?? options.maxRows * 4,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.onRejected === undefined ? {} : { onRejected: options.onRejected }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/**
 * Creates the batch writer of the `events` table, which sends rows as RowBinary. `flush()`
 * resolving means every row added before is written (or handed to `onRejected`), so a
 * consumer commits its offsets after it.
 * Throws `ConfigError` `CIEM_CLICKHOUSE_INVALID_OPTION` for invalid options and `InputError`
 * `CIEM_CLICKHOUSE_INVALID_IDENTIFIER` for a database name that is not a plain identifier.
 */
export function createEventWriter(options: StoreWriterOptions<EventRow>): BatchWriter<EventRow> {
  return writerFor('events', EVENT_COLUMNS, EVENT_COLUMN_TYPES, options);
}

/** Creates the batch writer of the `dlq_events` table; see `createEventWriter`. */
export function createDeadLetterWriter(
  options: StoreWriterOptions<DeadLetterRow>,
): BatchWriter<DeadLetterRow> {
  // Dead letters are few, so their rows stay JSON.
  return writerFor('dlq_events', DEAD_LETTER_COLUMNS, undefined, options);
}
