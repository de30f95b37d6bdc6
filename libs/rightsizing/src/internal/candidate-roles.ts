import {
  azureCatalogFromOperations,
  azureCatalogFromRoleDefinitions,
  compareRoleNames,
  detectExportProvider,
  matchesAzurePattern,
  readAzureExports,
  readGcpExports,
  roleCatalogFromExports,
} from '@ciem/entitlements';
import type { ExportDocument, GcpCustomRolesSupportLevel, RoleCatalog } from '@ciem/entitlements';
import type { CandidateRole } from './types.js';

/** Default of `RightsizingOptions.maxExtraPermissions`. */
export const DEFAULT_MAX_EXTRA_PERMISSIONS = 10;

/**
 * Collects the roles a recommendation may propose from IAM export documents: Azure role
 * definitions of type `BuiltInRole` and GCP roles named `roles/...` (predefined), sorted by
 * name (see `roleCatalogFromExports`). Documents of other providers are skipped.
 */
export function candidateRolesFromExports(documents: Iterable<ExportDocument>): CandidateRole[] {
  return candidateRolesOf(roleCatalogFromExports(documents));
}

/** Returns the roles of a catalog that a recommendation may propose, sorted by name. */
export function candidateRolesOf(catalog: RoleCatalog): CandidateRole[] {
  return [...catalog.azure, ...catalog.gcp].sort(compareRoleNames);
}

/**
 * Collects the custom role support level of each GCP permission from export documents
 * (IAM `permissions.queryTestablePermissions` records, see `readGcpExports`). Returns
 * `undefined` when the documents carry no support levels.
 */
export function gcpCustomRoleSupportFromExports(
  documents: Iterable<ExportDocument>,
): ReadonlyMap<string, GcpCustomRolesSupportLevel> | undefined {
  const gcp = [...documents].filter((d) => detectExportProvider(d.value) === 'gcp');
  if (gcp.length === 0) return undefined;
  return supportOrUndefined(readGcpExports(gcp).permissionSupport);
}

/** Returns the GCP custom role support levels of a catalog, or `undefined` when it has none. */
export function gcpCustomRoleSupportOf(
  catalog: RoleCatalog,
): ReadonlyMap<string, GcpCustomRolesSupportLevel> | undefined {
  return supportOrUndefined(catalog.gcpPermissionSupport);
}

function supportOrUndefined(
  support: ReadonlyMap<string, GcpCustomRolesSupportLevel>,
): ReadonlyMap<string, GcpCustomRolesSupportLevel> | undefined {
  return support.size === 0 ? undefined : support;
}

/**
 * Collects the known Azure operations from export documents: the provider operations when
 * the export has them, else the operations role definitions name without a wildcard (a
 * partial list). Returns `undefined` without Azure documents.
 */
export function azureOperationsFromExports(
  documents: Iterable<ExportDocument>,
): { actions: string[]; dataActions: string[] } | undefined {
  const azure = [...documents].filter((d) => detectExportProvider(d.value) === 'azure');
  if (azure.length === 0) return undefined;
  const exported = readAzureExports(azure);
  const catalog =
    exported.operations.length > 0
      ? azureCatalogFromOperations(exported.operations)
      : azureCatalogFromRoleDefinitions(exported.roleDefinitions);
  return { actions: [...catalog.actions], dataActions: [...catalog.dataActions] };
}

/** Returns whether an Azure role allows an operation (or pattern) as a control or data action. */
export function azureRoleAllows(role: CandidateRole, operation: string, data: boolean): boolean {
  const allows = data ? role.data_actions : role.actions;
  const denies = data ? role.not_data_actions : role.not_actions;
  if (!allows.some((pattern) => matchesAzurePattern(pattern, operation))) return false;
  return !denies.some((pattern) => matchesAzurePattern(pattern, operation));
}

/** Candidate roles prepared once per analysis. */
export interface PreparedRoles {
  azure: CandidateRole[];
  /** Operations the Azure roles and grants name exactly, the set extras are counted over. */
  azureOperations: { operation: string; data: boolean }[];
  /** Per Azure role name: the operations of `azureOperations` it allows. */
  azureAllowed: Map<string, Set<string>>;
  gcp: { name: string; permissions: Set<string> }[];
  /** GCP permission to the roles that contain it. */
  gcpByPermission: Map<string, { name: string; permissions: Set<string> }[]>;
}

const prepared = new WeakMap<readonly CandidateRole[], PreparedRoles>();

/** Indexes the candidate roles; the result is cached per roles array. */
export function prepareRoles(roles: readonly CandidateRole[]): PreparedRoles {
  const cached = prepared.get(roles);
  if (cached !== undefined) return cached;
  const azure = roles.filter((role) => role.provider === 'azure');
  const operations = new Map<string, { operation: string; data: boolean }>();
  for (const role of azure) {
    for (const action of role.actions) {
      if (!action.includes('*')) operations.set(`c${action}`, { operation: action, data: false });
    }
    for (const action of role.data_actions) {
      if (!action.includes('*')) operations.set(`d${action}`, { operation: action, data: true });
    }
  }
  const azureOperations = [...operations.values()];
  const azureAllowed = new Map<string, Set<string>>();
  for (const role of azure) {
    const allowed = new Set<string>();
    for (const { operation, data } of azureOperations) {
      if (azureRoleAllows(role, operation, data)) allowed.add(`${data ? 'd' : 'c'}${operation}`);
    }
    azureAllowed.set(role.name, allowed);
  }

  const gcp = roles
    .filter((role) => role.provider === 'gcp')
    .map((role) => ({ name: role.name, permissions: new Set(role.actions) }));
  const gcpByPermission = new Map<string, { name: string; permissions: Set<string> }[]>();
  for (const role of gcp) {
    for (const permission of role.permissions) {
      const list = gcpByPermission.get(permission) ?? [];
      list.push(role);
      gcpByPermission.set(permission, list);
    }
  }
  const result = { azure, azureOperations, azureAllowed, gcp, gcpByPermission };
  prepared.set(roles, result);
  return result;
}
