import type { PermissionRisk, ScoreInputs } from './types.js';

/** Weight of one permission of each risk class in the score; see the README. */
export const RISK_WEIGHTS: Readonly<Record<PermissionRisk, number>> = {
  escalation: 10,
  'permissions-management': 6,
  write: 3,
  unknown: 2,
  read: 1.5,
  list: 1,
  tagging: 0.5,
};

/** Share of the score that the unused permissions make up; inactivity makes up the rest. */
export const UNUSED_SHARE_WEIGHT = 0.8;

const DAY_MS = 86_400_000;

/**
 * Computes the score inputs: risk-weighted sums over the observable granted permissions and
 * over the unused ones, and the idle time of the principal relative to the window.
 */
export function scoreInputs(
  observableRisks: readonly PermissionRisk[],
  unusedRisks: readonly PermissionRisk[],
  lastActivity: number | null,
  windowStart: number,
  windowEnd: number,
  windowDays: number,
): ScoreInputs {
  let weightedGranted = 0;
  for (const risk of observableRisks) weightedGranted += RISK_WEIGHTS[risk];
  let weightedUnused = 0;
  for (const risk of unusedRisks) weightedUnused += RISK_WEIGHTS[risk];

  const idleFrom = lastActivity === null ? windowStart : Math.min(lastActivity, windowEnd);
  const idleDays = Math.max(0, Math.floor((windowEnd - idleFrom) / DAY_MS));
  return {
    observable_granted: observableRisks.length,
    observable_unused: unusedRisks.length,
    weighted_granted: weightedGranted,
    weighted_unused: weightedUnused,
    unused_share: weightedGranted === 0 ? 0 : round(weightedUnused / weightedGranted, 4),
    idle_days: idleDays,
    inactivity: round(Math.min(1, idleDays / windowDays), 4),
  };
}

/** Returns the score, 0 to 100 with one decimal: `100 × (0.8 × unused_share + 0.2 × inactivity)`. */
export function scoreOf(inputs: ScoreInputs): number {
  const value =
    100 *
    (UNUSED_SHARE_WEIGHT * inputs.unused_share + (1 - UNUSED_SHARE_WEIGHT) * inputs.inactivity);
  return round(value, 1);
}

/** Rounds to a number of decimals. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * Returns the days of a window that data from `firstEvent` to `lastEvent` covers. The span
 * runs from the later of the first event and the window start to the earlier of the last
 * event and the window end. It is rounded up to whole days, and is 0 when they do not meet.
 */
export function observedDays(
  window: { start: number; end: number; days: number },
  firstEvent: number,
  lastEvent: number,
): number {
  const from = Math.max(window.start, firstEvent);
  // The window end is exclusive and an event time inclusive.
  const to = Math.min(window.end, lastEvent + 1);
  if (to <= from) return 0;
  return Math.min(window.days, Math.ceil((to - from) / DAY_MS));
}
