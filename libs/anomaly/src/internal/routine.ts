import type { PrincipalState } from './principal-state.js';
import { hashText } from './principal-state.js';

const DAY = 86_400_000;
/** Sensitive permissions tracked per principal; beyond this, new ones are not remembered. */
const MAX_TRACKED = 32;

/**
 * Records a successful use of a sensitive permission and returns whether it was routine
 * before this use: used on at least `minDays` distinct earlier UTC days, and made in an hour
 * of the day in which the principal has worked before. Administrators whose job is to change
 * policies or trails then stop alerting on their daily work, while a first or rare use, or
 * one at an hour the principal never works, still alerts.
 */
export function recordSensitiveUse(
  state: PrincipalState,
  permission: string,
  time: number,
  minDays: number,
): boolean {
  const hash = hashText(permission);
  const day = Math.floor(time / DAY);
  const routine = state.routine;
  for (let i = 0; i < routine.length; i += 3) {
    if (routine[i] !== hash) continue;
    const days = routine[i + 2] as number;
    const hour = Math.floor((time % DAY) / 3_600_000);
    const wasRoutine = days >= minDays && ((state.activeHours >>> hour) & 1) === 1;
    if ((routine[i + 1] as number) !== day) {
      routine[i + 1] = day;
      routine[i + 2] = days + 1;
    }
    return wasRoutine;
  }
  if (routine.length < MAX_TRACKED * 3) routine.push(hash, day, 1);
  return false;
}
