/**
 * The ClickHouse event store: maps NormalizedEvents to `events` rows and dead-lettered
 * records to `dlq_events` rows, and writes them in batches through `@ciem/clickhouse`. The
 * tables are defined in schemas/clickhouse (0001_events.sql, 0003_dlq_events.sql), checked
 * against ClickHouse 18.16.
 */
export { EVENT_COLUMNS, EVENT_COLUMN_TYPES, toEventRow } from './internal/event-row.js';
export type { EventRow } from './internal/event-row.js';
export {
  DEAD_LETTER_COLUMNS,
  DEAD_LETTER_ROW_MESSAGE_MAX_CHARS,
  DEFAULT_DEAD_LETTER_PAYLOAD_BYTES,
  toDeadLetterRow,
} from './internal/dead-letter-row.js';
export type { DeadLetterRow, DeadLetterRowInput } from './internal/dead-letter-row.js';
export { createDeadLetterWriter, createEventWriter } from './internal/writers.js';
export type { StoreWriterOptions } from './internal/writers.js';
export { EventStoreErrorCodes } from './internal/errors.js';
