import type { AzureExport } from '../azure/azure-export.js';
import type { GcpExport } from '../gcp/gcp-export.js';
import type { GcpCustomRolesSupportLevel } from '../gcp/gcp-permissions.js';

/**
 * A role that right-sizing may propose in place of a custom one (`CandidateRole` of
 * `@ciem/rightsizing`): an Azure built-in role (lower-cased operation patterns) or a GCP
 * predefined role (exact permissions in `actions`).
 */
export interface CatalogRole {
  provider: 'azure' | 'gcp';
  /** Azure role name (`Reader`) or GCP role name (`roles/storage.objectViewer`). */
  name: string;
  /** Azure role definition id; absent for GCP. */
  id?: string;
  actions: string[];
  not_actions: string[];
  data_actions: string[];
  not_data_actions: string[];
}

/** The roles and GCP permission support levels found in a set of IAM export documents. */
export interface RoleCatalog {
  /** Sorted by name. */
  azure: CatalogRole[];
  /** Sorted by name. */
  gcp: CatalogRole[];
  /** GCP permission name to its `customRolesSupportLevel`; empty when the export has none. */
  gcpPermissionSupport: ReadonlyMap<string, GcpCustomRolesSupportLevel>;
}

/** Orders roles by name in UTF-16 code unit order, the order of every role list here. */
export function compareRoleNames(
  a: Pick<CatalogRole, 'name'>,
  b: Pick<CatalogRole, 'name'>,
): number {
  if (a.name < b.name) return -1;
  if (a.name > b.name) return 1;
  return 0;
}

/**
 * Collects the role catalog of read IAM exports. It keeps Azure role definitions whose
 * `roleType` is `BuiltInRole` and GCP roles named `roles/...`, the predefined ones, because
 * custom roles are named `projects/.../roles/...` or `organizations/.../roles/...`. It adds
 * the GCP support levels of `permissions.queryTestablePermissions` records. The embedded run
 * passes these roles to right-sizing directly, and the entitlements service stores them
 * with each snapshot for the distributed analyzer.
 */
export function roleCatalogOf(
  azureExport: AzureExport | undefined,
  gcpExport: GcpExport | undefined,
): RoleCatalog {
  const azure: CatalogRole[] = [];
  const lower = (names: readonly string[]): string[] => names.map((n) => n.toLowerCase());
  for (const definition of azureExport?.roleDefinitions ?? []) {
    if (definition.roleType !== 'BuiltInRole') continue;
    azure.push({
      provider: 'azure',
      name: definition.roleName,
      id: definition.id,
      actions: definition.permissions.flatMap((block) => lower(block.actions)),
      not_actions: definition.permissions.flatMap((block) => lower(block.notActions)),
      data_actions: definition.permissions.flatMap((block) => lower(block.dataActions)),
      not_data_actions: definition.permissions.flatMap((block) => lower(block.notDataActions)),
    });
  }

  const gcp: CatalogRole[] = [];
  for (const role of gcpExport?.roles.values() ?? []) {
    if (!role.name.startsWith('roles/')) continue;
    gcp.push({
      provider: 'gcp',
      name: role.name,
      actions: [...role.includedPermissions],
      not_actions: [],
      data_actions: [],
      not_data_actions: [],
    });
  }

  return {
    azure: azure.sort(compareRoleNames),
    gcp: gcp.sort(compareRoleNames),
    gcpPermissionSupport: gcpExport?.permissionSupport ?? new Map(),
  };
}
