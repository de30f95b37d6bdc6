import type { ClickHouse, ClickHouseLogger, RetryOptions } from '@ciem/clickhouse';
import { createBatchWriter } from '@ciem/clickhouse';
import type { RoleCatalog, SnapshotHeader } from '@ciem/entitlements';
import type { GcpPermissionSupportRow, RoleCatalogRow } from './role-catalog-row.js';
import {
  GCP_PERMISSION_SUPPORT_COLUMNS,
  ROLE_CATALOG_COLUMNS,
  toGcpPermissionSupportRows,
  toRoleCatalogRows,
} from './role-catalog-row.js';

/**
 * Maximum rows per INSERT into `role_catalog`. One row contains a whole role's permission
 * list, and broad roles list many permissions, so this bound keeps an INSERT body small
 * whatever `maxRows` the caller gives for the narrow `gcp_permission_support` rows.
 */
const MAX_ROLE_ROWS_PER_INSERT = 200;

/** Options of `writeRoleCatalog`. */
export interface RoleCatalogWriterOptions {
  readonly client: Pick<ClickHouse, 'insert'>;
  /** Database holding `role_catalog` and `gcp_permission_support`, as `runMigrations` made. */
  readonly database: string;
  /** Rows per INSERT; `role_catalog` uses at most 200 of them. */
  readonly maxRows: number;
  readonly retry?: RetryOptions;
  readonly logger?: ClickHouseLogger;
}

/** Rows `writeRoleCatalog` wrote. */
export interface RoleCatalogWrite {
  readonly roles: number;
  readonly permissions: number;
}

/**
 * Writes the role catalog of one snapshot to `role_catalog` and, for GCP, the permission
 * support levels to `gcp_permission_support` (schemas/clickhouse/0012_role_catalog.sql),
 * and resolves once both are in ClickHouse. An AWS snapshot writes nothing, because AWS
 * managed policies are not proposed as roles. `writtenAtMs` is the row version. Throws
 * the client's errors (`DependencyError` to retry).
 */
export async function writeRoleCatalog(
  options: RoleCatalogWriterOptions,
  header: SnapshotHeader,
  catalog: RoleCatalog,
  writtenAtMs: number,
): Promise<RoleCatalogWrite> {
  const common = {
    client: options.client,
    maxWaitMs: 1_000,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  const roleRows = Math.min(options.maxRows, MAX_ROLE_ROWS_PER_INSERT);
  const roleWriter = createBatchWriter<RoleCatalogRow>({
    ...common,
    table: `${options.database}.role_catalog`,
    columns: ROLE_CATALOG_COLUMNS,
    maxRows: roleRows,
    maxBufferedRows: roleRows * 4,
  });
  const supportWriter = createBatchWriter<GcpPermissionSupportRow>({
    ...common,
    table: `${options.database}.gcp_permission_support`,
    columns: GCP_PERMISSION_SUPPORT_COLUMNS,
    maxRows: options.maxRows,
    maxBufferedRows: options.maxRows * 4,
  });

  let roles = 0;
  let permissions = 0;
  try {
    for (const row of toRoleCatalogRows(header, catalog, writtenAtMs)) {
      await roleWriter.add(row);
      roles += 1;
    }
    await roleWriter.flush();
    for (const row of toGcpPermissionSupportRows(header, catalog, writtenAtMs)) {
      await supportWriter.add(row);
      permissions += 1;
    }
    await supportWriter.flush();
  } finally {
    await roleWriter.close();
    await supportWriter.close();
  }
  return { roles, permissions };
}
