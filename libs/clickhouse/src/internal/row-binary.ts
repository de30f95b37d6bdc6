import { Buffer } from 'node:buffer';
import { hasLoneSurrogate } from './quote.js';

/**
 * Column types the RowBinary encoder writes. In RowBinary, each value is written in column
 * order with no separators:
 * - `String`: the UTF-8 byte length as an unsigned LEB128 varint, then the bytes.
 *   `LowCardinality(String)` reads the same bytes, so declare such a column as `String`.
 * - `UInt16`, `UInt64`, `Int8`: little-endian integers of that width.
 * - `DateTime`: seconds since the epoch as a little-endian UInt32, whatever the time zone.
 * - `Array(String)`: the element count as a varint, then each element as a `String`.
 * The layout is the one the RowBinary page of the ClickHouse format reference describes.
 * The event-store integration tests write the same rows as RowBinary and as JSONEachRow on
 * 18.16 and on the modern test server (ClickHouse 25.8 through chdb), whose
 * `LowCardinality(String)` columns stored the same bytes both ways.
 */
export type RowBinaryType = 'String' | 'UInt16' | 'UInt64' | 'Int8' | 'DateTime' | 'Array(String)';

/** Writes one value of a row. Returns false when the value has no exact RowBinary form. */
type ValueWriter = (value: unknown, out: RowBinaryBuilder) => boolean;

const MAX_UINT32 = 4_294_967_295;

/** Bytes of each chunk that rows are encoded into. A larger row gets a larger chunk. */
const CHUNK_BYTES = 256 * 1024;

/** Strings shorter than this are written by a JavaScript loop while they stay ASCII. */
const SHORT_STRING_CHARS = 48;

/**
 * Encodes rows into chunks of memory that many rows share, so that a row costs one small
 * view instead of a buffer of its own.
 */
export class RowBinaryBuilder {
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private rowStart = 0;
  private position = 0;

  /** Starts a row and drops the bytes of an unfinished one. */
  startRow(): void {
    this.position = this.rowStart;
  }

  /** Returns the bytes of the row written since `startRow()`. The view stays valid. */
  finishRow(): Buffer {
    const row = this.chunk.subarray(this.rowStart, this.position);
    this.rowStart = this.position;
    return row;
  }

  /** Makes room for `bytes` more bytes of the current row, moving it to a new chunk if needed. */
  private reserve(bytes: number): void {
    if (this.position + bytes <= this.chunk.length) return;
    const rowBytes = this.position - this.rowStart;
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, (rowBytes + bytes) * 2));
    this.chunk.copy(next, 0, this.rowStart, this.position);
    this.chunk = next;
    this.rowStart = 0;
    this.position = rowBytes;
  }

  writeVarUInt(value: number): void {
    this.reserve(5);
    let rest = value;
    while (rest >= 0x80) {
      this.chunk[this.position++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.chunk[this.position++] = rest;
  }

  writeUInt8(value: number): void {
    this.reserve(1);
    this.chunk[this.position++] = value & 0xff;
  }

  writeUInt16(value: number): void {
    this.reserve(2);
    this.position = this.chunk.writeUInt16LE(value, this.position);
  }

  writeUInt32(value: number): void {
    this.reserve(4);
    this.position = this.chunk.writeUInt32LE(value, this.position);
  }

  /** Writes a safe integer of up to 53 bits as a little-endian UInt64. */
  writeUInt64(value: number): void {
    this.reserve(8);
    const low = value % 0x1_0000_0000;
    this.chunk.writeUInt32LE(low, this.position);
    this.chunk.writeUInt32LE((value - low) / 0x1_0000_0000, this.position + 4);
    this.position += 8;
  }

  /**
   * Writes a string as its UTF-8 byte length and bytes. Returns false, writing nothing that
   * counts, for a string with a lone UTF-16 surrogate, which has no UTF-8 form.
   */
  writeString(value: string): boolean {
    const length = value.length;
    if (length < SHORT_STRING_CHARS) {
      // Most values are short ASCII, which a loop copies faster than a call into
      // `Buffer.write` does. The length prefix then fits in one byte.
      this.reserve(length + 1);
      const start = this.position;
      let index = 0;
      while (index < length) {
        const code = value.charCodeAt(index);
        if (code >= 0x80) break;
        this.chunk[start + 1 + index] = code;
        index += 1;
      }
      if (index === length) {
        this.chunk[start] = length;
        this.position = start + 1 + length;
        return true;
      }
    }
    if (hasLoneSurrogate(value)) return false;
    const bytes = Buffer.byteLength(value, 'utf8');
    this.writeVarUInt(bytes);
    this.reserve(bytes);
    this.position += this.chunk.write(value, this.position, bytes, 'utf8');
    return true;
  }
}

function isIntegerIn(value: unknown, minimum: number, maximum: number): value is number {
  return (
    Number.isSafeInteger(value) && (value as number) >= minimum && (value as number) <= maximum
  );
}

const writeString: ValueWriter = (value, out) =>
  typeof value === 'string' && out.writeString(value);

const VALUE_WRITERS: Record<RowBinaryType, ValueWriter> = {
  String: writeString,
  UInt16: (value, out) => {
    if (!isIntegerIn(value, 0, 0xffff)) return false;
    out.writeUInt16(value);
    return true;
  },
  UInt64: (value, out) => {
    if (!isIntegerIn(value, 0, Number.MAX_SAFE_INTEGER)) return false;
    out.writeUInt64(value);
    return true;
  },
  Int8: (value, out) => {
    if (!isIntegerIn(value, -128, 127)) return false;
    out.writeUInt8(value);
    return true;
  },
  DateTime: (value, out) => {
    if (!isIntegerIn(value, 0, MAX_UINT32)) return false;
    out.writeUInt32(value);
    return true;
  },
  'Array(String)': (value, out) => {
    if (!Array.isArray(value)) return false;
    out.writeVarUInt(value.length);
    for (const item of value) if (!writeString(item, out)) return false;
    return true;
  },
};

/** A column of a RowBinary INSERT: its name, which is also the row's key, and its type. */
export interface RowBinaryColumn {
  name: string;
  type: RowBinaryType;
}

/**
 * Encodes a row as RowBinary, the columns in the given order. Returns `undefined` when a
 * value has no exact RowBinary form: a missing key, a value of another JavaScript type, a
 * number that is not a whole number in the column's range, or a string with a lone
 * surrogate. The caller then sends that row as JSON, so ClickHouse parses, converts or
 * rejects it as before.
 */
export type RowBinaryEncoder = (row: object) => Buffer | undefined;

/** Creates a RowBinary encoder for rows with the given columns. */
export function createRowBinaryEncoder(columns: readonly RowBinaryColumn[]): RowBinaryEncoder {
  const names = columns.map((column) => column.name);
  const writers = columns.map((column) => VALUE_WRITERS[column.type]);
  const out = new RowBinaryBuilder();
  return (row) => {
    out.startRow();
    const values = row as Record<string, unknown>;
    for (let index = 0; index < writers.length; index += 1) {
      const write = writers[index] as ValueWriter;
      if (!write(values[names[index] as string], out)) return undefined;
    }
    return out.finishRow();
  };
}

/** Returns true when `type` is a column type `createRowBinaryEncoder` writes. */
export function isRowBinaryType(type: unknown): type is RowBinaryType {
  return typeof type === 'string' && Object.hasOwn(VALUE_WRITERS, type);
}
