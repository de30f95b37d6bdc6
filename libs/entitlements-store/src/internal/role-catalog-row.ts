import type { GcpCustomRolesSupportLevel, RoleCatalog, SnapshotHeader } from '@ciem/entitlements';

/** One row of the ClickHouse `role_catalog` table (schemas/clickhouse/0012_role_catalog.sql). */
export interface RoleCatalogRow {
  provider: string;
  account_id: string;
  taken_at_ms: number;
  /** Unix seconds. */
  snapshot_time: number;
  role_name: string;
  role_id: string;
  actions: string[];
  not_actions: string[];
  data_actions: string[];
  not_data_actions: string[];
  /** Unix seconds. */
  written_at: number;
}

/** Columns of `RoleCatalogRow`, in table order. */
export const ROLE_CATALOG_COLUMNS: readonly string[] = [
  'provider',
  'account_id',
  'taken_at_ms',
  'snapshot_time',
  'role_name',
  'role_id',
  'actions',
  'not_actions',
  'data_actions',
  'not_data_actions',
  'written_at',
];

/**
 * One row of the ClickHouse `gcp_permission_support` table
 * (schemas/clickhouse/0012_role_catalog.sql).
 */
export interface GcpPermissionSupportRow {
  account_id: string;
  taken_at_ms: number;
  /** Unix seconds. */
  snapshot_time: number;
  permission: string;
  support_level: GcpCustomRolesSupportLevel;
  /** Unix seconds. */
  written_at: number;
}

/** Columns of `GcpPermissionSupportRow`, in table order. */
export const GCP_PERMISSION_SUPPORT_COLUMNS: readonly string[] = [
  'account_id',
  'taken_at_ms',
  'snapshot_time',
  'permission',
  'support_level',
  'written_at',
];

/**
 * Yields the `role_catalog` rows of a snapshot: the catalog's roles of the snapshot's
 * provider, none for AWS. `writtenAtMs` becomes the row version.
 */
export function* toRoleCatalogRows(
  header: SnapshotHeader,
  catalog: RoleCatalog,
  writtenAtMs: number,
): IterableIterator<RoleCatalogRow> {
  let roles: RoleCatalog['gcp'] = [];
  if (header.provider === 'azure') roles = catalog.azure;
  if (header.provider === 'gcp') roles = catalog.gcp;
  for (const role of roles) {
    yield {
      provider: header.provider,
      account_id: header.account_id,
      taken_at_ms: header.taken_at,
      snapshot_time: Math.floor(header.taken_at / 1000),
      role_name: role.name,
      role_id: role.id ?? '',
      actions: role.actions,
      not_actions: role.not_actions,
      data_actions: role.data_actions,
      not_data_actions: role.not_data_actions,
      written_at: Math.floor(writtenAtMs / 1000),
    };
  }
}

/**
 * Yields the `gcp_permission_support` rows of a GCP snapshot, one per permission, sorted by
 * permission; none for another provider. `writtenAtMs` becomes the row version.
 */
export function* toGcpPermissionSupportRows(
  header: SnapshotHeader,
  catalog: RoleCatalog,
  writtenAtMs: number,
): IterableIterator<GcpPermissionSupportRow> {
  if (header.provider !== 'gcp') return;
  const levels = [...catalog.gcpPermissionSupport].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [permission, level] of levels) {
    yield {
      account_id: header.account_id,
      taken_at_ms: header.taken_at,
      snapshot_time: Math.floor(header.taken_at / 1000),
      permission,
      support_level: level,
      written_at: Math.floor(writtenAtMs / 1000),
    };
  }
}
