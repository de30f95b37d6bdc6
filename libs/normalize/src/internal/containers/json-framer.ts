import { CONTAINER_KEYS, type Piece } from './piece.js';

const TAB = 0x09;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Maximum length of a key kept to compare with {@link CONTAINER_KEYS}, in bytes. */
const MAX_CONTAINER_KEY_BYTES = 16;

/** Options of {@link JsonFramer}. */
export interface JsonFramerOptions {
  /** Largest value kept, in bytes; larger ones become `oversized` problems. */
  maxRecordBytes: number;
  /** Line number of the first byte pushed. */
  firstLine?: number;
  /**
   * Stop when the first top-level value starts and ends on the same line, so the caller
   * can read the rest as JSON Lines. See {@link JsonFramer.handoff}.
   */
  stopAfterSingleLineValue?: boolean;
}

/**
 * Splits a byte stream of JSON values into the original text of each record, without
 * parsing. It tracks only depth, strings and escapes, which is all it takes to find value
 * boundaries, and jumps over string contents with `Buffer.indexOf`, so it runs far faster
 * than a tokenizer. Each record is then parsed on its own with `JSON.parse`.
 *
 * A top-level array, or a top-level object holding an array under one of
 * {@link CONTAINER_KEYS}, is a container: each element is a record, the rest of the
 * object is dropped, and only the element being read is kept in memory. Any other
 * top-level value is one record. Values longer than `maxRecordBytes` are reported as
 * `oversized` as soon as they pass the limit and are skipped without being kept.
 *
 * The framer does not validate JSON: an element whose syntax is broken but whose brackets
 * balance becomes an `invalid-json` problem when parsed, and reading goes on. A missing
 * quote or bracket breaks the framing of everything after it: the framer then reports one
 * `invalid-json` problem when the input ends inside a value.
 */
export class JsonFramer {
  private readonly maxRecordBytes: number;
  private stopAfterSingleLineValue: boolean;

  private buffer: Buffer = Buffer.alloc(0);
  /** Next byte of `buffer` to scan. */
  private position = 0;
  /** Line of the byte at `position`. */
  private line: number;
  private depth = 0;

  private inString = false;
  /** First byte of `buffer` that backslash counting may look at inside the open string. */
  private stringResume = 0;
  /** Backslashes that ended the previous buffer inside the open string. */
  private carriedBackslashes = 0;
  /** Start of the key string being read at depth 1, or -1. */
  private keyStart = -1;
  private lastKey: string | null = null;
  private expectKey = false;

  /** Start of the kept top-level value, or -1 when it is not kept. */
  private valueStart = -1;
  private valueLine = 0;
  private valueIsObject = false;
  private valueIsContainer = false;
  private valueOverflowed = false;

  /** Depth at which container elements sit, or 0 outside a container array. */
  private elementDepth = 0;
  private expectElement = false;
  private elementStart = -1;
  private elementLine = 0;
  private elementSkipped = false;
  private elementIndex = 0;

  /** Skipping text that is not JSON at depth 0, up to the end of its line. */
  private skippingLine = false;
  private stopped = false;

  constructor(options: JsonFramerOptions) {
    this.maxRecordBytes = options.maxRecordBytes;
    this.line = options.firstLine ?? 1;
    this.stopAfterSingleLineValue = options.stopAfterSingleLineValue ?? false;
  }

  /**
   * When the framer stopped after a single-line value, returns the bytes it has not
   * scanned and the line they start on; otherwise returns undefined.
   */
  handoff(): { rest: Buffer; line: number } | undefined {
    if (!this.stopped) return undefined;
    return { rest: this.buffer.subarray(this.position), line: this.line };
  }

  /** Scans one more chunk and appends the pieces it completes to `out`. */
  push(chunk: Buffer, out: Piece[]): void {
    if (this.stopped) throw new Error('JsonFramer.push called after it handed off');
    this.append(chunk);
    this.scan(out);
    if (!this.stopped) this.checkLimits(out);
  }

  /** Reports a value left open at the end of the input. */
  end(out: Piece[]): void {
    if (this.stopped || (this.depth === 0 && !this.inString)) return;
    const inElement = this.elementDepth > 0 && (this.elementStart >= 0 || this.elementSkipped);
    const startLine = inElement ? this.elementLine : this.valueLine;
    out.push({
      kind: 'problem',
      reason: 'invalid-json',
      detail: `the input ended inside the JSON value that starts on line ${startLine}, so it is truncated or misses a closing quote or bracket`,
      text: null,
      line: this.valueLine,
      index: this.elementDepth > 0 ? this.elementIndex : null,
    });
  }

