/**
 * Reads the role catalog that the entitlements service writes with each snapshot
 * (`role_catalog` and `gcp_permission_support`, schemas/clickhouse/0012_role_catalog.sql)
 * as the `candidateRoles` and `gcpCustomRoleSupport` options of `analyzeRightsizing`.
 * Values reach the SQL only through the quoting functions of `@ciem/clickhouse`. Checked
 * against 18.16.
 */
import type { ClickHouse } from '@ciem/clickhouse';
import { quoteNumber, quoteString, quoteTableName } from '@ciem/clickhouse';
import { compareRoleNames } from '@ciem/entitlements';
import type { GcpCustomRolesSupportLevel } from '@ciem/entitlements';
import type { CandidateRole } from '@ciem/rightsizing';
import type { SnapshotKey } from './analysis-inputs.js';

/** One `role_catalog` row as `readRoleCatalog` selects it. */
export interface RoleCatalogQueryRow {
  provider: string;
  role_name: string;
  role_id: string;
  actions: string[];
  not_actions: string[];
  data_actions: string[];
  not_data_actions: string[];
}

/** One `gcp_permission_support` row as `readRoleCatalog` selects it. */
export interface PermissionSupportQueryRow {
  permission: string;
  support_level: string;
}

/** The analysis options read from the role catalog of the latest snapshots. */
export interface RoleCatalogInputs {
  /** Azure built-in and GCP predefined roles, sorted by name, each name once. */
  candidateRoles: CandidateRole[];
  /** GCP permission to custom role support level; `undefined` when no snapshot has one. */
  gcpCustomRoleSupport: ReadonlyMap<string, GcpCustomRolesSupportLevel> | undefined;
}

/**
 * Converts a `role_catalog` row to a `CandidateRole`. Returns `undefined` for a provider
 * that has no candidate roles (anything but `azure` and `gcp`), which no writer produces.
 */
export function toCandidateRole(row: RoleCatalogQueryRow): CandidateRole | undefined {
  if (row.provider !== 'azure' && row.provider !== 'gcp') return undefined;
  return {
    provider: row.provider,
    name: row.role_name,
    ...(row.provider === 'azure' ? { id: row.role_id } : {}),
    actions: row.actions,
    not_actions: row.not_actions,
    data_actions: row.data_actions,
    not_data_actions: row.not_data_actions,
  };
}

const SUPPORT_LEVEL_RANK: Readonly<Record<GcpCustomRolesSupportLevel, number>> = {
  SUPPORTED: 0,
  TESTING: 1,
  NOT_SUPPORTED: 2,
};

/** Returns whether a `support_level` value is one of the IAM v1 levels. */
export function isSupportLevel(value: string): value is GcpCustomRolesSupportLevel {
  return Object.hasOwn(SUPPORT_LEVEL_RANK, value);
}

/**
 * Adds support levels to `levels`. When two snapshots (two GCP organizations or projects)
 * give one permission different levels, the more restrictive one is kept, because the
 * analyzer proposes one custom role for either scope. A value that is not an IAM v1 level
 * is skipped, and the permission counts as unlisted.
 */
export function mergeSupportLevels(
  levels: Map<string, GcpCustomRolesSupportLevel>,
  rows: Iterable<PermissionSupportQueryRow>,
): void {
  for (const row of rows) {
    if (!isSupportLevel(row.support_level)) continue;
    const known = levels.get(row.permission);
    if (known === undefined || SUPPORT_LEVEL_RANK[row.support_level] > SUPPORT_LEVEL_RANK[known]) {
      levels.set(row.permission, row.support_level);
    }
  }
}

/**
 * A collection of the entitlements service: its Azure or GCP snapshot and the catalog
 * written with it share the provider and `taken_at_ms`.
 */
interface Collection {
  provider: 'azure' | 'gcp';
  takenAtMs: number;
}

