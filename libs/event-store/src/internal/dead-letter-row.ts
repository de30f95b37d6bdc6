import { Buffer, isUtf8 } from 'node:buffer';
import { errorCodeOf, errorTypeOf, messageOf } from '@ciem/errors';
import { wellFormed } from './well-formed.js';

/**
 * One row of the ClickHouse `dlq_events` table (schemas/clickhouse/0003_dlq_events.sql): a
 * record a stage dead-lettered, with its error, its original position and (the head of) its
 * bytes. `dead_lettered_at` is whole seconds; `original_offset` is a decimal string because
 * Kafka offsets may pass 2^53.
 */
export interface DeadLetterRow {
  dedupe_key: string;
  dead_lettered_at: number;
  stage: string;
  error_code: string;
  error_type: string;
  error_message: string;
  provider: string;
  reason: string;
  field: string;
  source_ref: string;
  original_topic: string;
  original_partition: number;
  original_offset: string;
  original_key: string;
  payload: string;
  payload_encoding: 'utf8' | 'base64';
  payload_bytes: number;
  payload_truncated: number;
}

/** Columns of `DeadLetterRow`, in table order. */
export const DEAD_LETTER_COLUMNS: readonly (keyof DeadLetterRow)[] = [
  'dedupe_key',
  'dead_lettered_at',
  'stage',
  'error_code',
  'error_type',
  'error_message',
  'provider',
  'reason',
  'field',
  'source_ref',
  'original_topic',
  'original_partition',
  'original_offset',
  'original_key',
  'payload',
  'payload_encoding',
  'payload_bytes',
  'payload_truncated',
];

/** Default of `DeadLetterRowInput.maxPayloadBytes`: 1 MiB of the original kept per row. */
export const DEFAULT_DEAD_LETTER_PAYLOAD_BYTES = 1_048_576;

/** Longest `error_message` stored, in characters; longer messages end with `…`. */
export const DEAD_LETTER_ROW_MESSAGE_MAX_CHARS = 4_000;

/** What `toDeadLetterRow` needs: the failed record, its error and where it was read. */
export interface DeadLetterRowInput {
  stage: string;
  /** The error; its code, type and message come from `errorCodeOf`, `errorTypeOf`, `messageOf`. */
  error: unknown;
  original: {
    topic: string;
    partition: number;
    /** Decimal string. */
    offset: string;
    key: Buffer | string | null;
    value: Buffer | string | null;
  };
  /**
   * When the record was dead-lettered, epoch milliseconds. Take it from the record (its Kafka
   * timestamp), not the clock, so that a record dead-lettered twice gives the same row.
   */
  deadLetteredAt: number;
  /** Identifies the record across redeliveries; `topic/partition/offset` of the original by default. */
  dedupeKey?: string;
  /** `aws`, `azure`, `gcp` or `unknown`; `''` when the stage does not know. */
  provider?: string;
  /** The NormalizationError reason, such as `invalid-json`; `''` for other errors. */
  reason?: string;
  /** JSON path of the field at fault, when known. */
  field?: string | null;
  /** Where the record was read before Kafka, such as `file:line`. */
  sourceRef?: string;
  /** Bytes of the original kept in `payload`; the rest is cut and `payload_truncated` is 1. */
  maxPayloadBytes?: number;
}

function toBytes(value: Buffer | string | null): Buffer {
  if (value === null) return Buffer.alloc(0);
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** Encodes bytes as text: UTF-8 when they are valid UTF-8, else base64. */
function encodePayload(bytes: Buffer): Pick<DeadLetterRow, 'payload' | 'payload_encoding'> {
  if (isUtf8(bytes)) return { payload: bytes.toString('utf8'), payload_encoding: 'utf8' };
  return { payload: bytes.toString('base64'), payload_encoding: 'base64' };
}

/** Returns the length of the UTF-8 sequence that a lead byte starts (1 to 4). */
function utf8SequenceLength(leadByte: number): number {
  if (leadByte >= 0xf0) return 4;
  if (leadByte >= 0xe0) return 3;
  if (leadByte >= 0xc0) return 2;
  return 1;
}

/** Drops the bytes of a multi-byte UTF-8 character cut off at the end, at most three. */
function trimPartialCharacter(bytes: Buffer): Buffer {
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = bytes[end - back] as number;
    if ((byte & 0xc0) !== 0x80) {
      // A lead byte: drop it with its continuation bytes when the character is incomplete.
      const needed = utf8SequenceLength(byte);
      if (needed > back) end -= back;
      break;
    }
  }
  return bytes.subarray(0, end);
}

function truncateText(value: string, maxChars: number): string {
  return value.length <= maxChars ? value : `${value.slice(0, maxChars - 1)}…`;
}

/** Builds the `dlq_events` row of a dead-lettered record. */
export function toDeadLetterRow(input: DeadLetterRowInput): DeadLetterRow {
  const { original } = input;
  const bytes = toBytes(original.value);
  const maxPayloadBytes = input.maxPayloadBytes ?? DEFAULT_DEAD_LETTER_PAYLOAD_BYTES;
  const truncated = bytes.length > maxPayloadBytes;
  const kept = truncated ? trimPartialCharacter(bytes.subarray(0, maxPayloadBytes)) : bytes;
  const key = original.key === null ? '' : toBytes(original.key).toString('utf8');
  return {
    dedupe_key: input.dedupeKey ?? `${original.topic}/${original.partition}/${original.offset}`,
    dead_lettered_at: Math.floor(Math.max(0, input.deadLetteredAt) / 1000),
    stage: input.stage,
    error_code: errorCodeOf(input.error),
    error_type: errorTypeOf(input.error),
    error_message: wellFormed(
      truncateText(messageOf(input.error), DEAD_LETTER_ROW_MESSAGE_MAX_CHARS),
    ),
    provider: input.provider ?? '',
    reason: input.reason ?? '',
    field: wellFormed(input.field ?? ''),
    source_ref: wellFormed(input.sourceRef ?? ''),
    original_topic: original.topic,
    original_partition: original.partition,
    original_offset: original.offset,
    original_key: key,
    ...encodePayload(kept),
    payload_bytes: bytes.length,
    payload_truncated: truncated ? 1 : 0,
  };
}
