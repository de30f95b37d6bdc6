import { detectExportProvider, readAzureExports, readGcpExports } from '@ciem/entitlements';
import type {
  ExportDocument,
  GcpCustomRolesSupportLevel,
  SnapshotHeader,
} from '@ciem/entitlements';

/**
 * A role that right-sizing may propose in place of a custom one, in the shape of
 * `CandidateRole` of `@ciem/rightsizing`: an Azure built-in role (lower-cased operation
 * patterns) or a GCP predefined role (exact permissions in `actions`).
 */
export interface CatalogRole {
  provider: 'azure' | 'gcp';
  /** Azure role name (`Reader`) or GCP role name (`roles/storage.objectViewer`). */
  name: string;
  /** Azure role definition id; '' for GCP. */
  id: string;
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

/** Orders roles by name in UTF-16 code unit order, as `candidateRolesFromExports` does. */
function byName(a: CatalogRole, b: CatalogRole): number {
  if (a.name < b.name) return -1;
  if (a.name > b.name) return 1;
  return 0;
}

/**
 * Collects the role catalog of IAM export documents. It keeps Azure role definitions whose
 * `roleType` is `BuiltInRole` and GCP roles named `roles/...`, the predefined ones, because
 * custom roles are named `projects/.../roles/...` or `organizations/.../roles/...`. It adds
 * the GCP support levels of `permissions.queryTestablePermissions` records. These are the
 * roles that `candidateRolesFromExports` of `@ciem/rightsizing` gives the embedded run.
 * Unreadable records are skipped here, because `evaluateExportDocuments` reports them.
 */
export function roleCatalogFromExports(documents: Iterable<ExportDocument>): RoleCatalog {
  const azureDocuments: ExportDocument[] = [];
  const gcpDocuments: ExportDocument[] = [];
  for (const document of documents) {
    const provider = detectExportProvider(document.value);
    if (provider === 'azure') azureDocuments.push(document);
    else if (provider === 'gcp') gcpDocuments.push(document);
  }

  const azure: CatalogRole[] = [];
  if (azureDocuments.length > 0) {
    const lower = (names: readonly string[]): string[] => names.map((n) => n.toLowerCase());
    for (const definition of readAzureExports(azureDocuments).roleDefinitions) {
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
  }

  const gcp: CatalogRole[] = [];
  let gcpPermissionSupport: ReadonlyMap<string, GcpCustomRolesSupportLevel> = new Map();
  if (gcpDocuments.length > 0) {
    const exported = readGcpExports(gcpDocuments);
    for (const role of exported.roles.values()) {
      if (!role.name.startsWith('roles/')) continue;
      gcp.push({
        provider: 'gcp',
        name: role.name,
        id: '',
        actions: [...role.includedPermissions],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
      });
    }
    gcpPermissionSupport = exported.permissionSupport;
  }

  return { azure: azure.sort(byName), gcp: gcp.sort(byName), gcpPermissionSupport };
}

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
  let roles: readonly CatalogRole[] = [];
  if (header.provider === 'azure') roles = catalog.azure;
  if (header.provider === 'gcp') roles = catalog.gcp;
  for (const role of roles) {
    yield {
      provider: header.provider,
      account_id: header.account_id,
      taken_at_ms: header.taken_at,
      snapshot_time: Math.floor(header.taken_at / 1000),
      role_name: role.name,
      role_id: role.id,
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
