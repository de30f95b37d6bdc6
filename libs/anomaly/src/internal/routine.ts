import type { PrincipalState } from './principal-state.js';
import { ALL_HOURS, hashText } from './principal-state.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Sensitive permissions tracked per principal; beyond this, new ones are not remembered. */
const MAX_TRACKED = 32;

/**
 * Records a successful use of a sensitive permission and returns whether it was routine
 * before this use: used on at least `minDays` distinct earlier UTC days, and made within an
 * hour of a time of day at which the principal used this same permission before. The hours
 * are those of the permission, not of the principal's other calls, because automation that
 * runs around the clock under an administrator's identity does not show when the
 * administrator changes policies. Administrators whose job is to change policies or trails
 * then stop alerting on their daily work, while a first or rare use, or one at an hour they
 * never made it, still alerts.
 */
export function recordSensitiveUse(
  state: PrincipalState,
  permission: string,
  time: number,
  minDays: number,
): boolean {
  const hash = hashText(permission);
  const day = Math.floor(time / DAY);
  const hour = Math.floor((time % DAY) / HOUR);
  const bit = 1 << hour;
  const near = bit | (1 << ((hour + 1) % 24)) | (1 << ((hour + 23) % 24));
  const routine = state.routine;
  for (let i = 0, entry = 0; i < routine.length; i += 3, entry++) {
    if (routine[i] !== hash) continue;
    const days = routine[i + 2] as number;
    const hours = state.routineHours[entry] ?? ALL_HOURS;
    const wasRoutine = days >= minDays && (hours & near) !== 0;
    state.routineHours[entry] = hours | bit;
    if ((routine[i + 1] as number) !== day) {
      routine[i + 1] = day;
      routine[i + 2] = days + 1;
    }
    return wasRoutine;
  }
  if (routine.length < MAX_TRACKED * 3) {
    routine.push(hash, day, 1);
    state.routineHours.push(bit);
  }
  return false;
}

/**
 * Aggregation window of a sensitive change. While the principal is still in its baseline
 * period (its history spans less than `warmupMs`), which of its changes are routine is not
 * known yet, so its non-critical changes are summarised in one alert per UTC day instead of
 * one per window; afterwards the engine's window applies. A critical change always keeps the
 * engine's window.
 */
export function sensitiveWindow(
  state: PrincipalState,
  time: number,
  warmupMs: number,
  critical: boolean,
): number | undefined {
  return !critical && time - state.firstSeen < warmupMs ? DAY : undefined;
}
