import { JsonFramer } from './json-framer.js';
import { LineSplitter } from './line-splitter.js';
import type { Piece } from './piece.js';

const NEWLINE = 0x0a;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/**
 * Chooses how to split an input from its first bytes, then splits it into pieces:
 *
 * - An input that starts with `{` or `[` is framed by structure ({@link JsonFramer}), so
 *   a container of any size streams record by record and a pretty-printed record spans
 *   lines. When that first value starts and ends on one line, the rest of the input is
 *   read as JSON Lines ({@link LineSplitter}), where a broken line costs only that line.
 *   Otherwise later values are framed by structure too (concatenated pretty-printed JSON).
 * - Any other input is read as JSON Lines from the start.
 *
 * NOTE: A first line that opens a bracket and never closes it, such as a truncated
 * `{"eventName": {`, keeps the input in framing mode. The lines after it are then framed
 * as part of that value and end in one `invalid-json` error instead of being read one by
 * one.
 */
export class RecordSplitter {
  private readonly maxRecordBytes: number;
  private framer: JsonFramer | undefined;
  private lines: LineSplitter | undefined;
  /** Lines seen before the first value, while the mode is still open. */
  private leadingLine = 1;
  private atStart = true;

  constructor(options: { maxRecordBytes: number }) {
    this.maxRecordBytes = options.maxRecordBytes;
  }

  /** Splits one more chunk, appending the pieces it completes to `out`. */
  push(chunk: Buffer, out: Piece[]): void {
    if (this.lines !== undefined) {
      this.lines.push(chunk, out);
      return;
    }
    if (this.framer !== undefined) {
      this.pushToFramer(this.framer, chunk, out);
      return;
    }
    this.choose(chunk, out);
  }

  /** Flushes what is left at the end of the input. */
  end(out: Piece[]): void {
    if (this.lines !== undefined) this.lines.end(out);
    else if (this.framer !== undefined) this.framer.end(out);
  }

  private choose(chunk: Buffer, out: Piece[]): void {
    let start = 0;
    if (this.atStart) {
      this.atStart = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    while (start < chunk.length) {
      const byte = chunk[start];
      if (byte === NEWLINE) this.leadingLine++;
      else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) break;
      start++;
    }
    if (start === chunk.length) return;

    const rest = chunk.subarray(start);
    if (rest[0] === OPEN_BRACE || rest[0] === OPEN_BRACKET) {
      this.framer = new JsonFramer({
        maxRecordBytes: this.maxRecordBytes,
        firstLine: this.leadingLine,
        stopAfterSingleLineValue: true,
      });
      this.pushToFramer(this.framer, rest, out);
      return;
    }
    this.lines = new LineSplitter({
      maxRecordBytes: this.maxRecordBytes,
      firstLine: this.leadingLine,
    });
    this.lines.push(rest, out);
  }

  private pushToFramer(framer: JsonFramer, chunk: Buffer, out: Piece[]): void {
    framer.push(chunk, out);
    const handoff = framer.handoff();
    if (handoff === undefined) return;
    this.framer = undefined;
    this.lines = new LineSplitter({
      maxRecordBytes: this.maxRecordBytes,
      firstLine: handoff.line,
      initial: handoff.rest,
    });
    this.lines.push(undefined, out);
  }
}
