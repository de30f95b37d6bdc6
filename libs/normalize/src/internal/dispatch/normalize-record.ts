import type { Provider } from '@ciem/events';
import type { RecordInput } from '../containers/byte-source.js';
import { parseJson } from '../containers/parse-json.js';
import { isContainerObject } from '../containers/line-splitter.js';
import type { RawRecord, RecordReadError } from '../containers/raw-record.js';
import {
  DEFAULT_MAX_RECORD_BYTES,
  readRecords,
  resolveRecord,
  type ReadRecordsOptions,
} from '../containers/read-records.js';
import type { NormalizeContext, NormalizeResult } from '../context.js';
import { RECORD_NORMALIZERS, type NormalizerTable } from './record-normalizers.js';

/** The context of one record when its reference comes from the reader. */
export interface RecordContext {
  /** When the platform read the record, epoch milliseconds UTC. */
  ingestTime: number;
  /** Reference to the original record; defaults to the record's own `rawRef`. */
  rawRef?: string;
}

/** Options shared by the normalize functions. */
export interface DispatchOptions {
  /** Normalizer per provider; defaults to {@link RECORD_NORMALIZERS}. Tests inject stubs. */
  normalizers?: NormalizerTable;
  /** Largest record accepted, in bytes (default 8 MiB). */
  maxRecordBytes?: number;
}

/**
 * Normalizes one record read by `readRecords` with its provider's normalizer.
 *
 * Returns an `unsupported-provider` error for a record whose provider is unknown.
 * Errors a normalizer throws are not caught: a thrown error is a bug, not bad input, and
 * must not be counted as one. The caller dead-letters the record with `error_type`
 * `internal` and goes on.
 */
export function normalizeRecord(
  raw: RawRecord,
  ctx: RecordContext,
  options: DispatchOptions = {},
): NormalizeResult {
  const rawRef = ctx.rawRef ?? raw.rawRef;
  if (raw.provider === undefined) {
    return {
      kind: 'normalization-error',
      provider: 'unknown',
      reason: 'unsupported-provider',
      field: null,
      message: `Record ${rawRef} matches no known provider. Expected a CloudTrail record (eventVersion, eventSource, eventName), an Azure Activity Log record (operationName with resourceId or category) or a GCP LogEntry (protoPayload, logName, insertId). Check that the file holds audit logs.`,
      raw_ref: rawRef,
    };
  }
  const normalizers = options.normalizers ?? RECORD_NORMALIZERS;
  return normalizers[raw.provider](raw.value, contextOf(ctx, rawRef));
}

/** Returns the record's context, reusing one that names the record, as `normalizeText` passes. */
function contextOf(ctx: RecordContext, rawRef: string): NormalizeContext {
  return hasRawRef(ctx) ? ctx : { rawRef, ingestTime: ctx.ingestTime };
}

function hasRawRef(ctx: RecordContext): ctx is NormalizeContext {
  return ctx.rawRef !== undefined;
}

/**
 * Normalizes one raw message, as the normalizer service receives it from a raw topic:
 * checks its size, parses it, takes the record out of its envelope, detects its provider
 * and normalizes it. `provider` (from the topic) is used when the record's keys match no
 * provider; when they match another provider, the keys win. A message that contains a
 * container of several records returns a `wrong-envelope` error, because raw topics carry
 * one record per message.
 *
 * Returns bad input as a NormalizationError. Errors a normalizer throws pass through (see
 * {@link normalizeRecord}).
 */
export function normalizeText(
  provider: Provider | undefined,
  text: string | Buffer,
  ctx: { rawRef: string; ingestTime: number },
  options: DispatchOptions = {},
): NormalizeResult {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit, so short text needs no byte count.
  const size =
    typeof text !== 'string'
      ? text.length
      : text.length * 3 <= maxRecordBytes
        ? text.length
        : Buffer.byteLength(text, 'utf8');
  if (size > maxRecordBytes) {
    return readError(
      provider,
      'oversized',
      ctx.rawRef,
      `Record ${ctx.rawRef} has ${size} bytes, more than the limit of ${maxRecordBytes}. Raise maxRecordBytes if the record is genuine.`,
    );
  }

  let source = typeof text === 'string' ? text : text.toString('utf8');
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  const parsed = parseJson(source);
  if (!parsed.ok) {
    return readError(
      provider,
      'invalid-json',
      ctx.rawRef,
      `Record ${ctx.rawRef} is not valid JSON: ${parsed.detail}. Fix the producer of this message.`,
    );
  }
  if (Array.isArray(parsed.value) || isContainerObject(parsed.value)) {
    return readError(
      provider,
      'wrong-envelope',
      ctx.rawRef,
      `Record ${ctx.rawRef} contains a container of records, but a raw message must contain one record. Split containers when ingesting.`,
    );
  }

  const raw = resolveRecord(source, parsed.value, ctx.rawRef, provider);
  if ('kind' in raw) return withoutText(raw);
  return normalizeRecord(raw, ctx, options);
}

/** Options of {@link normalizeFile}. */
export interface NormalizeFileOptions extends ReadRecordsOptions, DispatchOptions {
  /** When the platform read the file, epoch milliseconds UTC, given to every record. */
  ingestTime: number;
}

/**
 * Reads and normalizes every record of a file or stream (see `readRecords` for the forms
 * it reads). Yields one result per record, read errors included, so counts in equal
 * events plus errors. Read errors keep the `text` of {@link RecordReadError}.
 */
export async function* normalizeFile(
  input: RecordInput,
  options: NormalizeFileOptions,
): AsyncGenerator<NormalizeResult> {
  const context = { ingestTime: options.ingestTime };
  for await (const raw of readRecords(input, options)) {
    if ('kind' in raw) yield raw;
    else yield normalizeRecord(raw, context, options);
  }
}

function readError(
  provider: Provider | undefined,
  reason: 'oversized' | 'invalid-json' | 'wrong-envelope',
  rawRef: string,
  message: string,
): NormalizeResult {
  return {
    kind: 'normalization-error',
    provider: provider ?? 'unknown',
    reason,
    field: null,
    message,
    raw_ref: rawRef,
  };
}

function withoutText(error: RecordReadError): NormalizeResult {
  const { text: _text, ...rest } = error;
  return rest;
}
