import type { Provider } from './normalized-event.js';

/**
 * Why a raw record could not become a NormalizedEvent. The set is fixed so counts per
 * reason can be metric labels and report rows.
 */
export const NORMALIZATION_REASONS = [
  'invalid-json',
  'wrong-envelope',
  'missing-field',
  'wrong-type',
  'oversized',
  'not-an-event',
  'unsupported-provider',
] as const;

/** One of {@link NORMALIZATION_REASONS}. */
export type NormalizationReason = (typeof NORMALIZATION_REASONS)[number];

/**
 * A record that could not be normalized, returned as a value (never thrown) so the caller
 * can dead-letter it with the raw bytes. `field` is a JSON path such as
 * `userIdentity.sessionContext.sessionIssuer.arn`.
 */
export interface NormalizationError {
  kind: 'normalization-error';
  provider: Provider | 'unknown';
  reason: NormalizationReason;
  field: string | null;
  message: string;
  raw_ref: string;
}

/** Error code used when a NormalizationError is dead-lettered. */
export function normalizationErrorCode(reason: NormalizationReason): string {
  return `CIEM_NORMALIZE_${reason.toUpperCase().replace(/-/g, '_')}`;
}

/** Type guard separating a NormalizationError from a NormalizedEvent. */
export function isNormalizationError(value: unknown): value is NormalizationError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'normalization-error'
  );
}
