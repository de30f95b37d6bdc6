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
export { parseAwsAuthorizationDetails } from './internal/aws/authorization-details.js';
export type {
  AwsAuthorizationDetails,
  AwsAuthorizationDetailsInput,
  AwsGroupDetail,
  AwsInlinePolicy,
  AwsManagedPolicy,
  AwsRoleDetail,
  AwsUserDetail,
} from './internal/aws/authorization-details.js';
export { parseAwsOrganizationPolicies } from './internal/aws/organization-policies.js';
export type {
  AwsNamedPolicy,
  AwsOrganizationPolicies,
} from './internal/aws/organization-policies.js';
export { parsePolicyDocument } from './internal/aws/policy-document.js';
export type {
  AwsPolicyDocument,
  AwsPrincipalElement,
  AwsStatement,
} from './internal/aws/policy-document.js';
export { evaluateAwsEntitlements } from './internal/aws/evaluate-aws.js';
export type {
  AwsEntitlementsResult,
  AwsEvaluationOptions,
  AwsEvaluationStats,
} from './internal/aws/evaluate-aws.js';
export type { AwsAssumeRoleEdge } from './internal/aws/findings.js';
export type { AwsTrustEdge, AwsTrusteeKind } from './internal/aws/trust-policy.js';
export { ESCALATION_METHODS } from './internal/aws/escalation-methods.js';
export type { EscalationMethod } from './internal/aws/escalation-methods.js';
export { AwsEntitlementsErrorCode } from './internal/aws/errors.js';

// Azure
export { readAzureExports, emptyAzureExport } from './internal/azure/azure-export.js';
export type {
  AzureDirectoryObject,
  AzureExport,
  AzureOperation,
} from './internal/azure/azure-export.js';
export type {
  AzureDenyAssignment,
  AzurePermissionBlock,
  AzureRoleAssignment,
  AzureRoleDefinition,
} from './internal/azure/azure-records.js';
export { matchesResource as matchesAwsResource } from './internal/aws/resource-pattern.js';
export {
  azureCatalogFromOperations,
  azureCatalogFromRoleDefinitions,
  isAzurePattern,
  matchesAzurePattern,
} from './internal/azure/azure-actions.js';
export type { AzureOperationCatalog } from './internal/azure/azure-actions.js';
export {
  azureScopeCovers,
  azureScopeLevel,
  normalizeAzureScope,
} from './internal/azure/azure-scope.js';
export type { AzureScopeLevel } from './internal/azure/azure-scope.js';
export { evaluateAzureEntitlements } from './internal/azure/azure-entitlements.js';
export type {
  AzureEvaluation,
  AzureEvaluationOptions,
  AzureEvaluationStats,
} from './internal/azure/azure-entitlements.js';

// Export files, problems, snapshots and their difference (all providers)
export { ExportProblemCode, parseExportText } from './internal/snapshot/export-documents.js';
export type { ExportDocument, ExportProblem } from './internal/snapshot/export-documents.js';
export {
  detectExportProvider,
  evaluateExportDocuments,
  roleCatalogFromExports,
} from './internal/snapshot/evaluate-exports.js';
export type {
  CollectedSnapshot,
  EvaluateExportsOptions,
  ExportsEvaluation,
} from './internal/snapshot/evaluate-exports.js';
export { compareRoleNames } from './internal/snapshot/role-catalog.js';
export type { CatalogRole, RoleCatalog } from './internal/snapshot/role-catalog.js';
export { diffSnapshots } from './internal/snapshot/snapshot-diff.js';
export type { DiffInput, PrincipalDiff, SnapshotDiff } from './internal/snapshot/snapshot-diff.js';
export {
  SnapshotErrorCode,
  isSnapshotValue,
  parseSnapshotJson,
  readPrincipalEntitlements,
} from './internal/snapshot/snapshot-json.js';

// GCP
export { emptyGcpExport, readGcpExports, toFullResourceName } from './internal/gcp/gcp-export.js';
export type {
  GcpBinding,
  GcpCondition,
  GcpExport,
  GcpPolicy,
  GcpRoleDefinition,
} from './internal/gcp/gcp-export.js';
export type { GcpCustomRolesSupportLevel } from './internal/gcp/gcp-permissions.js';
export { parseGcpMember } from './internal/gcp/gcp-members.js';
export type { GcpMember } from './internal/gcp/gcp-members.js';
export {
  buildGcpHierarchy,
  gcpResourceCovers,
  gcpResourceLevel,
} from './internal/gcp/gcp-hierarchy.js';
export type { GcpHierarchy, GcpResourceLevel } from './internal/gcp/gcp-hierarchy.js';
export { evaluateGcpEntitlements, gcpGrantGroupsOn } from './internal/gcp/gcp-entitlements.js';
export type {
  GcpEvaluation,
  GcpEvaluationOptions,
  GcpEvaluationStats,
} from './internal/gcp/gcp-entitlements.js';
