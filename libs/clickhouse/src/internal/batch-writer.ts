import {
  CiemError,
  ConfigError,
  DependencyError,
  RejectedError,
  describeValue,
  errorTypeOf,
  isRetriable,
  messageOf,
} from '@ciem/errors';
import type { ClickHouse } from './client.js';
import { ClickHouseErrorCodes } from './errors.js';
import type { RetryOptions } from './backoff.js';
import { backoffDelayMs } from './backoff.js';
import type { ClickHouseLogger } from './logger.js';
import { silentLogger } from './logger.js';
import { quotePlainIdentifier, quoteTableName } from './quote.js';
import type { RowBinaryEncoder, RowBinaryType } from './row-binary.js';
import { createRowBinaryEncoder, isRowBinaryType } from './row-binary.js';
import type { EncodedEntry } from './row-encoding.js';
import { encodeEntry, encodedBody, sameFormatRunLength } from './row-encoding.js';

/**
 * ClickHouse codes of an INSERT whose data, not its statement, is wrong: parse errors,
 * type mismatches and values out of range. Only these make the writer split a batch to find
 * the bad rows. Any other rejection (an unknown table, say) would fail every row alike.
 */
const ROW_DATA_ERROR_CODES = new Set([
  6, 25, 26, 27, 32, 33, 38, 41, 53, 69, 70, 72, 117, 130, 131,
]);

/** Options of `createBatchWriter`. */
export interface BatchWriterOptions<Row extends object> {
  client: Pick<ClickHouse, 'insert'>;
  /** `table` or `database.table`, written in code. */
  table: string;
  /** Columns every row carries; the others get their `DEFAULT` expressions. */
  columns: readonly string[];
  /**
   * The type of each of `columns`, to send rows as RowBinary, which ClickHouse parses with
   * less CPU than JSON. A row with a value that has no exact RowBinary form (another
   * JavaScript type, a number out of the column's range, a lone surrogate) still goes as
   * JSON, in an INSERT of its own. The server then reads it as it did before. Declare a
   * `LowCardinality(String)` column as `String`. Keys of a row outside `columns` are not
   * sent, where a JSON INSERT would be rejected for them. Without this option every row is
   * sent as JSON.
   */
  columnTypes?: Readonly<Record<string, RowBinaryType>>;
  /** Rows per INSERT; a full batch is written at once. */
  maxRows: number;
  /**
   * Maximum bytes of an INSERT body, JSON or RowBinary, unlimited by default. A larger row
   * goes alone.
   */
  maxBytes?: number;
  /** Maximum time a row waits in the buffer before its batch is written, in milliseconds. */
  maxWaitMs: number;
  /**
   * Rows held in memory, buffered and in flight together. `add()` waits while this many
   * are held, which is how a slow server slows the caller down. At least `maxRows`.
   */
  maxBufferedRows: number;
  retry?: RetryOptions;
  /**
   * Receives rows that ClickHouse rejected for good (`RejectedError`) or that failed with a
   * bug (`errorTypeOf` returns `internal`), typically to dead-letter them. Rows count as
   * settled once the returned promise resolves. Without it, such rows make the next
   * `flush()` reject.
   */
  onRejected?: (rows: Row[], error: Error) => void | Promise<void>;
  logger?: ClickHouseLogger;
  /** Random source in [0, 1) for the back-off jitter; `Math.random` by default. */
  random?: () => number;
}

/** Counters of a batch writer since it was created. */
export interface BatchWriterStats {
  bufferedRows: number;
  inFlightRows: number;
  writtenRows: number;
  rejectedRows: number;
  /** Rows given up after retries ran out or `close()` timed out; never acknowledged. */
  unwrittenRows: number;
  retries: number;
}

/**
 * Buffers rows and writes them to one table in batches, one INSERT at a time and in the
 * order they were added.
 *
 * Durability: when `flush()` resolves, every row added before the call is written to
 * ClickHouse or was handed to `onRejected` (and that call resolved). A consumer therefore
 * commits its offsets after `flush()` resolves. `flush()` rejects when some of those rows
 * were not written and not handed over; then nothing may be committed.
 */