/**
 * Lists the collections of the Azure and GCP snapshots, once each, in the given order.
 * The catalog's `account_id` is the snapshot header's (an Azure tenant, a GCP organization
 * or project). A listed snapshot's `account_id` comes from its entitlement rows, which name
 * each principal's own subscription or project. So snapshots and catalogs are matched by
 * provider and time only.
 */
function collectionsOf(snapshots: readonly SnapshotKey[]): Collection[] {
  const seen = new Set<string>();
  const collections: Collection[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.provider !== 'azure' && snapshot.provider !== 'gcp') continue;
    const key = `${snapshot.provider}\u0000${snapshot.taken_at_ms}`;
    if (seen.has(key)) continue;
    seen.add(key);
    collections.push({ provider: snapshot.provider, takenAtMs: snapshot.taken_at_ms });
  }
  return collections;
}

/**
 * Builds the WHERE condition of one collection's rows. `snapshot_time` is the partition
 * column, so the condition on it lets the server skip other months.
 */
function collectionFilter(collection: Collection): string {
  const takenAt = quoteNumber(collection.takenAtMs, { integer: true });
  const seconds = quoteNumber(Math.floor(collection.takenAtMs / 1000), { integer: true });
  return `taken_at_ms = ${takenAt} AND snapshot_time = toDateTime(${seconds}, 'UTC')`;
}

/**
 * Reads the role catalog of the given snapshots, normally those of `listLatestSnapshots`.
 * It runs one query per table and collection (provider and `taken_at_ms`) of an Azure or
 * GCP snapshot, and none for AWS. A role found in several collections is kept once, from
 * the first one in the given order. Rows written twice (before their parts merge) are read
 * once, because the query keeps the latest `written_at` per key (`LIMIT 1 BY`).
 *
 * The catalogs of all given snapshots are pooled into one list, so a snapshot without
 * catalog rows (written before `role_catalog` existed, or by an entitlements service without
 * ClickHouse) still gets the roles of the others. NOTE: when no snapshot of a provider has
 * catalog rows, its principals get custom roles only, and without support levels GCP custom
 * roles are not checked for NOT_SUPPORTED permissions, as without the exports.
 */
export async function readRoleCatalog(
  client: Pick<ClickHouse, 'query'>,
  database: string,
  snapshots: readonly SnapshotKey[],
): Promise<RoleCatalogInputs> {
  const roleTable = quoteTableName(`${database}.role_catalog`);
  const supportTable = quoteTableName(`${database}.gcp_permission_support`);
  const roles = new Map<string, CandidateRole>();
  const levels = new Map<string, GcpCustomRolesSupportLevel>();

  for (const collection of collectionsOf(snapshots)) {
    const rows = await client.query<RoleCatalogQueryRow>(
      [
        'SELECT provider, role_name, role_id, actions, not_actions, data_actions, not_data_actions',
        `FROM ${roleTable}`,
        `WHERE provider = ${quoteString(collection.provider)} AND ${collectionFilter(collection)}`,
        'ORDER BY role_name, role_id, written_at DESC',
        'LIMIT 1 BY role_name, role_id',
      ].join('\n'),
    );
    for (const row of rows) {
      const role = toCandidateRole(row);
      const key = `${row.provider}\u0000${row.role_name}`;
      if (role !== undefined && !roles.has(key)) roles.set(key, role);
    }

    if (collection.provider !== 'gcp') continue;
    const support = await client.query<PermissionSupportQueryRow>(
      [
        'SELECT permission, support_level',
        `FROM ${supportTable}`,
        `WHERE ${collectionFilter(collection)}`,
        'ORDER BY permission, written_at DESC',
        'LIMIT 1 BY permission',
      ].join('\n'),
    );
    mergeSupportLevels(levels, support);
  }

  const candidateRoles = [...roles.values()].sort(compareRoleNames);
  return { candidateRoles, gcpCustomRoleSupport: levels.size === 0 ? undefined : levels };
}
