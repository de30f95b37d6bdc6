import { quoteNumber, quoteString } from '@ciem/clickhouse';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Page, QueryStoreOptions } from './store.js';
import {
  dateTimeBetween,
  equalsIfSet,
  keysetAfter,
  select,
  tableName,
  toNumber,
  whereAll,
} from './store.js';
import type { TimeWindow } from './window.js';

/** Filters of `listRecommendations`. Scores are 0 to 100, bounds inclusive. */
export interface RecommendationFilter {
  window: TimeWindow;
  provider?: string | undefined;
  accountId?: string | undefined;
  team?: string | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The latest recommendation of one principal, a row of the `recommendations` table. */
export interface RecommendationSummary {
  provider: string;
  account_id: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  team: string;
  status: string;
  score: number;
  confidence: number;
  window_start: number;
  window_end: number;
  last_activity: number | null;
  used_count: number;
  unused_permissions: string[];
  unused_services: string[];
  recommendation_kind: string;
  removes: string[];
  /** JSON text of the whole `RightsizingResult`, for the rendered reports. */
  result: string;
}

interface RecommendationRow extends Omit<
  RecommendationSummary,
  'window_start' | 'window_end' | 'last_activity'
> {
  window_start_ms: string | number;
  window_end_ms: string | number;
  last_activity_ms: string | number;
}

const CURSOR_KIND = 'recommendations';

/**
 * Lists the latest recommendation of each principal whose analysis ended in the window,
 * highest score first (then provider, account, principal id), with keyset paging. The
 * score filters apply to the latest result only, so an older, higher score never shows.
 */
export async function listRecommendations(
  options: QueryStoreOptions,
  filter: RecommendationFilter,
): Promise<Page<RecommendationSummary>> {
  const inner = [
    dateTimeBetween('window_end', filter.window),
    ...equalsIfSet('provider', filter.provider),
    ...equalsIfSet('account_id', filter.accountId),
    ...equalsIfSet('team', filter.team),
  ];
  const outer: string[] = [];
  if (filter.minScore !== undefined) outer.push(`score >= ${quoteNumber(filter.minScore)}`);
  if (filter.maxScore !== undefined) outer.push(`score <= ${quoteNumber(filter.maxScore)}`);
  if (filter.cursor !== undefined) {
    const [score, provider, account, principal] = decodeCursor(CURSOR_KIND, filter.cursor, [
      'number',
      'string',
      'string',
      'string',
    ]);
    // Scores are Float64, so the cursor stores them in thousandths as an integer.
    outer.push(
      keysetAfter([
        { column: 'round(score, 3)', literal: quoteNumber(Number(score) / 1000), descending: true },
        { column: 'provider', literal: quoteString(String(provider)) },
        { column: 'account_id', literal: quoteString(String(account)) },
        { column: 'principal_id', literal: quoteString(String(principal)) },
      ]),
    );
  }
  const rows = await select<RecommendationRow>(
    options,
    `SELECT * FROM (
       SELECT provider, account_id, principal_id, principal_type, principal_name, team, status,
         score, confidence, toUnixTimestamp(window_start) * 1000 AS window_start_ms,
         toUnixTimestamp(window_end) * 1000 AS window_end_ms,
         toUnixTimestamp(last_activity) * 1000 AS last_activity_ms, used_count,
         unused_permissions, unused_services, recommendation_kind, removes, result
       FROM ${tableName(options, 'recommendations')}
       WHERE ${whereAll(inner)}
       ORDER BY window_end DESC, written_at DESC
       LIMIT 1 BY provider, account_id, principal_id)
     WHERE ${whereAll(outer)}
     ORDER BY round(score, 3) DESC, provider, account_id, principal_id
     LIMIT ${quoteNumber(filter.limit + 1, { integer: true })}`,
  );
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ window_start_ms, window_end_ms, last_activity_ms, ...row }) => ({
      ...row,
      used_count: toNumber(row.used_count),
      window_start: toNumber(window_start_ms),
      window_end: toNumber(window_end_ms),
      last_activity: toNumber(last_activity_ms) === 0 ? null : toNumber(last_activity_ms),
    })),
    next_cursor:
      rows.length > filter.limit && last !== undefined
        ? encodeCursor(CURSOR_KIND, [
            Math.round(last.score * 1000),
            last.provider,
            last.account_id,
            last.principal_id,
          ])
        : null,
  };
}
