import type { RightsizingStepSummary } from './rightsizing-step.js';

/** Counts for one provider across the embedded run. */
export interface ProviderCounts {
  /** Records the readers produced, valid or not. */
  read: number;
  normalized: number;
  dead_lettered: number;
  /** Normalized events whose call could not be mapped to a permission. */
  unmapped: number;
}

/**
 * Counts and outputs of one `runEmbedded` call, written to `summary.json` and printed by
 * `ciem run`.
 */
export interface RunSummary {
  files: number;
  bytes_read: number;
  duration_ms: number;
  /** Counts keyed by provider. `unknown` counts records whose provider could not be detected. */
  providers: Record<string, ProviderCounts>;
  principals: number;
  permissions_used: number;
  /**
   * Anomaly alerts written to `alerts.ndjson`; present in the embedded mode only, because
   * with Kafka the analyzer-anomaly service produces the alerts.
   */
  alerts?: number;
  /** Dead-lettered records per reason. */
  dead_letter_reasons: Record<string, number>;
  /** Unmapped calls by `service operation`, most frequent first, at most 50. */
  top_unmapped: Array<{ call: string; count: number }>;
  outputs: Record<string, string>;
  /** Present when the run had grants to right-size. */
  rightsizing?: RightsizingStepSummary;
}

/** Progress of a long run, passed to `onProgress` at most once per `progressIntervalMs`. */
export interface RunProgress {
  files_done: number;
  files_total: number;
  bytes_read: number;
  records_read: number;
  elapsed_ms: number;
}

/** Returns counts with every field at zero. */
export function emptyCounts(): ProviderCounts {
  return { read: 0, normalized: 0, dead_lettered: 0, unmapped: 0 };
}