  private append(chunk: Buffer): void {
    const keepFrom = this.keepFrom();
    if (this.inString) {
      this.carriedBackslashes = this.trailingBackslashes();
    }
    if (keepFrom >= this.buffer.length) {
      this.buffer = chunk;
    } else {
      this.buffer = Buffer.concat([this.buffer.subarray(keepFrom), chunk]);
    }
    const shift = keepFrom;
    const oldEnd = this.buffer.length - chunk.length;
    this.position -= shift;
    if (this.valueStart >= 0) this.valueStart -= shift;
    if (this.elementStart >= 0) this.elementStart -= shift;
    if (this.keyStart >= 0) this.keyStart -= shift;
    this.stringResume = oldEnd;
  }

  /** First byte still needed: the kept value or element, or a key being read. */
  private keepFrom(): number {
    let keep = this.position;
    if (this.valueStart >= 0 && this.valueStart < keep) keep = this.valueStart;
    if (this.elementStart >= 0 && this.elementStart < keep) keep = this.elementStart;
    if (this.keyStart >= 0 && this.keyStart < keep) keep = this.keyStart;
    return keep;
  }

  /** Backslashes at the end of the buffer that belong to the open string. */
  private trailingBackslashes(): number {
    let index = this.buffer.length - 1;
    while (index >= this.stringResume && this.buffer[index] === BACKSLASH) index--;
    const count = this.buffer.length - 1 - index;
    return index < this.stringResume ? count + this.carriedBackslashes : count;
  }

