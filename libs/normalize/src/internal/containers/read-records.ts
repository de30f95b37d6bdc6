import type { Provider } from '@ciem/events';
import { detectProvider } from '../dispatch/detect-provider.js';
import { readBytes, type RecordInput } from './byte-source.js';
import { parseJson } from './parse-json.js';
import type { Piece } from './piece.js';
import type { RawRecord, RecordReadError } from './raw-record.js';
import { RecordSplitter } from './record-splitter.js';
import { unwrapEnvelope } from './unwrap-envelope.js';

/** Default of {@link ReadRecordsOptions.maxRecordBytes}: 8 MiB. */
export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** Options of {@link readRecords}. */
export interface ReadRecordsOptions {
  /** Name used in `rawRef`; defaults to the path, or `stream` for a stream. */
  name?: string;
  /** Largest record kept, in bytes (default 8 MiB); larger ones become `oversized` errors. */
  maxRecordBytes?: number;
  /** Provider given to records whose keys match none (for example, from the file's folder). */
  provider?: Provider;
}

/**
 * Reads the records of a file or byte stream, in constant memory whatever its size.
 *
 * The input may be gzip-compressed (detected by its magic bytes) and hold JSON Lines, a
 * JSON array, a container object (`Records`, `records`, `value`, `Events` or `entries`
 * holding the array), one pretty-printed record, or concatenated records. Each line of
 * JSON Lines may itself be a container. Records are unwrapped from single-record
 * envelopes (LookupEvents items, EventBridge, Pub/Sub, CloudEvents): see
 * `unwrapEnvelope`.
 *
 * Yields each record, or a {@link RecordReadError} with reason `invalid-json` (JSON that
 * does not parse, a truncated input or a corrupt gzip stream), `oversized` (larger than
 * `maxRecordBytes`), `not-an-event` (CloudTrail digest files, other EventBridge events)
 * or `wrong-envelope`. In JSON Lines a broken line costs only that line. In a container,
 * an element with broken syntax costs only that element, A missing quote or bracket
 * leaves the rest unframed. The reader then yields one `invalid-json` error at the end of
 * the input and no further records of that container.
 *
 * Throws the file system's error when the file cannot be opened or read.
 */
export async function* readRecords(
  input: RecordInput,
  options: ReadRecordsOptions = {},
): AsyncGenerator<RawRecord | RecordReadError> {
  const name = options.name ?? (typeof input === 'string' ? input : 'stream');
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const splitter = new RecordSplitter({ maxRecordBytes });
  const pieces: Piece[] = [];
  let lastLine = 1;

  try {
    for await (const chunk of readBytes(input)) {
      splitter.push(chunk, pieces);
      for (const piece of pieces) {
        lastLine = piece.line;
        yield resolvePiece(piece, name, options.provider);
      }
      pieces.length = 0;
    }
  } catch (error) {
    if (!isGzipError(error)) throw error;
    yield {
      kind: 'normalization-error',
      provider: options.provider ?? 'unknown',
      reason: 'invalid-json',
      field: null,
      message: `Failed to decompress ${name} after line ${lastLine}: ${error.message}. The gzip data is corrupt or truncated. The records before this point were read; replace the file to read the rest.`,
      raw_ref: `${name}:${lastLine}`,
      text: null,
    };
    return;
  }
  splitter.end(pieces);
  for (const piece of pieces) yield resolvePiece(piece, name, options.provider);
}

/**
 * Turns one record's text into a {@link RawRecord}: parses it, takes it out of its
 * envelope and names its provider. `providerHint` is used when the keys match no provider.
 */
export function resolveRecord(
  text: string,
  value: unknown,
  rawRef: string,
  providerHint: Provider | undefined,
): RawRecord | RecordReadError {
  const unwrapped = unwrapEnvelope(value, text);
  if (unwrapped.kind === 'rejected') {
    return {
      kind: 'normalization-error',
      provider: unwrapped.provider ?? providerHint ?? 'unknown',
      reason: unwrapped.reason,
      field: unwrapped.field,
      message: `Record ${rawRef} was not read: ${unwrapped.detail}.`,
      raw_ref: rawRef,
      text,
    };
  }
  return {
    provider: detectProvider(unwrapped.value) ?? providerHint,
    text: unwrapped.text,
    value: unwrapped.value,
    rawRef,
  };
}

function resolvePiece(
  piece: Piece,
  name: string,
  providerHint: Provider | undefined,
): RawRecord | RecordReadError {
  const rawRef =
    piece.index === null ? `${name}:${piece.line}` : `${name}:${piece.line}#${piece.index}`;
  if (piece.kind === 'problem') {
    const advice =
      piece.reason === 'oversized'
        ? 'Raise maxRecordBytes if the record is genuine.'
        : 'Fix or remove it; the other records are read.';
    return {
      kind: 'normalization-error',
      provider: providerHint ?? 'unknown',
      reason: piece.reason,
      field: null,
      message: `Record ${rawRef} was not read: ${piece.detail}. ${advice}`,
      raw_ref: rawRef,
      text: piece.text,
    };
  }

  let value = piece.value;
  if (!('value' in piece)) {
    const parsed = parseJson(piece.text);
    if (!parsed.ok) {
      return {
        kind: 'normalization-error',
        provider: providerHint ?? 'unknown',
        reason: 'invalid-json',
        field: null,
        message: `Record ${rawRef} is not valid JSON: ${parsed.detail}. Fix or remove it; the other records are read.`,
        raw_ref: rawRef,
        text: piece.text,
      };
    }
    value = parsed.value;
  }
  return resolveRecord(piece.text, value, rawRef, providerHint);
}

/** True for zlib's errors, whose codes are `Z_DATA_ERROR`, `Z_BUF_ERROR` and the like. */
function isGzipError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}
