import type { Outcome } from '@ciem/events';
import { readBoolean } from '../read-field.js';
import type { JsonObject } from '../read-field.js';

/**
 * Phase of the entry that closes a GCP long-running operation. Usage and the anomaly
 * engine do not count it as a call, because the operation's first entry already counted.
 */
export const GCP_OPERATION_COMPLETED_PHASE = 'completed';

/**
 * Derives the phase from the LogEntry `operation` (`LogEntryOperation`: `id`, `producer`,
 * `first`, `last`). A long-running operation writes a first entry when the request is
 * accepted and a last entry when the operation ends, under one `operation.id`.
 *
 * The first entry carries the request's `authorizationInfo`. The last entry of Compute
 * Engine (`v1.compute.*`) and GKE (`google.container.v1.ClusterManager.*`) operations lists
 * no `authorizationInfo` at all. So the first entry is the one that counts. It keeps a
 * null phase, like an entry that is both first and last or belongs to no operation. An
 * entry that is last and not also first gets `completed`, unless it was denied. A denied
 * request starts no operation, so a denied last entry reports a check that the first entry
 * did not. It counts as a denied call of its own.
 *
 * NOTE: a granted last entry is not counted even when it lists permissions. Last entries
 * of BigQuery `InsertJob` and API Keys `CreateKey` do list the permission the request
 * needs, and this rule assumes that their first entry lists it too. One entry alone cannot
 * show whether it did. A failure reported only by the last entry (`status`) is not counted
 * either, so the operation counts with the outcome of its first entry.
 */
export function operationPhaseOf(
  operation: JsonObject | undefined,
  outcome: Outcome,
): string | null {
  if (operation === undefined || outcome === 'denied') return null;
  const first = readBoolean(operation, 'first', operation['first']) === true;
  const last = readBoolean(operation, 'last', operation['last']) === true;
  return last && !first ? GCP_OPERATION_COMPLETED_PHASE : null;
}
