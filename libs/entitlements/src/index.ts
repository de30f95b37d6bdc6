// Shared model: the serializable form, interned permission sets and snapshot streaming.
export type {
  EntitlementProvider,
  EntitlementSnapshot,
  Finding,
  FindingKind,
  FindingSeverity,
  Grant,
  PrincipalEntitlements,
} from './internal/model/entitlements.js';
export {
  PermissionSet,
  PermissionSetCache,
  PermissionTable,
  toSortedIds,
} from './internal/model/permission-set.js';
export {
  countGrants,
  effectivePermissionIds,
  effectivePermissionNames,
  iterateGrants,
  toPrincipalEntitlements,
} from './internal/model/compact-entitlements.js';
export type {
  CompactPrincipalEntitlements,
  EffectivePermissionOptions,
  GrantGroup,
} from './internal/model/compact-entitlements.js';
export { principalToJson, streamSnapshotJson } from './internal/model/snapshot-stream.js';
export type { AnyPrincipalEntitlements, SnapshotHeader } from './internal/model/snapshot-stream.js';

// AWS

// Azure

// GCP
