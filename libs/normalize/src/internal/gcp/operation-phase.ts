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
 * no `authorizationInfo` at all, so the first entry is the one that counts. It keeps a null
 * phase, like an entry that is both first and last or belongs to no operation. Only an
 * entry that is last and not also first gets `completed`.
 *
 * NOTE: a last entry is not counted even when it lists permissions. Should a service
 * check a permission only at the end of an operation, that check is not counted as a use.
 * A failure reported only by the last entry (`status`) is also not counted, so the
 * operation counts with the outcome of its first entry.
 */
export function operationPhaseOf(operation: JsonObject | undefined): string | null {
  if (operation === undefined) return null;
  const first = readBoolean(operation, 'first', operation['first']) === true;
  const last = readBoolean(operation, 'last', operation['last']) === true;
  return last && !first ? GCP_OPERATION_COMPLETED_PHASE : null;
}
