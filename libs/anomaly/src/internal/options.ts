import type { GeoLookup, UnusedPermissionLookup } from './types.js';
import type { SuppressionRule } from './suppression.js';
import { invalidOption } from './errors.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Thresholds of the detectors. Every time is in milliseconds. */
export interface AnomalyThresholds {
  /** A principal's history must span this long before baseline detectors alert. */
  warmupMs: number;
  /** ...and hold at least this many events. */
  warmupEvents: number;
  /** Lowest first-use weight that alerts: 1 low, 2 medium, 3 high. */
  firstUseMinWeight: number;
  /** Silence after which a principal counts as dormant. */
  dormantMs: number;
  /** Denied-call burst: at least this many denied calls... */
  deniedMinCount: number;
  /** ...over at least this many distinct permissions... */
  deniedMinPermissions: number;
  /** ...within this window. */
  deniedWindowMs: number;
  /** Access key spread: at least this many distinct /24 or /48 networks... */
  keyMinNetworks: number;
  /** ...within this window. */
  keyWindowMs: number;
  /** A principal seen from this many networks roams, and a new one no longer alerts. */
  maxNetworks: number;
  /** Volume spike: minimum calls in one hour. */
  spikeMinCount: number;
  /** Volume spike: minimum z-score of the hour against the EWMA baseline. */
  spikeMinZScore: number;
  /** Volume spike: hours of baseline needed first. */
  spikeMinHours: number;
  /** Impossible travel: maximum plausible speed in km/h (airliners cruise near 900). */
  maxTravelKmPerHour: number;
  /**
   * Impossible travel: distances below this are not judged, because neighbouring countries'
   * representative points are this close and their borders closer still.
   */
  minTravelKm: number;
  /**
   * Impossible travel: subtracted from the distance before the speed is computed, for coarse
   * locations such as a country's representative point.
   */
  travelToleranceKm: number;
  /**
   * An escalation or logging change the principal made on this many distinct earlier days
   * is routine and does not alert, unless its severity is critical.
   */
  routineMinDays: number;
}

/** Maximum aggregation window of an alert: one day. */
export const MAX_ALERT_WINDOW_MS = 86_400_000;

/** Options of {@link createAnomalyEngine}. */
export interface AnomalyOptions {
  thresholds?: Partial<AnomalyThresholds>;
  /**
   * Aggregation window of an alert; windows are aligned to multiples of it. Default 1 h, at
   * most one day, so an alert's first event lies within a day of its window start (the
   * query API bounds its alert reads by that).
   */
  windowMs?: number;
  suppressions?: readonly SuppressionRule[];
  /** Permissions right-sizing marked unused; none when absent. */
  isMarkedUnused?: UnusedPermissionLookup;
  /** GeoIP port; without it only network novelty is checked. */
  geo?: GeoLookup;
  /** Clock for `created_at`; by default the latest event time seen, which keeps replays equal. */
  now?: () => number;
  /** Rule ids to turn off. */
  disabledRules?: readonly string[];
  /**
   * How many of the latest event ids the engine remembers to ignore a repeated event (default
   * 100,000; 0 turns it off). CloudTrail delivery files can repeat events, and queues and
   * backfills deliver at least once, so the same event may reach the engine again.
   */
  recentEventIds?: number;
}

/** Options with every default filled in. */
export interface ResolvedAnomalyOptions {
  readonly thresholds: Readonly<AnomalyThresholds>;
  readonly windowMs: number;
  readonly recentEventIds: number;
}

/**
 * Default of {@link AnomalyOptions.recentEventIds}. 100,000 CloudTrail event ids (UUIDs) in
 * a Set took 8.5 MB of heap on Node 20; 64-character Azure ids take more.
 */
export const DEFAULT_RECENT_EVENT_IDS = 100_000;

/** Defaults chosen for a low alert rate on a steady estate. */
export const DEFAULT_THRESHOLDS: Readonly<AnomalyThresholds> = {
  warmupMs: 7 * DAY,
  warmupEvents: 50,
  firstUseMinWeight: 2,
  dormantMs: 30 * DAY,
  deniedMinCount: 20,
  deniedMinPermissions: 5,
  deniedWindowMs: 10 * MINUTE,
  keyMinNetworks: 4,
  keyWindowMs: 30 * MINUTE,
  maxNetworks: 24,
  spikeMinCount: 300,
  spikeMinZScore: 6,
  spikeMinHours: 72,
  maxTravelKmPerHour: 1000,
  minTravelKm: 1000,
  travelToleranceKm: 500,
  routineMinDays: 3,
};

/** Fills in defaults and checks that every threshold is a positive finite number. */
export function resolveAnomalyOptions(options: AnomalyOptions): ResolvedAnomalyOptions {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  for (const [name, value] of Object.entries(thresholds)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw invalidOption(`thresholds.${name}`, 'a positive number', value);
    }
  }
  const windowMs = options.windowMs ?? HOUR;
  if (!Number.isInteger(windowMs) || windowMs <= 0 || windowMs > MAX_ALERT_WINDOW_MS) {
    throw invalidOption(
      'windowMs',
      `a positive integer of milliseconds up to ${MAX_ALERT_WINDOW_MS} (one day)`,
      windowMs,
    );
  }
  const recentEventIds = options.recentEventIds ?? DEFAULT_RECENT_EVENT_IDS;
  if (!Number.isInteger(recentEventIds) || recentEventIds < 0) {
    throw invalidOption('recentEventIds', 'a non-negative integer', recentEventIds);
  }
  return { thresholds, windowMs, recentEventIds };
}
