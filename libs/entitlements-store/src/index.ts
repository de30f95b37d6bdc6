/**
 * The entitlements adapters: reads IAM export files for `evaluateExportDocuments`, and
 * writes snapshots to the compacted `ciem.entitlements` topic (one JSON message per
 * principal, keyed by principal id) and to the ClickHouse `entitlements` table
 * (schemas/clickhouse/0004_entitlements.sql, one row per principal and grant), with the
 * snapshot's role catalog in `role_catalog` and `gcp_permission_support`
 * (schemas/clickhouse/0012_role_catalog.sql). Checked against Kafka 4.1 and ClickHouse 18.16.
 */
export { readExportFiles } from './internal/export-files.js';
export type { ExportFiles, ReadExportFilesOptions } from './internal/export-files.js';
export { classifyFile, classifyFiles } from './internal/input-files.js';
export type { ClassifiedFiles, InputFileKind } from './internal/input-files.js';
export { ENTITLEMENT_COLUMNS, toEntitlementRows } from './internal/entitlement-row.js';
export type { EntitlementRow } from './internal/entitlement-row.js';
export {
  ENTITLEMENT_HEADERS,
  createEntitlementWriter,
  encodeEntitlementMessage,
  publishSnapshot,
  writeSnapshotRows,
} from './internal/snapshot-sinks.js';
export type {
  EntitlementWriterOptions,
  PublishSnapshotOptions,
} from './internal/snapshot-sinks.js';
export {
  GCP_PERMISSION_SUPPORT_COLUMNS,
  ROLE_CATALOG_COLUMNS,
  toGcpPermissionSupportRows,
  toRoleCatalogRows,
} from './internal/role-catalog-row.js';
export type { GcpPermissionSupportRow, RoleCatalogRow } from './internal/role-catalog-row.js';
export { writeRoleCatalog } from './internal/role-catalog-sink.js';
export type { RoleCatalogWrite, RoleCatalogWriterOptions } from './internal/role-catalog-sink.js';
export { EntitlementsStoreErrorCode } from './internal/errors.js';
