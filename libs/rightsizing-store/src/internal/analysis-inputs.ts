/**
 * Reads the right-sizing inputs from ClickHouse: the latest entitlement snapshot of every
 * account (`entitlements`, schemas/clickhouse/0004_entitlements.sql) as
 * `PrincipalEntitlements`, and the permission use (`permission_usage`,
 * schemas/clickhouse/0002_permission_usage.sql) as `PermissionUsage` rows. Values reach the
 * SQL only through the quoting functions of `@ciem/clickhouse`. Checked against 18.16.
 */
import type { ClickHouse } from '@ciem/clickhouse';
import { quoteDateTime, quoteNumber, quoteString, quoteTableName } from '@ciem/clickhouse';
import type { Finding, Grant, PrincipalEntitlements } from '@ciem/entitlements';
import type { Provider, Visibility } from '@ciem/events';
import {
  awsPermissionVisibility,
  azurePermissionVisibility,
  gcpPermissionVisibility,
} from '@ciem/permission-map';
import type { PermissionUsage } from '@ciem/usage';

const PROVIDERS: ReadonlySet<string> = new Set(['aws', 'azure', 'gcp']);

/** A snapshot found in the `entitlements` table. */
export interface SnapshotKey {
  provider: Provider;
  account_id: string;
  /** Milliseconds since the Unix epoch. */
  taken_at_ms: number;
}

interface EntitlementQueryRow {
  principal_id: string;
  principal_type: string;
  principal_name: string;
  admin: number;
  permission: string;
  resource: string;
  conditional: number;
  conditions: string;
  via: string;
  data_action: number;
}

/**
 * Lists the latest snapshot (largest `taken_at_ms`) of each provider and account, sorted
 * by provider and account.
 */
export async function listLatestSnapshots(
  client: Pick<ClickHouse, 'query'>,
  database: string,
): Promise<SnapshotKey[]> {
  const table = quoteTableName(`${database}.entitlements`);
  const rows = await client.query<{ provider: string; account_id: string; taken_at_ms: string }>(
    `SELECT provider, account_id, max(taken_at_ms) AS taken_at_ms FROM ${table} GROUP BY provider, account_id ORDER BY provider, account_id`,
  );
  return rows
    .filter((row) => PROVIDERS.has(row.provider))
    .map((row) => ({
      provider: row.provider as Provider,
      account_id: row.account_id,
      taken_at_ms: Number(row.taken_at_ms),
    }));
}

/**
 * Builds the finding that an `admin` flag of 1 records. The table keeps only the flag, so
 * the path and summary of the original finding are lost.
 */
function adminFinding(principalId: string): Finding {
  return {
    kind: 'admin-equivalent',
    severity: 'critical',
    summary: 'admin-equivalent grants in the entitlements snapshot',
    path: [principalId],
  };
}

/**
 * Reads one snapshot's rows and groups them into principals, sorted by principal id.
 * Rows written twice (before their parts merge) are read once, because the query groups
 * by the table's whole sorting key.
 *
 * NOTE: the table stores no tags, so `tags` is empty and ownership comes only from the
 * account map. Findings other than admin-equivalent are not stored either.
 */
export async function readSnapshotPrincipals(
  client: Pick<ClickHouse, 'query'>,
  database: string,
  snapshot: SnapshotKey,
): Promise<PrincipalEntitlements[]> {
  const table = quoteTableName(`${database}.entitlements`);
  const rows = await client.query<EntitlementQueryRow>(
    [
      'SELECT principal_id, any(principal_type) AS principal_type, any(principal_name) AS principal_name,',
      '  max(admin) AS admin, permission, resource, conditional, conditions, via, data_action',
      `FROM ${table}`,
      `WHERE provider = ${quoteString(snapshot.provider)}`,
      `  AND account_id = ${quoteString(snapshot.account_id)}`,
      `  AND taken_at_ms = ${quoteNumber(snapshot.taken_at_ms, { integer: true })}`,
      'GROUP BY principal_id, permission, resource, via, conditions, conditional, data_action',
      'ORDER BY principal_id, permission, resource, via',
    ].join('\n'),
  );
  const principals: PrincipalEntitlements[] = [];
  let current: PrincipalEntitlements | undefined;
  for (const row of rows) {
    if (current?.principal_id !== row.principal_id) {
      current = {
        provider: snapshot.provider,
        account_id: snapshot.account_id,
        principal_id: row.principal_id,
        principal_type: row.principal_type,
        principal_name: row.principal_name,
        tags: {},
        grants: [],
        findings: [],
      };
      principals.push(current);
    }
    if (Number(row.admin) === 1 && current.findings.length === 0) {
      current.findings.push(adminFinding(row.principal_id));
    }
    const grant: Grant = {
      permission: row.permission,
      resource: row.resource,
      conditional: Number(row.conditional) === 1,
      via: row.via,
      ...(row.conditions === '' ? {} : { conditions: row.conditions }),
      ...(Number(row.data_action) === 1 ? { data_action: true } : {}),
    };
    current.grants.push(grant);
  }
  return principals;
}

/**
 * Reads the principals of every account's latest snapshot.
 *
 * NOTE: every grant of every principal is held in memory at once, one query per snapshot.
 * An estate whose grants do not fit needs analysis per account, which is not built yet.
 */
