import type { NormalizationError, Provider } from '@ciem/events';

/** One record read from a file or stream, before normalization. */
export interface RawRecord {
  /** The cloud the record comes from, or undefined when its keys match none. */
  provider: Provider | undefined;
  /**
   * The record's JSON text. It is the original bytes for records in JSON Lines, arrays,
   * containers, LookupEvents `CloudTrailEvent` strings and Pub/Sub `data`, and
   * `JSON.stringify` of the record for EventBridge `detail` and CloudEvents `data`.
   */
  text: string;
  /** The parsed record. */
  value: unknown;
  /**
   * Reference to the original: `FILE:LINE` for a record outside any container, `FILE:LINE#INDEX`
   * for the 0-based INDEX-th record of the container that starts on LINE.
   */
  rawRef: string;
}

/**
 * A record that could not be read, with the text that was read when there was any, so
 * the caller can dead-letter the original. Oversized records have no text because they
 * are never kept whole.
 */
export interface RecordReadError extends NormalizationError {
  text: string | null;
}
