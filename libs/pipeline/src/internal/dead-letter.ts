import type { NormalizationError } from '@ciem/events';
import { normalizationErrorCode } from '@ciem/events';

/** The largest raw text kept in a DLQ file line; longer records keep their head and length. */
export const MAX_DEAD_LETTER_RAW_CHARS = 1_048_576;

/**
 * One line of the embedded mode's `dlq.ndjson`: the reason plus the original text, so a
 * fixed normalizer can replay it. Mirrors the headers of the Kafka dead-letter topic.
 */
export interface DeadLetterLine {
  stage: string;
  provider: string;
  error_code: string;
  error_type: 'input' | 'internal';
  reason: string;
  field: string | null;
  message: string;
  raw_ref: string;
  raw: string | null;
  raw_length: number | null;
  raw_truncated: boolean;
}

/** Builds the DLQ line for a record the normalizer rejected. */
export function deadLetterForError(
  error: NormalizationError,
  raw: string | undefined,
): DeadLetterLine {
  const truncated = raw !== undefined && raw.length > MAX_DEAD_LETTER_RAW_CHARS;
  let keptRaw: string | null = null;
  if (raw !== undefined) keptRaw = truncated ? raw.slice(0, MAX_DEAD_LETTER_RAW_CHARS) : raw;
  return {
    stage: 'normalizer',
    provider: error.provider,
    error_code: normalizationErrorCode(error.reason),
    error_type: 'input',
    reason: error.reason,
    field: error.field,
    message: error.message,
    raw_ref: error.raw_ref,
    raw: keptRaw,
    raw_length: raw === undefined ? null : raw.length,
    raw_truncated: truncated,
  };
}
