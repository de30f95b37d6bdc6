import type { NormalizedEvent } from '@ciem/events';

/**
 * Azure writes several Activity Log records for one operation (Started, Accepted, then
 * Succeeded or Failed) under one correlation id. Usage counts the operation once, at its
 * final phase; the earlier phases stay in the event store for investigation. Events of
 * other providers carry no phase and always count.
 *
 * The ClickHouse `permission_usage` view applies the same rule, so the embedded and the
 * distributed modes report the same counts.
 */
export const NON_FINAL_PHASES: ReadonlySet<string> = new Set(['started', 'accepted']);

/** True when an event counts toward permission usage. */
export function countsAsUse(event: NormalizedEvent): boolean {
  return event.phase === null || !NON_FINAL_PHASES.has(event.phase);
}