  private scan(out: Piece[]): void {
    const buffer = this.buffer;
    const length = buffer.length;
    let position = this.position;

    if (this.skippingLine) {
      const newline = buffer.indexOf(NEWLINE, position);
      if (newline === -1) {
        this.position = length;
        return;
      }
      this.skippingLine = false;
      position = newline;
    }

    while (position < length) {
      if (this.inString) {
        const quote = buffer.indexOf(QUOTE, position);
        if (quote === -1) {
          position = length;
          break;
        }
        let before = quote - 1;
        while (before >= this.stringResume && buffer[before] === BACKSLASH) before--;
        let backslashes = quote - 1 - before;
        if (before < this.stringResume) backslashes += this.carriedBackslashes;
        position = quote + 1;
        if (backslashes % 2 === 1) continue;
        this.inString = false;
        if (this.keyStart >= 0) {
          this.lastKey =
            quote - this.keyStart <= MAX_CONTAINER_KEY_BYTES
              ? buffer.toString('latin1', this.keyStart, quote).toLowerCase()
              : null;
          this.keyStart = -1;
        }
        continue;
      }

      const byte = buffer[position];
      if (byte === SPACE || byte === TAB || byte === CARRIAGE_RETURN) {
        position++;
        continue;
      }
      if (byte === NEWLINE) {
        this.line++;
        position++;
        continue;
      }
      if (this.depth === 0) {
        position = this.startTopLevel(position, out);
        if (this.stopped || this.skippingLine) break;
        continue;
      }
      if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth--;
        this.closeBracket(position, out);
        position++;
        if (this.stopped) break;
        continue;
      }
      if (byte === COMMA) {
        if (this.depth === this.elementDepth) {
          this.finishElement(position, out);
          this.expectElement = true;
        } else if (this.depth === 1 && this.valueIsObject) {
          this.expectKey = true;
          this.lastKey = null;
        }
        position++;
        continue;
      }

      if (this.expectElement && this.depth === this.elementDepth) {
        this.expectElement = false;
        this.elementStart = position;
        this.elementLine = this.line;
        this.elementSkipped = false;
      }
      if (byte === QUOTE) {
        this.inString = true;
        this.stringResume = position + 1;
        this.carriedBackslashes = 0;
        if (this.expectKey && this.depth === 1) this.keyStart = position + 1;
        this.expectKey = false;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (
          byte === OPEN_BRACKET &&
          this.depth === 1 &&
          this.valueIsObject &&
          this.elementDepth === 0 &&
          this.lastKey !== null &&
          CONTAINER_KEYS.has(this.lastKey)
        ) {
          this.enterContainer(2);
        }
        this.depth++;
      }
      position++;
    }
    this.position = position;
  }

  /** Handles the first significant byte of a top-level value and returns the next position. */
  private startTopLevel(position: number, out: Piece[]): number {
    const byte = this.buffer[position];
    if (byte !== OPEN_BRACE && byte !== OPEN_BRACKET) {
      out.push({
        kind: 'problem',
        reason: 'invalid-json',
        detail: `line ${this.line} contains text that does not start a JSON object or array`,
        text: null,
        line: this.line,
        index: null,
      });
      this.skippingLine = true;
      const newline = this.buffer.indexOf(NEWLINE, position);
      if (newline === -1) {
        this.position = this.buffer.length;
        return this.buffer.length;
      }
      this.skippingLine = false;
      return newline;
    }

    this.depth = 1;
    this.valueStart = position;
    this.valueLine = this.line;
    this.valueIsObject = byte === OPEN_BRACE;
    this.valueIsContainer = false;
    this.valueOverflowed = false;
    this.expectKey = this.valueIsObject;
    this.lastKey = null;
    this.elementIndex = 0;
    if (!this.valueIsObject) this.enterContainer(1);
    return position + 1;
  }

  private enterContainer(elementDepth: number): void {
    this.elementDepth = elementDepth;
    this.expectElement = true;
    this.elementStart = -1;
    this.elementSkipped = false;
    this.valueIsContainer = true;
    this.valueStart = -1;
  }

  /** Called after `depth` was decremented for the closing bracket at `position`. */
  private closeBracket(position: number, out: Piece[]): void {
    if (this.elementDepth > 0 && this.depth === this.elementDepth - 1) {
      this.finishElement(position, out);
      this.elementDepth = 0;
      this.expectElement = false;
    }
    if (this.depth === 1 && this.valueIsObject) this.lastKey = null;
    if (this.depth > 0) return;

    if (!this.valueIsContainer) {
      if (this.valueOverflowed || this.valueStart < 0) {
        out.push(this.oversized(this.valueLine, null));
      } else {
        const end = position + 1;
        if (end - this.valueStart > this.maxRecordBytes) {
          out.push(this.oversized(this.valueLine, null));
        } else {
          out.push({
            kind: 'value',
            text: this.buffer.toString('utf8', this.valueStart, end),
            line: this.valueLine,
            index: null,
          });
        }
      }
    }
    this.valueStart = -1;
    this.valueIsContainer = false;
    this.valueIsObject = false;
    this.expectKey = false;
    this.elementDepth = 0;
    if (this.stopAfterSingleLineValue && this.valueLine === this.line) {
      this.stopped = true;
      this.position = position + 1;
    }
    // Only the first value decides between framing and JSON Lines.
    this.stopAfterSingleLineValue = false;
  }

  /** Emits the element that ends before the separator or bracket at `end`. */
  private finishElement(end: number, out: Piece[]): void {
    if (this.elementSkipped) {
      this.elementSkipped = false;
      return;
    }
    if (this.elementStart < 0) return;
    let last = end;
    while (last > this.elementStart && isWhitespace(this.buffer[last - 1])) last--;
    const index = this.elementIndex++;
    if (last - this.elementStart > this.maxRecordBytes) {
      out.push(this.oversized(this.valueLine, index));
    } else {
      out.push({
        kind: 'value',
        text: this.buffer.toString('utf8', this.elementStart, last),
        line: this.valueLine,
        index,
      });
    }
    this.elementStart = -1;
  }

  /** Stops keeping a value or element once it passes the limit. */
  private checkLimits(out: Piece[]): void {
    const length = this.buffer.length;
    if (this.elementStart >= 0 && length - this.elementStart > this.maxRecordBytes) {
      out.push(this.oversized(this.valueLine, this.elementIndex++));
      this.elementStart = -1;
      this.elementSkipped = true;
    }
    // A top-level object is kept until it turns out to be a container or ends. Past the
    // limit its bytes are dropped, but the scan still looks for a container key.
    if (this.valueStart >= 0 && length - this.valueStart > this.maxRecordBytes) {
      this.valueStart = -1;
      this.valueOverflowed = true;
    }
    if (this.keyStart >= 0 && length - this.keyStart > MAX_CONTAINER_KEY_BYTES) {
      this.keyStart = -1;
    }
  }

  private oversized(line: number, index: number | null): Piece {
    return {
      kind: 'problem',
      reason: 'oversized',
      detail: `the JSON value is larger than the limit of ${this.maxRecordBytes} bytes`,
      text: null,
      line,
      index,
    };
  }
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB || byte === NEWLINE || byte === CARRIAGE_RETURN;
}