export async function readLatestEntitlements(
  client: Pick<ClickHouse, 'query'>,
  database: string,
): Promise<{ snapshots: SnapshotKey[]; principals: PrincipalEntitlements[] }> {
  const snapshots = await listLatestSnapshots(client, database);
  const principals: PrincipalEntitlements[] = [];
  for (const snapshot of snapshots) {
    principals.push(...(await readSnapshotPrincipals(client, database, snapshot)));
  }
  return { snapshots, principals };
}

/** Options of `readPermissionUsage`. Times are milliseconds since the Unix epoch. */
export interface PermissionUsageQuery {
  /** Window start, inclusive. */
  windowStart: number;
  /** Window end, exclusive. */
  windowEnd: number;
  /**
   * Start of the history read before the window, so that principals seen only before it
   * count as inactive rather than never used. Defaults to `windowStart`.
   */
  historyStart?: number;
  /** Distinct resources kept per row; 20 by default, as `UsageStore` keeps. */
  maxResources?: number;
}

interface UsageQueryRow {
  provider: string;
  account_id: string;
  principal_id: string;
  permission: string;
  in_window: number;
  outcome: string;
  calls: string;
  first_seen: number;
  last_seen: number;
  resources: string[];
}

/**
 * Visibility of a permission seen in `permission_usage`, which does not store the event's
 * own `action.visibility`. The permission map returns the value the normalizer used.
 * Azure data actions are not told apart here, so they count as logged control-plane use.
 */
function visibilityOf(provider: Provider, permission: string): Visibility {
  if (provider === 'aws') return awsPermissionVisibility(permission);
  if (provider === 'azure') return azurePermissionVisibility(permission, { dataAction: false });
  return gcpPermissionVisibility(permission);
}

/**
 * Reads permission use in one scan of `permission_usage`, merging the aggregate states
 * with the -Merge functions. Returns one `PermissionUsage` per provider, account,
 * principal and permission for the window, and one more for the history before it when
 * there was use then. `allowed_count` counts `success` and `failed` calls, `denied_count`
 * the `denied` ones, as `UsageStore` does.
 *
 * NOTE: `event_count` counts redelivered events again (see the table's header), so counts
 * may be high after a redelivery; presence and first/last seen are exact.
 */
export async function readPermissionUsage(
  client: Pick<ClickHouse, 'query'>,
  database: string,
  query: PermissionUsageQuery,
): Promise<PermissionUsage[]> {
  const table = quoteTableName(`${database}.permission_usage`);
  const historyStart = Math.min(query.historyStart ?? query.windowStart, query.windowStart);
  const maxResources = query.maxResources ?? 20;
  // The table has one row per UTC day, so a row of the window's first day may contain
  // calls from before the window start. first_seen and last_seen keep the exact times,
  // and the analysis compares those with the window.
  const windowStartDay = `toDate(${quoteDateTime(query.windowStart)})`;
  const rows = await client.query<UsageQueryRow>(
    [
      'SELECT provider, account_id, principal_id, permission,',
      `  day >= ${windowStartDay} AS in_window, outcome,`,
      '  countMerge(event_count) AS calls,',
      '  toUInt32(minMerge(first_seen)) AS first_seen,',
      '  toUInt32(maxMerge(last_seen)) AS last_seen,',
      // 18.16 has no groupUniqArray(max_size); the slice keeps the result small.
      `  arraySlice(groupUniqArrayIf(resource, resource != ''), 1, ${quoteNumber(maxResources, { integer: true })}) AS resources`,
      `FROM ${table}`,
      `WHERE day >= toDate(${quoteDateTime(historyStart)})`,
      `  AND day <= toDate(${quoteDateTime(query.windowEnd)})`,
      'GROUP BY provider, account_id, principal_id, permission, in_window, outcome',
    ].join('\n'),
  );

  const merged = new Map<string, PermissionUsage>();
  for (const row of rows) {
    if (!PROVIDERS.has(row.provider)) continue;
    const provider = row.provider as Provider;
    const key = [provider, row.account_id, row.principal_id, row.permission, row.in_window].join(
      '\u0000',
    );
    const calls = Number(row.calls);
    const firstSeen = Number(row.first_seen) * 1000;
    const lastSeen = Number(row.last_seen) * 1000;
    let usage = merged.get(key);
    if (usage === undefined) {
      usage = {
        provider,
        account_id: row.account_id,
        principal_id: row.principal_id,
        permission: row.permission,
        visibility: visibilityOf(provider, row.permission),
        allowed_count: 0,
        denied_count: 0,
        first_seen: firstSeen,
        last_seen: lastSeen,
        resources: [],
      };
      merged.set(key, usage);
    }
    if (row.outcome === 'denied') usage.denied_count += calls;
    else usage.allowed_count += calls;
    usage.first_seen = Math.min(usage.first_seen, firstSeen);
    usage.last_seen = Math.max(usage.last_seen, lastSeen);
    for (const resource of row.resources) {
      if (usage.resources.length >= maxResources) break;
      if (!usage.resources.includes(resource)) usage.resources.push(resource);
    }
  }
  return [...merged.values()];
}
