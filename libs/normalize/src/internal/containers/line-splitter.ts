import { JsonFramer } from './json-framer.js';
import { parseJson } from './parse-json.js';
import { CONTAINER_KEYS, type Piece } from './piece.js';

const TAB = 0x09;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const OPEN_BRACKET = 0x5b;

/**
 * Splits JSON Lines: one JSON value per line, found with `Buffer.indexOf` and parsed with
 * `JSON.parse`. A broken line becomes an `invalid-json` problem and the next line is read
 * as usual. A line that is itself a container (a JSON array, or an object with an array
 * under one of {@link CONTAINER_KEYS}, such as an Event Hubs body) is framed again so each
 * of its records keeps its original text. A line longer than `maxRecordBytes` becomes an
 * `oversized` problem and is skipped without being kept.
 */
export class LineSplitter {
  private readonly maxRecordBytes: number;
  private buffer: Buffer;
  private position = 0;
  private line: number;
  private skippingLine = false;

  constructor(options: { maxRecordBytes: number; firstLine: number; initial?: Buffer }) {
    this.maxRecordBytes = options.maxRecordBytes;
    this.line = options.firstLine;
    this.buffer = options.initial ?? Buffer.alloc(0);
  }

  /** Splits the bytes given so far plus `chunk`, appending complete lines to `out`. */
  push(chunk: Buffer | undefined, out: Piece[]): void {
    if (chunk !== undefined) {
      const rest = this.buffer.subarray(this.position);
      this.buffer = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
      this.position = 0;
    }
    const buffer = this.buffer;
    let position = this.position;

    if (this.skippingLine) {
      const newline = buffer.indexOf(NEWLINE, position);
      if (newline === -1) {
        this.buffer = Buffer.alloc(0);
        this.position = 0;
        return;
      }
      this.skippingLine = false;
      this.line++;
      position = newline + 1;
    }

    for (;;) {
      const newline = buffer.indexOf(NEWLINE, position);
      if (newline === -1) break;
      this.splitLine(position, newline, out);
      this.line++;
      position = newline + 1;
    }

    if (buffer.length - position > this.maxRecordBytes) {
      out.push(oversized(this.maxRecordBytes, this.line));
      this.skippingLine = true;
      position = buffer.length;
    }
    this.position = position;
  }

  /** Splits the last line, which has no newline after it. */
  end(out: Piece[]): void {
    if (this.skippingLine) return;
    this.splitLine(this.position, this.buffer.length, out);
    this.position = this.buffer.length;
  }

  private splitLine(lineStart: number, lineEnd: number, out: Piece[]): void {
    const buffer = this.buffer;
    let start = lineStart;
    let end = lineEnd;
    while (start < end && isWhitespace(buffer[start])) start++;
    while (end > start && isWhitespace(buffer[end - 1])) end--;
    if (start === end) return;
    if (end - start > this.maxRecordBytes) {
      out.push(oversized(this.maxRecordBytes, this.line));
      return;
    }

    if (buffer[start] === OPEN_BRACKET) {
      this.frameContainer(buffer.subarray(start, end), out);
      return;
    }
    const text = buffer.toString('utf8', start, end);
    const parsed = parseJson(text);
    if (!parsed.ok) {
      out.push({
        kind: 'problem',
        reason: 'invalid-json',
        detail: parsed.detail,
        text,
        line: this.line,
        index: null,
      });
      return;
    }
    if (isContainerObject(parsed.value)) {
      this.frameContainer(buffer.subarray(start, end), out);
      return;
    }
    out.push({ kind: 'value', text, value: parsed.value, line: this.line, index: null });
  }

  private frameContainer(bytes: Buffer, out: Piece[]): void {
    const framer = new JsonFramer({ maxRecordBytes: this.maxRecordBytes, firstLine: this.line });
    framer.push(bytes, out);
    framer.end(out);
  }
}

/** True for an object holding an array under one of {@link CONTAINER_KEYS}. */
export function isContainerObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  for (const key in object) {
    // Every container key is 5 to 7 characters long: skip the others without lower-casing.
    if (key.length < 5 || key.length > 7) continue;
    if (CONTAINER_KEYS.has(key.toLowerCase()) && Array.isArray(object[key])) return true;
  }
  return false;
}

function oversized(maxRecordBytes: number, line: number): Piece {
  return {
    kind: 'problem',
    reason: 'oversized',
    detail: `line ${line} is longer than the limit of ${maxRecordBytes} bytes`,
    text: null,
    line,
    index: null,
  };
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB || byte === NEWLINE || byte === CARRIAGE_RETURN;
}
