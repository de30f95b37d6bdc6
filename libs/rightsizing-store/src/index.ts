/**
 * The right-sizing adapters. They read the analysis inputs from the ClickHouse
 * `entitlements`, `permission_usage`, `role_catalog` and `gcp_permission_support` tables. They write results to the ClickHouse
 * `recommendations` table (schemas/clickhouse/0005_recommendations.sql), one row per
 * principal and analysis, and to the compacted `ciem.recommendations` topic, one JSON
 * message per principal keyed by principal id. Checked against Kafka 4.1 and ClickHouse
 * 18.16.
 */
export {
  listLatestSnapshots,
  readLatestEntitlements,
  readPermissionUsage,
  readSnapshotPrincipals,
} from './internal/analysis-inputs.js';
export type { PermissionUsageQuery, SnapshotKey } from './internal/analysis-inputs.js';
export {
  isSupportLevel,
  mergeSupportLevels,
  readRoleCatalog,
  toCandidateRole,
} from './internal/role-catalog.js';
export type {
  PermissionSupportQueryRow,
  RoleCatalogInputs,
  RoleCatalogQueryRow,
} from './internal/role-catalog.js';
export { azureOperationsOf } from './internal/azure-operations.js';
export { RECOMMENDATION_COLUMNS, toRecommendationRow } from './internal/recommendation-row.js';
export type { RecommendationRow } from './internal/recommendation-row.js';
export {
  RECOMMENDATION_HEADERS,
  createRecommendationWriter,
  encodeRecommendationMessage,
  publishRecommendations,
  writeRecommendationRows,
} from './internal/recommendation-sinks.js';
export type {
  PublishRecommendationsOptions,
  RecommendationWriterOptions,
} from './internal/recommendation-sinks.js';
