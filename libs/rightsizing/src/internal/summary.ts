import { observedDays, round } from './score.js';
import type {
  RightsizingGroupSummary,
  RightsizingResult,
  RightsizingSummary,
  SummaryWindow,
} from './types.js';

/** Team key of principals that no ownership rule assigns. */
export const NO_TEAM = '(none)';

function summarizeGroup(
  key: string,
  results: readonly RightsizingResult[],
): RightsizingGroupSummary {
  let scoreSum = 0;
  let maxScore = 0;
  const summary: RightsizingGroupSummary = {
    key,
    principals: results.length,
    active: 0,
    inactive: 0,
    never_used: 0,
    with_removals: 0,
    removable_permissions: 0,
    mean_score: 0,
    max_score: 0,
  };
  for (const result of results) {
    if (result.status === 'active') summary.active += 1;
    else if (result.status === 'inactive') summary.inactive += 1;
    else summary.never_used += 1;
    const kind = result.recommendation.kind;
    if (kind === 'remove-principal' || result.recommendation.removes.length > 0) {
      summary.with_removals += 1;
    }
    summary.removable_permissions += result.recommendation.removes.length;
    scoreSum += result.score;
    if (result.score > maxScore) maxScore = result.score;
  }
  summary.mean_score = results.length === 0 ? 0 : round(scoreSum / results.length, 1);
  summary.max_score = maxScore;
  return summary;
}

function groupBy(
  results: readonly RightsizingResult[],
  keyOf: (result: RightsizingResult) => string,
): RightsizingGroupSummary[] {
  const groups = new Map<string, RightsizingResult[]>();
  for (const result of results) {
    const key = keyOf(result);
    const list = groups.get(key) ?? [];
    list.push(result);
    groups.set(key, list);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => summarizeGroup(key, list));
}

/**
 * Aggregates results per account (`provider:account id`) and per team: counts by status,
 * principals with removals, removable permissions, and the mean and max score.
 */
export function summarizeRightsizing(results: readonly RightsizingResult[]): RightsizingSummary {
  return {
    window: summaryWindow(results),
    principals: results.length,
    accounts: groupBy(results, (result) => `${result.provider}:${result.account_id}`),
    teams: groupBy(results, (result) => result.team ?? NO_TEAM),
  };
}

/**
 * Returns the window of the results (they share one) with the first and last event over
 * all their accounts and the days of the window those cover.
 */
export function summaryWindow(results: readonly RightsizingResult[]): SummaryWindow {
  const first = results[0];
  if (first === undefined) {
    return { start: 0, end: 0, days: 0, first_event: null, last_event: null, days_observed: 0 };
  }
  let firstEvent: number | null = null;
  let lastEvent: number | null = null;
  for (const { window } of results) {
    if (window.first_event !== null && (firstEvent === null || window.first_event < firstEvent)) {
      firstEvent = window.first_event;
    }
    if (window.last_event !== null && (lastEvent === null || window.last_event > lastEvent)) {
      lastEvent = window.last_event;
    }
  }
  const window = { start: first.window.start, end: first.window.end, days: first.window.days };
  return {
    ...window,
    first_event: firstEvent,
    last_event: lastEvent,
    days_observed:
      firstEvent === null || lastEvent === null ? 0 : observedDays(window, firstEvent, lastEvent),
  };
}

/** Returns the results with the highest scores first, ties by principal id. */
export function topByScore(
  results: readonly RightsizingResult[],
  limit: number,
): RightsizingResult[] {
  return [...results]
    .sort((a, b) => b.score - a.score || (a.principal_id < b.principal_id ? -1 : 1))
    .slice(0, limit);
}
