import type { NormalizedEvent } from '@ciem/events';

/**
 * Phases, as the normalizer spells them, of a record written while its operation had not
 * finished. Azure Resource Manager records both the start and the success or failure of
 * every write, delete and action operation (Azure Monitor, "Azure Activity Log event
 * schema", Administrative category). Its `status` is Started or In Progress until it is
 * Succeeded or Failed, and `accepted` is the normalizer's phase for the HTTP 202 Accepted
 * of an asynchronous operation. Such a record is neither a call of its own nor a success.
 */
const UNFINISHED_PHASES: ReadonlySet<string> = new Set([
  'started',
  'accepted',
  'in progress',
  'inprogress',
]);

/**
 * Returns whether the record was written before its operation finished. Only Azure records
 * carry a phase, so CloudTrail and GCP records always count.
 *
 * NOTE: a GCP long-running operation logs a first and a last entry under one
 * `operation.id`, and the normalizer sets no phase for them, so both still count as calls.
 */
export function isUnfinishedOperation(event: NormalizedEvent): boolean {
  return event.phase !== null && UNFINISHED_PHASES.has(event.phase);
}
