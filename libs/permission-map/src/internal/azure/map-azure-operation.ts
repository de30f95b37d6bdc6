import type { MappingOutcome, PermissionVisibility } from '../types.js';

/** Category of an Azure event: a control-plane call, a data action, or an Azure-made record. */
export type AzureEventCategory = 'management' | 'data' | 'service-event';

/** Result of `mapAzureOperation`. */
export interface AzureOperationMapping extends MappingOutcome {
  readonly provider: 'azure';
  /** The permission in canonical form (see `normalizeAzurePermission`), or empty. */
  readonly permissions: readonly string[];
  readonly visibility: PermissionVisibility;
  readonly category: AzureEventCategory;
}

/** Options of `mapAzureOperation` and `azurePermissionVisibility`. */
export interface AzureOperationOptions {
  /** The Activity Log `category` (`Administrative`, `ServiceHealth`, `Policy`, ...). */
  readonly category?: string;
  /** True when the record comes from a resource log and names a data action. */
  readonly dataAction?: boolean;
}

// Azure Monitor, "Azure Activity Log event schema": the Administrative category records
// operations that a principal called. The categories below are written by Azure itself:
// health events, alerts, autoscale, Advisor, Azure Policy and Defender for Cloud alerts.
const SERVICE_EVENT_CATEGORIES: ReadonlySet<string> = new Set([
  'servicehealth',
  'resourcehealth',
  'alert',
  'autoscale',
  'recommendation',
  'policy',
  'security',
]);

// Azure RBAC, "Azure permissions" (the DataActions of each resource provider): operations
// on data inside a resource. They are logged only in the resource's diagnostic (resource)
// logs, which the customer enables per resource.
const DATA_ACTION_PATTERNS: readonly RegExp[] = [
  /^microsoft\.storage\/storageaccounts\/blobservices\/containers\/blobs\//,
  /^microsoft\.storage\/storageaccounts\/queueservices\/queues\/messages\//,
  /^microsoft\.storage\/storageaccounts\/tableservices\/tables\/entities\//,
  /^microsoft\.storage\/storageaccounts\/fileservices\/fileshares\/files\//,
  /^microsoft\.keyvault\/vaults\/(keys|secrets|certificates)\/.+\/action$/,
  /^microsoft\.servicebus\/namespaces\/messages\//,
  /^microsoft\.eventhub\/namespaces\/messages\//,
  /^microsoft\.documentdb\/databaseaccounts\/sqldatabases\/containers\/items\//,
  /^microsoft\.compute\/virtualmachines\/(login|loginasadmin)\/action$/,
];

const OPERATION_FORM = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+(\/[^/\s]+)+$/;

/**
 * Returns the canonical form of an Azure operation or permission: trimmed and lower case
 * (`microsoft.compute/virtualmachines/write`). Azure Resource Manager and RBAC compare
 * operation names without regard to case, and entitlements use the same form, so equal
 * permissions compare equal as strings. A trailing `/action` is part of the name and kept.
 */
export function normalizeAzurePermission(operation: string): string {
  return operation.trim().toLowerCase();
}

/**
 * Returns whether the use of an Azure permission shows in the logs: `data-event` for data
 * actions (resource logs, off by default), `not-logged` for `/read` operations (the
 * Activity Log records writes, deletes and actions only) and `logged` for the rest.
 *
 * NOTE: data actions are recognized by a short list of resource providers (Storage, Key
 * Vault, Service Bus, Event Hubs, Cosmos DB, VM login); others count as control-plane
 * unless `options.dataAction` is true.
 */
export function azurePermissionVisibility(
  permission: string,
  options: Pick<AzureOperationOptions, 'dataAction'> = {},
): PermissionVisibility {
  const canonical = normalizeAzurePermission(permission);
  if (options.dataAction === true || DATA_ACTION_PATTERNS.some((p) => p.test(canonical))) {
    return 'data-event';
  }
  return canonical.endsWith('/read') ? 'not-logged' : 'logged';
}

function operationText(value: unknown): string | undefined {
  // The Activity Log REST API writes `operationName` as `{ value, localizedValue }`.
  if (value !== null && typeof value === 'object' && 'value' in value) {
    return operationText((value as { value: unknown }).value);
  }
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/**
 * Maps an Azure Activity Log or resource log `operationName` to the permission it
 * exercised. The operation name is the RBAC permission itself, so the mapping normalizes
 * it. Records that Azure wrote on its own (categories ServiceHealth, ResourceHealth, Alert,
 * Autoscale, Recommendation, Policy, Security) return `no-permission`. A value that is not
 * of the form `<Namespace>/<resource type>/<verb>` returns `unmapped` with a reason. The
 * result is cached and shared, so it is frozen.
 */
export function mapAzureOperation(
  operationName: unknown,
  options: AzureOperationOptions = {},
): AzureOperationMapping {
  const operation = operationText(operationName);
  // The same few hundred operations recur in record after record. The cache is keyed by
  // category and data-action flag, then operation, so a lookup hashes no joined string.
  const category = options.category ?? '';
  let byCategory = mappingCache.get(category);
  const byOperation = byCategory?.[options.dataAction === true ? 1 : 0];
  const cached = byOperation?.get(operation ?? '');
  if (cached !== undefined) return cached;
  const mapping = mapOperation(operation, options);
  if (cachedMappings >= MAX_CACHED_MAPPINGS) {
    mappingCache.clear();
    cachedMappings = 0;
    byCategory = undefined;
  }
  if (byCategory === undefined) {
    byCategory = [new Map(), new Map()];
    mappingCache.set(category, byCategory);
  }
  Object.freeze(mapping.permissions);
  byCategory[options.dataAction === true ? 1 : 0].set(operation ?? '', Object.freeze(mapping));
  cachedMappings++;
  return mapping;
}

/** Largest number of mappings kept; the cache is emptied when it is full. */
const MAX_CACHED_MAPPINGS = 10_000;

/**
 * Mappings by category (empty when none), then by data-action flag (index 1 when set),
 * then by operation (empty when none). They are frozen because shared.
 */
const mappingCache = new Map<
  string,
  [Map<string, AzureOperationMapping>, Map<string, AzureOperationMapping>]
>();
let cachedMappings = 0;

function mapOperation(
  operation: string | undefined,
  options: AzureOperationOptions,
): AzureOperationMapping {
  const canonical = operation === undefined ? undefined : normalizeAzurePermission(operation);
  const source = canonical?.split('/')[0] ?? '';
  const base = { provider: 'azure' as const, source, operation: operation ?? '' };

  const category = options.category?.trim().toLowerCase();
  if (category !== undefined && SERVICE_EVENT_CATEGORIES.has(category)) {
    return {
      ...base,
      status: 'no-permission',
      permissions: [],
      visibility: 'logged',
      category: 'service-event',
      reason: `Activity Log category ${options.category}: Azure wrote the record, no principal called an operation`,
    };
  }
  if (canonical === undefined || !OPERATION_FORM.test(canonical)) {
    return {
      ...base,
      status: 'unmapped',
      permissions: [],
      visibility: 'logged',
      category: options.dataAction === true ? 'data' : 'management',
      reason:
        canonical === undefined
          ? 'operationName is missing or empty'
          : `operationName ${operation} is not of the form <Namespace>/<resource type>/<verb>`,
    };
  }

  const visibility = azurePermissionVisibility(canonical, options);
  return {
    ...base,
    status: 'mapped',
    permissions: [canonical],
    visibility,
    category: visibility === 'data-event' ? 'data' : 'management',
  };
}
