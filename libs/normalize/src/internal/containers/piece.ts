/**
 * One unit the record splitter cuts from the input: the original text of one JSON value,
 * or a framing problem. `line` is 1-based and names the line where the value starts (for
 * records inside a container, the line where the container starts). `index` is the
 * 0-based position inside the container, null for a value outside any container.
 */
export type Piece = ValuePiece | ProblemPiece;

/** The original text of one JSON value, with its parsed value when already parsed. */
export interface ValuePiece {
  kind: 'value';
  text: string;
  /** Parsed value, present when the splitter had to parse the text to classify it. */
  value?: unknown;
  line: number;
  index: number | null;
}

/** A value that could not be framed or was too large to keep. */
export interface ProblemPiece {
  kind: 'problem';
  reason: 'invalid-json' | 'oversized';
  /** Description of the problem, without record content. */
  detail: string;
  /** The bytes of the value when they were kept, otherwise null. */
  text: string | null;
  line: number;
  index: number | null;
}

/** Keys of a top-level object whose array value contains the records (compared lower-cased). */
export const CONTAINER_KEYS: ReadonlySet<string> = new Set([
  // CloudTrail S3 delivery and Azure diagnostic settings / Event Hubs bodies.
  'records',
  // Azure REST list responses (Activity Log `eventtypes/management/values`).
  'value',
  // CloudTrail LookupEvents output.
  'events',
  // Cloud Logging `entries.list` responses.
  'entries',
]);
