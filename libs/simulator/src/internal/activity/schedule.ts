import type { ApiCall } from '../catalog/types.js';
import type { Principal } from '../estate/model.js';
import type { Prng } from '../prng.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A planted attack step or a regular call, before it is formatted into a provider record. */
export interface PlannedCall {
  time: number;
  call: ApiCall;
  denied: boolean;
  /** Overrides the principal's usual address (planted key misuse). */
  sourceIp?: string;
  userAgent?: string;
  /** Index into the planted attacks, for ground truth. */
  attackIndex?: number;
  /** Extra provider-specific detail for planted steps (target role, policy, ...). */
  detail?: Record<string, string>;
}

/** Returns whether the principal acts on simulated day `day`. */
export function isActiveOn(principal: Principal, day: number): boolean {
  const { firstDay, lastDay, wakeDay } = principal.window;
  return (day >= firstDay && day <= lastDay) || day === wakeDay;
}

/**
 * Plans one principal's regular calls for one day, sorted by time. Humans work in their own
 * time zone during office hours with a few bursts; workloads spread over 24 hours. Weekends
 * are much quieter for humans. About 2% of calls are requests the grants do not allow.
 */
export function planDay(
  rng: Prng,
  principal: Principal,
  day: number,
  dayStart: number,
  eventsPerDay: number,
): PlannedCall[] {
  if (!isActiveOn(principal, day) || principal.usedGroups.length === 0) return [];
  const weekday = new Date(dayStart).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const factor = principal.human ? (weekend ? 0.1 : 1) : weekend ? 0.7 : 1;
  let count = Math.round(eventsPerDay * principal.rate * factor * (0.5 + rng.next()));
  const firstDay = day === principal.window.firstDay || day === principal.window.wakeDay;
  // On the first active day every call of every used group is made at least once, so a
  // permission the ground truth counts as used always appears in the logs.
  const mustCover = firstDay ? principal.usedGroups.flatMap((group) => group.calls) : [];
  count = Math.max(count, mustCover.length);
  if (count === 0) return [];

  const times = principal.human
    ? humanTimes(rng, count, dayStart, principal.utcOffsetHours)
    : workloadTimes(rng, count, dayStart);
  const groupWeights = principal.usedGroups.map((_, i) => 1 / (i + 1) + rng.next() * 0.3);
  const calls: PlannedCall[] = [];
  for (let i = 0; i < count; i++) {
    const time = times[i] as number;
    const covering = mustCover[i];
    if (covering !== undefined) {
      calls.push({ time, call: covering, denied: false });
      continue;
    }
    if (principal.deniedCalls.length > 0 && rng.chance(0.02)) {
      calls.push({ time, call: rng.pick(principal.deniedCalls), denied: true });
      continue;
    }
    const groupIndex = rng.weightedIndex(groupWeights);
    const group = principal.usedGroups[groupIndex];
    if (!group) continue;
    const call = group.calls[rng.weightedIndex(group.calls.map((c) => c.weight))] as ApiCall;
    calls.push({ time, call, denied: false });
  }
  return calls;
}

function humanTimes(rng: Prng, count: number, dayStart: number, utcOffsetHours: number): number[] {
  const start = 8 + rng.next() * 2;
  const end = 17 + rng.next() * 2;
  const bursts = 1 + rng.int(4);
  const centers: number[] = [];
  for (let b = 0; b < bursts; b++) centers.push(start + rng.next() * (end - start));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const center = centers[i % bursts] as number;
    const spread = (rng.next() + rng.next() + rng.next() - 1.5) * 1.2;
    const localHour = Math.min(end, Math.max(start, center + spread));
    const utcMs = (localHour - utcOffsetHours) * HOUR_MS;
    const inDay = ((Math.floor(utcMs) % DAY_MS) + DAY_MS) % DAY_MS;
    times.push(dayStart + inDay);
  }
  return times.sort((a, b) => a - b);
}

function workloadTimes(rng: Prng, count: number, dayStart: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(dayStart + Math.floor(rng.next() * DAY_MS));
  return times.sort((a, b) => a - b);
}
