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
 * Phase the normalizer gives the last LogEntry of a GCP long-running operation (LogEntry
 * `operation.last` without `operation.first`) when it was not denied. The operation's
 * first entry carries the permission checks and is the call, so the last entry is no call
 * of its own.
 */
const GCP_COMPLETED_PHASE = 'completed';

/**
 * Returns whether the record is a secondary record of an operation, one that is not the
 * record counted as its call: an Azure record written before its operation finished, or
 * the last entry of a GCP long-running operation. CloudTrail records and GCP entries of
 * no operation, or both first and last, always count.
 *
 * NOTE: a GCP operation counts by its first entry, which shows only that the request was
 * authorized. When the last entry reports a failure, the operation still counts as one
 * successful call, unlike an Azure operation, which counts by its final record.
 */
export function isSecondaryOperationRecord(event: NormalizedEvent): boolean {
  if (event.phase === null) return false;
  return UNFINISHED_PHASES.has(event.phase) || event.phase === GCP_COMPLETED_PHASE;
}
