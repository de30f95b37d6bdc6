import { quoteNumber, quoteString } from '@ciem/clickhouse';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Page, QueryStoreOptions } from './store.js';
import {
  dateBetween,
  dateTimeBetween,
  equalsIfSet,
  keysetBetween,
  keysetAfter,
  quoteInList,
  select,
  tableName,
  toNumber,
  whereAll,
} from './store.js';
import type { TimeWindow } from './window.js';

/** Filters of `listPrincipals`. */
export interface PrincipalFilter {
  window: TimeWindow;
  provider?: string | undefined;
  accountId?: string | undefined;
  /** Rows per page, already checked against the maximum. */
  limit: number;
  cursor?: string | undefined;
}

/** Latest right-sizing result of a principal, from the `recommendations` table. */
export interface PrincipalScore {
  score: number;
  confidence: number;
  status: string;
  team: string;
  principal_type: string;
  principal_name: string;
  /** End of the analysis window, epoch milliseconds. */
  analyzed_until: number;
}

/** One principal of the list: its use in the window and its latest score. */
export interface PrincipalSummary {
  provider: string;
  account_id: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  /** Distinct permissions used successfully in the window. */
  permissions_used: number;
  /** Permission uses in the window, every outcome; an event with several permissions counts once per permission. */
  permission_uses: number;
  /** Latest event with a permission in the window, epoch milliseconds. */
  last_activity: number;
  /** Latest score in the window, or null when no analysis ended in the window. */
  score: number | null;
  team: string | null;
}

const CURSOR_KIND = 'principals';

interface UsageRow {
  provider: string;
  account_id: string;
  principal_id: string;
  permissions_used: string | number;
  permission_uses: string | number;
  last_activity: number;
}

interface ScoreRow {
  provider: string;
  account_id: string;
  principal_id: string;
  score: number;
  confidence: number;
  status: string;
  team: string;
  principal_type: string;
  principal_name: string;
  analyzed_until: number;
}

function principalKey(row: { provider: string; account_id: string; principal_id: string }): string {
  return JSON.stringify([row.provider, row.account_id, row.principal_id]);
}

/**
 * Reads the latest score of each principal of `ids` whose analysis window ended inside
 * `window`, keyed by `principalKey`.
 */
export async function readScores(
  options: QueryStoreOptions,
  ids: readonly string[],
  window: TimeWindow,
  extra: readonly string[] = [],
): Promise<Map<string, ScoreRow>> {
  if (ids.length === 0) return new Map();
  const rows = await select<ScoreRow>(
    options,
    `SELECT provider, account_id, principal_id,
       argMax(score, window_end) AS score, argMax(confidence, window_end) AS confidence,
       argMax(status, window_end) AS status, argMax(team, window_end) AS team,
       argMax(principal_type, window_end) AS principal_type,
       argMax(principal_name, window_end) AS principal_name,
       toUnixTimestamp(max(window_end)) AS analyzed_until
     FROM ${tableName(options, 'recommendations')}
     WHERE ${whereAll([
       `principal_id IN ${quoteInList(ids)}`,
       dateTimeBetween('window_end', window),
       ...extra,
     ])}
     GROUP BY provider, account_id, principal_id`,
  );
  return new Map(rows.map((row) => [principalKey(row), row]));
}

type PrincipalKey = { provider: string; account_id: string; principal_id: string };

function keyLiterals(row: PrincipalKey): string[] {
  return [quoteString(row.provider), quoteString(row.account_id), quoteString(row.principal_id)];
}

/**
 * Reads the distinct permissions each principal of `page` (sorted by the key of
 * `principal_activity`) used successfully in the days. The key range of the page lets the
 * server skip the granules of other principals.
 */
async function readUsedPermissions(
  options: QueryStoreOptions,
  page: readonly PrincipalKey[],
  dayRange: string,
): Promise<Map<string, number>> {
  const first = page[0];
  const last = page.at(-1);
  if (first === undefined || last === undefined) return new Map();
  const ids = [...new Set(page.map((row) => row.principal_id))];
  const range = keysetBetween(
    ['provider', 'account_id', 'principal_id'],
    keyLiterals(first),
    keyLiterals(last),
  );
  const rows = await select<UsageRow>(
    options,
    `SELECT provider, account_id, principal_id,
       uniqExactIfMerge(used_permissions) AS permissions_used
     FROM ${tableName(options, 'principal_activity')}
     WHERE ${whereAll([range, `principal_id IN ${quoteInList(ids)}`, dayRange])}
     GROUP BY provider, account_id, principal_id`,
  );
  return new Map(rows.map((row) => [principalKey(row), toNumber(row.permissions_used)]));
}

/**
 * Lists the principals with permission use in the window, ordered by provider, account and
 * principal id (the sorting key of `principal_activity`), with keyset paging. Days are whole
 * UTC days because `principal_activity` is daily; it counts as `permission_usage` does.
 */
export async function listPrincipals(
  options: QueryStoreOptions,
  filter: PrincipalFilter,
): Promise<Page<PrincipalSummary>> {
  const dayRange = dateBetween('day', filter.window);
  const conditions = [
    dayRange,
    ...equalsIfSet('provider', filter.provider),
    ...equalsIfSet('account_id', filter.accountId),
  ];
  if (filter.cursor !== undefined) {
    const [provider, account, principal] = decodeCursor(CURSOR_KIND, filter.cursor, [
      'string',
      'string',
      'string',
    ]);
    conditions.push(
      keysetAfter([
        { column: 'provider', literal: quoteString(String(provider)) },
        { column: 'account_id', literal: quoteString(String(account)) },
        { column: 'principal_id', literal: quoteString(String(principal)) },
      ]),
    );
  }
  const rows = await select<Omit<UsageRow, 'permissions_used'>>(
    options,
    `SELECT provider, account_id, principal_id,
       countMerge(permission_uses) AS permission_uses,
       toUnixTimestamp(maxMerge(last_seen)) AS last_activity
     FROM ${tableName(options, 'principal_activity')}
     WHERE ${whereAll(conditions)}
     GROUP BY provider, account_id, principal_id
     ORDER BY provider, account_id, principal_id
     LIMIT ${quoteNumber(filter.limit + 1, { integer: true })}`,
  );
  const page = rows.slice(0, filter.limit);
  const ids = [...new Set(page.map((row) => row.principal_id))];
  // Merging the distinct-permission sets costs several times the rest of the list, so it
  // runs for the principals of the page only.
  const [used, scores] = await Promise.all([
    readUsedPermissions(options, page, dayRange),
    readScores(options, ids, filter.window),
  ]);
  const items = page.map((row): PrincipalSummary => {
    const score = scores.get(principalKey(row));
    return {
      provider: row.provider,
      account_id: row.account_id,
      principal_id: row.principal_id,
      principal_type: score?.principal_type ?? '',
      principal_name: score?.principal_name ?? '',
      permissions_used: used.get(principalKey(row)) ?? 0,
      permission_uses: toNumber(row.permission_uses),
      last_activity: toNumber(row.last_activity) * 1000,
      score: score === undefined ? null : score.score,
      team: score === undefined ? null : score.team,
    };
  });
  const last = page.at(-1);
  const more = rows.length > filter.limit && last !== undefined;
  return {
    items,
    next_cursor: more
      ? encodeCursor(CURSOR_KIND, [last.provider, last.account_id, last.principal_id])
      : null,
  };
}