export interface BatchWriter<Row extends object> {
  /**
   * Accepts a row, waiting while `maxBufferedRows` rows are held. Resolves once the row is
   * buffered, not once it is written: use `flush()` for that. Throws `InputError`
   * `CIEM_CLICKHOUSE_INVALID_ROW` for a row that cannot be encoded (a lone surrogate, a
   * bigint, a cycle), and `CiemError` `CIEM_CLICKHOUSE_WRITER_CLOSED` after `close()`.
   */
  add(row: Row): Promise<void>;
  /** Writes everything buffered and waits until the rows added before the call are settled. */
  flush(): Promise<void>;
  /**
   * Stops accepting rows, writes the rest and clears the timers. After `timeoutMs`, retries
   * stop, the request in flight is aborted and the remaining rows count as unwritten, so
   * `close()` rejects with `DependencyError` `CIEM_CLICKHOUSE_WRITER_CLOSED`. Calling it
   * again returns the same promise.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  stats(): BatchWriterStats;
}

function invalidOption(message: string): ConfigError {
  return new ConfigError(ClickHouseErrorCodes.invalidOption, message);
}

function requireWholeNumber(name: string, value: unknown, minimum: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw invalidOption(
      `batch writer option ${name} must be a whole number of at least ${minimum}, received ${describeValue(value)}`,
    );
  }
}

function validate<Row extends object>(options: BatchWriterOptions<Row>): void {
  quoteTableName(options.table, 'batch writer table');
  if (!Array.isArray(options.columns) || options.columns.length === 0) {
    throw invalidOption(
      `batch writer option columns must list at least one column, received ${describeValue(options.columns)}`,
    );
  }
  for (const column of options.columns) quotePlainIdentifier(column, 'batch writer column');
  requireWholeNumber('maxRows', options.maxRows, 1);
  requireWholeNumber('maxWaitMs', options.maxWaitMs, 1);
  requireWholeNumber('maxBufferedRows', options.maxBufferedRows, options.maxRows);
  if (options.maxBytes !== undefined) requireWholeNumber('maxBytes', options.maxBytes, 1);
  if (options.columnTypes !== undefined) {
    for (const column of options.columns) {
      const type = options.columnTypes[column];
      if (!isRowBinaryType(type)) {
        throw invalidOption(
          `batch writer option columnTypes must give column ${column} one of String, UInt16, UInt64, Int8, DateTime or Array(String), received ${describeValue(type)}`,
        );
      }
    }
  }
  if (options.retry?.maxAttempts !== undefined)
    requireWholeNumber('retry.maxAttempts', options.retry.maxAttempts, 1);
}

/** Creates a batch writer; see `BatchWriter`. Throws `ConfigError` for invalid options. */
export function createBatchWriter<Row extends object>(
  options: BatchWriterOptions<Row>,
): BatchWriter<Row> {
  validate(options);
  const { client, table, maxRows, maxWaitMs, maxBufferedRows } = options;
  const columns = [...options.columns];
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const maxAttempts = options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const columnTypes = options.columnTypes;
  const encodeRowBinary: RowBinaryEncoder | undefined =
    columnTypes === undefined
      ? undefined
      : createRowBinaryEncoder(
          columns.map((name) => ({ name, type: columnTypes[name] as RowBinaryType })),
        );

  const buffer: EncodedEntry<Row>[] = [];
  let bufferBytes = 0;
  let inFlightRows = 0;
  let accepted = 0; // rows accepted since creation
  let dequeued = 0; // rows moved from the buffer into a batch
  let settled = 0; // rows written, handed to onRejected, or given up
  let dueThrough = 0; // rows with a sequence number below this must be written now
  let timer: NodeJS.Timeout | undefined;
  let draining = false;
  let closed = false;
  let aborted = false;
  let closePromise: Promise<void> | undefined;
  let pendingFailure: Error | undefined;
  let abortController = new AbortController();
  let wakeSleeper: (() => void) | undefined;
  const flushWaiters: { target: number; resolve: () => void }[] = [];
  const spaceWaiters: (() => void)[] = [];
  const stats = { writtenRows: 0, rejectedRows: 0, unwrittenRows: 0, retries: 0 };

  const isFull = (): boolean => buffer.length >= maxRows || bufferBytes >= maxBytes;

  const startTimer = (): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      dueThrough = Math.max(dueThrough, accepted);
      void drain();
    }, maxWaitMs);
    timer.unref();
  };

  const clearTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const notify = (): void => {
    for (let i = flushWaiters.length - 1; i >= 0; i -= 1) {
      const waiter = flushWaiters[i] as { target: number; resolve: () => void };
      if (settled >= waiter.target) {
        flushWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
    while (spaceWaiters.length > 0 && (closed || buffer.length + inFlightRows < maxBufferedRows)) {
      (spaceWaiters.shift() as () => void)();
    }
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const sleepTimer = setTimeout(() => {
        wakeSleeper = undefined;
        resolve();
      }, ms);
      sleepTimer.unref();
      wakeSleeper = () => {
        clearTimeout(sleepTimer);
        wakeSleeper = undefined;
        resolve();
      };
    });

  const recordFailure = (error: Error): void => {
    pendingFailure ??= error;
  };

  const giveUp = (rows: Row[], error: unknown): void => {
    stats.unwrittenRows += rows.length;
    const reason = aborted ? 'close() timed out' : `retries ran out after ${maxAttempts} attempts`;
    logger.error(
      { table, rows: rows.length, err: error, error_type: errorTypeOf(error) },
      'ClickHouse batch not written',
    );
    recordFailure(
      new DependencyError(
        ClickHouseErrorCodes.writerClosed,
        `${rows.length} rows were not written to ${table} because ${reason}: ${messageOf(error)}; do not acknowledge them, so that they are delivered again`,
        { cause: error, details: { table, rows: rows.length } },
      ),
    );
  };

  const reject = async (rows: Row[], error: Error): Promise<void> => {
    stats.rejectedRows += rows.length;
    logger.warn(
      { table, rows: rows.length, err: error, error_type: errorTypeOf(error) },
      'ClickHouse rejected rows',
    );
    if (options.onRejected === undefined) {
      recordFailure(error);
      return;
    }
    try {
      await options.onRejected(rows, error);
    } catch (handlerError) {
      logger.error(
        { table, rows: rows.length, err: handlerError },
        'onRejected failed for rejected rows',
      );
      recordFailure(
        handlerError instanceof Error ? handlerError : new Error(messageOf(handlerError)),
      );
    }
  };

  const writeBatch = async (entries: EncodedEntry<Row>[]): Promise<void> => {
    // One INSERT has one format, so a batch of RowBinary and JSON rows is written in runs.
    const runLength = sameFormatRunLength(entries);
    if (runLength < entries.length) {
      await writeBatch(entries.slice(0, runLength));
      await writeBatch(entries.slice(runLength));
      return;
    }
    const rows = entries.map((entry) => entry.row);
    const body = encodedBody(entries);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.insert(table, rows, {
          columns,
          abortSignal: abortController.signal,
          ...body,
        });
        stats.writtenRows += rows.length;
        logger.debug({ table, rows: rows.length, attempt }, 'wrote ClickHouse batch');
        return;
      } catch (error) {
        if (isRetriable(error) || aborted) {
          if (aborted || attempt >= maxAttempts) {
            giveUp(rows, error);
            return;
          }
          const retryAfterMs = error instanceof DependencyError ? (error.retryAfterMs ?? 0) : 0;
          const delay = Math.max(backoffDelayMs(attempt - 1, options.retry, random), retryAfterMs);
          stats.retries += 1;
          logger.warn(
            { table, rows: rows.length, attempt, delay_ms: delay, err: error },
            'retrying ClickHouse batch',
          );
          await sleep(delay);
          continue;
        }
        const code = error instanceof RejectedError ? error.details.clickhouse_code : undefined;
        if (typeof code === 'number' && ROW_DATA_ERROR_CODES.has(code) && rows.length > 1) {
          // One bad row fails the whole INSERT. Halving isolates it in about log2(n) rounds,
          // and the other rows are written. Part of a rejected INSERT may have landed
          // already; the target tables deduplicate by key, so writing it again is harmless.
          const middle = Math.ceil(rows.length / 2);
          await writeBatch(entries.slice(0, middle));
          await writeBatch(entries.slice(middle));
          return;
        }
        await reject(rows, error instanceof Error ? error : new Error(messageOf(error)));
        return;
      }
    }
  };

  const takeBatch = (): EncodedEntry<Row>[] => {
    let count = 0;
    let bytes = 0;
    while (count < buffer.length && count < maxRows) {
      const next = (buffer[count] as EncodedEntry<Row>).bytes;
      if (count > 0 && bytes + next > maxBytes) break;
      bytes += next;
      count += 1;
    }
    const batch = buffer.splice(0, count);
    bufferBytes -= bytes;
    dequeued += count;
    if (buffer.length === 0) clearTimer();
    return batch;
  };

  const abandonBuffer = (error: Error): void => {
    const rows = buffer.splice(0, buffer.length).map((entry) => entry.row);
    bufferBytes = 0;
    dequeued += rows.length;
    settled += rows.length;
    if (rows.length > 0) giveUp(rows, error);
  };

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (buffer.length > 0 && !aborted && (dequeued < dueThrough || isFull())) {
        const batch = takeBatch();
        inFlightRows = batch.length;
        await writeBatch(batch);
        inFlightRows = 0;
        settled += batch.length;
        notify();
      }
      if (aborted) {
        abandonBuffer(new Error('the writer was closed before these rows were sent'));
        notify();
      }
    } finally {
      draining = false;
    }
    if (buffer.length > 0) {
      if (dequeued < dueThrough || isFull()) void drain();
      else startTimer();
    }
  }

  const closedError = (): CiemError =>
    new CiemError(
      ClickHouseErrorCodes.writerClosed,
      `the batch writer for ${table} is closed; create a new writer to add rows`,
    );

  const add = async (row: Row): Promise<void> => {
    if (closed) throw closedError();
    const entry = encodeEntry(row, encodeRowBinary);
    while (buffer.length + inFlightRows >= maxBufferedRows) {
      await new Promise<void>((resolve) => spaceWaiters.push(resolve));
      if (closed) throw closedError();
    }
    buffer.push(entry);
    bufferBytes += entry.bytes;
    accepted += 1;
    if (isFull()) void drain();
    else startTimer();
  };

  const flush = async (): Promise<void> => {
    const target = accepted;
    dueThrough = Math.max(dueThrough, target);
    void drain();
    if (settled < target) {
      await new Promise<void>((resolve) => flushWaiters.push({ target, resolve }));
    }
    if (pendingFailure !== undefined) {
      const failure = pendingFailure;
      pendingFailure = undefined;
      throw failure;
    }
  };

  const close = (closeOptions: { timeoutMs?: number } = {}): Promise<void> => {
    closePromise ??= (async () => {
      closed = true;
      clearTimer();
      notify(); // adds waiting for space now fail with the closed error
      const deadline =
        closeOptions.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              aborted = true;
              abortController.abort();
              abortController = new AbortController();
              wakeSleeper?.();
            }, closeOptions.timeoutMs);
      deadline?.unref();
      try {
        await flush();
      } finally {
        if (deadline !== undefined) clearTimeout(deadline);
      }
    })();
    return closePromise;
  };

  return {
    add,
    flush,
    close,
    stats: () => ({ bufferedRows: buffer.length, inFlightRows, ...stats }),
  };
}
