import { quoteNumber, quoteString } from '@ciem/clickhouse';
import type { QueryStoreOptions } from './store.js';
import {
  dateBetween,
  dateTimeBetween,
  equalsIfSet,
  select,
  tableName,
  toNumber,
  whereAll,
} from './store.js';
import type { TimeWindow } from './window.js';

/** Principal of `readPrincipal`; provider and account narrow an id seen in several accounts. */
export interface PrincipalQuery {
  principalId: string;
  provider?: string | undefined;
  accountId?: string | undefined;
  window: TimeWindow;
  /** Rows per list (entitlements, use), already checked against the maximum. */
  limit: number;
}

/** One grant of the latest entitlement snapshot of the principal's account. */
export interface EntitlementEntry {
  provider: string;
  account_id: string;
  permission: string;
  resource: string;
  via: string;
  conditional: boolean;
  data_action: boolean;
  /** Snapshot time, epoch milliseconds. */
  taken_at: number;
}

/**
 * Use of one permission with one outcome in the window, from `principal_permission_usage`
 * (sorted by principal first, so a detail reads only the principal's rows).
 */
export interface UsageEntry {
  provider: string;
  account_id: string;
  permission: string;
  outcome: string;
  /** Distinct events (an estimate beyond small counts, see `uniq`). */
  events: number;
  first_seen: number;
  last_seen: number;
}

/** Latest right-sizing result of the principal in one account. */
export interface RecommendationEntry {
  provider: string;
  account_id: string;
  team: string;
  status: string;
  score: number;
  confidence: number;
  window_end: number;
  unused_permissions: string[];
  recommendation_kind: string;
  removes: string[];
}

/** Everything the API shows about one principal. */
export interface PrincipalDetail {
  principal_id: string;
  principal_type: string;
  principal_name: string;
  admin: boolean;
  /** Latest event with a permission in the window, epoch milliseconds; null when none. */
  last_activity: number | null;
  entitlements: EntitlementEntry[];
  entitlements_truncated: boolean;
  usage: UsageEntry[];
  usage_truncated: boolean;
  recommendations: RecommendationEntry[];
}

interface EntitlementRow extends Omit<
  EntitlementEntry,
  'conditional' | 'data_action' | 'taken_at'
> {
  conditional: number;
  data_action: number;
  taken_at_ms: string | number;
  admin: number;
  principal_type: string;
  principal_name: string;
}

interface UsageRow extends Omit<UsageEntry, 'events' | 'first_seen' | 'last_seen'> {
  events: string | number;
  first_seen_ms: string | number;
  last_seen_ms: string | number;
}

interface RecommendationRow extends Omit<RecommendationEntry, 'window_end'> {
  window_end_ms: string | number;
  principal_type: string;
  principal_name: string;
}

/**
 * Reads a principal's latest entitlement snapshot in the window, its permission use and its
 * latest recommendations. Returns undefined when none of the three has a row.
 */
export async function readPrincipal(
  options: QueryStoreOptions,
  query: PrincipalQuery,
): Promise<PrincipalDetail | undefined> {
  const scope = [
    `principal_id = ${quoteString(query.principalId)}`,
    ...equalsIfSet('provider', query.provider),
    ...equalsIfSet('account_id', query.accountId),
  ];
  const limit = quoteNumber(query.limit + 1, { integer: true });
  const entitlementScope = whereAll([...scope, dateTimeBetween('snapshot_time', query.window)]);

  // NOTE: the snapshot is the latest one that lists this principal, so a principal removed
  // from a later snapshot of its account still shows the grants it had then.
  const usageScope = whereAll([...scope, dateBetween('day', query.window)]);
  const [entitlements, usage, recommendations, activity] = await Promise.all([
    select<EntitlementRow>(
      options,
      `SELECT provider, account_id, taken_at_ms, permission, resource, via, conditional,
         data_action, max(admin) AS admin, any(principal_type) AS principal_type,
         any(principal_name) AS principal_name
       FROM ${tableName(options, 'entitlements')}
       WHERE ${entitlementScope}
         AND (provider, account_id, taken_at_ms) IN (
           SELECT provider, account_id, max(taken_at_ms)
           FROM ${tableName(options, 'entitlements')}
           WHERE ${entitlementScope}
           GROUP BY provider, account_id)
       GROUP BY provider, account_id, taken_at_ms, permission, resource, via, conditional, data_action
       ORDER BY permission, resource, via
       LIMIT ${limit}`,
    ),
    select<UsageRow>(
      options,
      `SELECT provider, account_id, permission, outcome,
         uniqMerge(unique_events) AS events,
         toUnixTimestamp(minMerge(first_seen)) * 1000 AS first_seen_ms,
         toUnixTimestamp(maxMerge(last_seen)) * 1000 AS last_seen_ms
       FROM ${tableName(options, 'principal_permission_usage')}
       WHERE ${usageScope}
       GROUP BY provider, account_id, permission, outcome
       ORDER BY permission, outcome, provider, account_id
       LIMIT ${limit}`,
    ),
    select<RecommendationRow>(
      options,
      `SELECT provider, account_id, team, status, score, confidence,
         toUnixTimestamp(window_end) * 1000 AS window_end_ms, unused_permissions,
         recommendation_kind, removes, principal_type, principal_name
       FROM ${tableName(options, 'recommendations')}
       WHERE ${whereAll([...scope, dateTimeBetween('window_end', query.window)])}
       ORDER BY window_end DESC, written_at DESC
       LIMIT 1 BY provider, account_id
       LIMIT ${limit}`,
    ),
    select<{ last_activity: number }>(
      options,
      `SELECT toUnixTimestamp(maxMerge(last_seen)) AS last_activity
       FROM ${tableName(options, 'principal_activity')}
       WHERE ${usageScope}`,
    ),
  ]);
  if (entitlements.length === 0 && usage.length === 0 && recommendations.length === 0) {
    return undefined;
  }

  const named = recommendations[0] ?? entitlements[0];
  const usageItems = usage.slice(0, query.limit).map((row) => ({
    provider: row.provider,
    account_id: row.account_id,
    permission: row.permission,
    outcome: row.outcome,
    events: toNumber(row.events),
    first_seen: toNumber(row.first_seen_ms),
    last_seen: toNumber(row.last_seen_ms),
  }));
  const lastActivity = toNumber(activity[0]?.last_activity ?? 0);
  return {
    principal_id: query.principalId,
    principal_type: named?.principal_type ?? '',
    principal_name: named?.principal_name ?? '',
    admin: entitlements.some((row) => row.admin === 1),
    last_activity: lastActivity === 0 ? null : lastActivity * 1000,
    entitlements: entitlements.slice(0, query.limit).map((row) => ({
      provider: row.provider,
      account_id: row.account_id,
      permission: row.permission,
      resource: row.resource,
      via: row.via,
      conditional: row.conditional === 1,
      data_action: row.data_action === 1,
      taken_at: toNumber(row.taken_at_ms),
    })),
    entitlements_truncated: entitlements.length > query.limit,
    usage: usageItems,
    usage_truncated: usage.length > query.limit,
    recommendations: recommendations.slice(0, query.limit).map((row) => ({
      provider: row.provider,
      account_id: row.account_id,
      team: row.team,
      status: row.status,
      score: row.score,
      confidence: row.confidence,
      window_end: toNumber(row.window_end_ms),
      unused_permissions: row.unused_permissions,
      recommendation_kind: row.recommendation_kind,
      removes: row.removes,
    })),
  };
}
