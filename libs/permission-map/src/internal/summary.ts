import type { CloudProvider, MappingOutcome } from './types.js';
import { unmappedReasonOf } from './unmapped-reason.js';

/** Count of unmapped events that share a provider, source and operation. */
export interface UnmappedOperation {
  readonly provider: CloudProvider;
  readonly source: string;
  readonly operation: string;
  readonly count: number;
  /**
   * The reason of the first such event; events of one operation fail for one reason. An
   * event without a reason gets one derived from its provider, source and operation.
   */
  readonly reason: string;
}

/** Counts of a batch of mapping results, with the unmapped ones grouped. */
export interface MappingSummary {
  readonly total: number;
  readonly mapped: number;
  readonly noPermission: number;
  readonly unmapped: number;
  /**
   * Share of results that need a permission (`mapped + unmapped`) and were mapped, from 0
   * to 1; 1 when no result needs one.
   */
  readonly mappedShare: number;
  /** Unmapped operations, most frequent first, then by provider, source and operation. */
  readonly unmappedOperations: readonly UnmappedOperation[];
}

/** Counts mapping results of every provider for the mapping report. */
export function summarizeMapping(results: Iterable<MappingOutcome>): MappingSummary {
  let total = 0;
  let mapped = 0;
  let noPermission = 0;
  let unmapped = 0;
  const groups = new Map<string, UnmappedOperation>();

  for (const result of results) {
    total += 1;
    if (result.status === 'mapped') mapped += 1;
    else if (result.status === 'no-permission') noPermission += 1;
    else {
      unmapped += 1;
      const key = JSON.stringify([result.provider, result.source, result.operation]);
      const group = groups.get(key);
      groups.set(key, {
        provider: result.provider,
        source: result.source,
        operation: result.operation,
        count: (group?.count ?? 0) + 1,
        reason: group?.reason ?? unmappedReasonOf(result),
      });
    }
  }

  const unmappedOperations = [...groups.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.provider.localeCompare(b.provider) ||
      a.source.localeCompare(b.source) ||
      a.operation.localeCompare(b.operation),
  );
  const needingPermission = mapped + unmapped;
  return {
    total,
    mapped,
    noPermission,
    unmapped,
    mappedShare: needingPermission === 0 ? 1 : mapped / needingPermission,
    unmappedOperations,
  };
}

/**
 * Formats a summary as plain-text lines: the counts, then one line per unmapped operation
 * (`count  provider  source  operation  reason`).
 */
export function formatMappingSummary(summary: MappingSummary): string {
  const percent = (summary.mappedShare * 100).toFixed(1);
  const lines = [
    `events: ${summary.total}, mapped: ${summary.mapped}, no permission: ${summary.noPermission}, unmapped: ${summary.unmapped} (${percent}% of events that need a permission mapped)`,
  ];
  for (const entry of summary.unmappedOperations) {
    const source = entry.source === '' ? '(no source)' : entry.source;
    const operation = entry.operation === '' ? '(no operation)' : entry.operation;
    lines.push(
      `${String(entry.count).padStart(6)}  ${entry.provider}  ${source}  ${operation}  ${entry.reason}`,
    );
  }
  return lines.join('\n');
}
