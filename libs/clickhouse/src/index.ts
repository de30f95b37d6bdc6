export { createClickHouse } from './internal/client.js';
export { clickhouseConnectionSettings } from './internal/connection-settings.js';
export type { ClickHouseSettingsText } from './internal/connection-settings.js';
export type {
  ClickHouse,
  ClickHouseOptions,
  InsertOptions,
  RequestOptions,
} from './internal/client.js';
export {
  ClickHouseErrorCodes,
  parseServerError,
  isRetriableServerCode,
  toClickHouseError,
} from './internal/errors.js';
export type { ServerErrorText } from './internal/errors.js';
export type { ClickHouseLogger } from './internal/logger.js';
export {
  quoteString,
  quoteLikePattern,
  quoteNumber,
  quoteDateTime,
  quoteArray,
  quoteIdentifier,
  quotePlainIdentifier,
  quoteTableName,
  hasLoneSurrogate,
} from './internal/quote.js';
export { parseServerVersion, isVersionAtLeast } from './internal/server-version.js';
export type { ServerVersion } from './internal/server-version.js';
export { splitStatements } from './internal/sql-split.js';
export { renderMigration } from './internal/migration-template.js';
export type { RenderContext } from './internal/migration-template.js';
export {
  runMigrations,
  loadMigrations,
  checksumOf,
  defaultMigrationsDirectory,
  MIGRATIONS_TABLE,
} from './internal/migrations.js';
export type { Migration, MigrationReport, RunMigrationsOptions } from './internal/migrations.js';
export { createBatchWriter } from './internal/batch-writer.js';
export type { BatchWriter, BatchWriterOptions, BatchWriterStats } from './internal/batch-writer.js';
export type { RowBinaryType } from './internal/row-binary.js';
export { backoffDelayMs } from './internal/backoff.js';
export type { RetryOptions } from './internal/backoff.js';
