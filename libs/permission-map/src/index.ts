export { mapAwsCall } from './internal/aws/map-aws-call.js';
export type {
  AwsCallInput,
  AwsCallMapping,
  AwsPermissionUse,
} from './internal/aws/map-aws-call.js';
export type { AwsEventCategory } from './internal/aws/no-permission-events.js';
export { awsPermissionVisibility } from './internal/aws/visibility.js';
export {
  awsActionExists,
  awsServiceExists,
  expandAwsActionPattern,
  lookupAwsAction,
} from './internal/aws/catalog.js';
export type { AwsAccessLevel, AwsCatalogAction } from './internal/aws/catalog.js';
export { awsServicePrefixOf, stripVersionSuffix } from './internal/aws/event-names.js';
export {
  mapAzureOperation,
  normalizeAzurePermission,
  azurePermissionVisibility,
} from './internal/azure/map-azure-operation.js';
export type {
  AzureOperationMapping,
  AzureOperationOptions,
  AzureEventCategory,
} from './internal/azure/map-azure-operation.js';
export { gcpPermissionVisibility, classifyGcpPermission } from './internal/gcp/gcp-visibility.js';
export type { GcpAuditLogType, GcpVisibilityOptions } from './internal/gcp/gcp-visibility.js';
export { summarizeMapping, formatMappingSummary } from './internal/summary.js';
export { unmappedReasonOf } from './internal/unmapped-reason.js';
export type { MappingSummary, UnmappedOperation } from './internal/summary.js';
export { PermissionMapErrorCode } from './internal/errors.js';
export type {
  CloudProvider,
  MappingOutcome,
  MappingStatus,
  PermissionVisibility,
} from './internal/types.js';
