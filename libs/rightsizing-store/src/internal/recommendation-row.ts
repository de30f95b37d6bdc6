import type { RightsizingResult } from '@ciem/rightsizing';

/** One row of the ClickHouse `recommendations` table (schemas/clickhouse/0005_recommendations.sql). */
export interface RecommendationRow {
  provider: string;
  account_id: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  /** '' when no team owns the principal. */
  team: string;
  status: string;
  /** Unix seconds. */
  window_start: number;
  /** Unix seconds. */
  window_end: number;
  window_days: number;
  /** Unix seconds; 0 when the principal was never seen. */
  last_activity: number;
  score: number;
  confidence: number;
  used_count: number;
  unused_permissions: string[];
  /** Risk of each entry of `unused_permissions`, in the same order. */
  unused_risks: string[];
  unobservable_permissions: string[];
  unused_services: string[];
  recommendation_kind: string;
  removes: string[];
  /** JSON text of `RightsizingResult.recommendation`. */
  recommendation: string;
  /** JSON text of the whole `RightsizingResult`. */
  result: string;
  /** Unix seconds; the row version. */
  written_at: number;
}

/** Columns of `RecommendationRow`, in table order. */
export const RECOMMENDATION_COLUMNS: readonly string[] = [
  'provider',
  'account_id',
  'principal_id',
  'principal_type',
  'principal_name',
  'team',
  'status',
  'window_start',
  'window_end',
  'window_days',
  'last_activity',
  'score',
  'confidence',
  'used_count',
  'unused_permissions',
  'unused_risks',
  'unobservable_permissions',
  'unused_services',
  'recommendation_kind',
  'removes',
  'recommendation',
  'result',
  'written_at',
];

/**
 * Converts one result to its row. `writtenAtMs` becomes the row version, so writing the
 * same analysis again later keeps the later copy.
 */
export function toRecommendationRow(
  result: RightsizingResult,
  writtenAtMs: number,
): RecommendationRow {
  return {
    provider: result.provider,
    account_id: result.account_id,
    principal_id: result.principal_id,
    principal_type: result.principal_type,
    principal_name: result.principal_name,
    team: result.team ?? '',
    status: result.status,
    window_start: Math.floor(result.window.start / 1000),
    window_end: Math.floor(result.window.end / 1000),
    window_days: result.window.days,
    last_activity: result.last_activity === null ? 0 : Math.floor(result.last_activity / 1000),
    score: result.score,
    confidence: result.confidence.value,
    used_count: result.used.length,
    unused_permissions: result.unused.map((entry) => entry.permission),
    unused_risks: result.unused.map((entry) => entry.risk),
    unobservable_permissions: result.unobservable.map((entry) => entry.permission),
    unused_services: result.unused_services,
    recommendation_kind: result.recommendation.kind,
    removes: result.recommendation.removes,
    recommendation: JSON.stringify(result.recommendation),
    result: JSON.stringify(result),
    written_at: Math.floor(writtenAtMs / 1000),
  };
}
