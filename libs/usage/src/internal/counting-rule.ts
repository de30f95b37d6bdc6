import type { NormalizedEvent } from '@ciem/events';

/**
 * Phases whose events count toward permission usage, with `''` for an event without a phase.
 * This is the list that the ClickHouse views `permission_usage_mv`, `principal_activity_mv`
 * and `principal_permission_usage_mv` filter on (`WHERE phase IN (...)`), so the embedded
 * and the distributed modes report the same counts. A test reads the list from those
 * migrations.
 *
 * Every other phase is left out:
 * - Azure writes several Activity Log records for one operation (Started, Accepted, In
 *   Progress, then Succeeded or Failed) under one correlation id. Usage counts the
 *   operation once, at its final phase.
 * - A GCP long-running operation writes a first and a last LogEntry under one
 *   `operation.id`. The first entry carries the permission checks and counts. The last one
 *   has phase `completed`, unless it was denied, and does not count.
 *
 * The records left out stay in the event store for investigation.
 */
export const COUNTED_PHASES: ReadonlySet<string> = new Set(['', 'succeeded', 'failed', 'canceled']);

/** Returns whether an event counts toward permission usage. */
export function countsAsUse(event: NormalizedEvent): boolean {
  return event.phase === null || COUNTED_PHASES.has(event.phase);
}
