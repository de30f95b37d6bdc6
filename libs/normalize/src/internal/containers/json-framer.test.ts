import { describe, expect, it } from 'vitest';
import { JsonFramer } from './json-framer.js';
import type { Piece } from './piece.js';

/** Frames `text` fed in chunks of `chunkSize` bytes and returns the pieces. */
function frame(text: string, chunkSize: number, maxRecordBytes = 1024): Piece[] {
  const bytes = Buffer.from(text, 'utf8');
  const framer = new JsonFramer({ maxRecordBytes });
  const out: Piece[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) {
    framer.push(bytes.subarray(start, start + chunkSize), out);
  }
  framer.end(out);
  return out;
}

function texts(pieces: Piece[]): (string | null)[] {
  return pieces.map((piece) => piece.text);
}

const TRICKY_RECORDS = [
  '{"eventName":"PutObject","requestParameters":{"key":"a\\"b\\\\"}}',
  '{"eventName":"Get\\\\\\"x","note":"ends with backslash \\\\"}',
  '{"eventName":"DescribeInstances","items":[{"id":"i-1"},{"id":"i-2"}],"n":[1,2,3]}',
  '{"eventName":"CreateUser","userName":"zoë 雪 {[}]","x":null}',
];

describe('JsonFramer', () => {
  it('frames container elements at every chunk size', () => {
    const container = `{"Records": [\n  ${TRICKY_RECORDS.join(',\n  ')}\n]}\n`;
    const length = Buffer.byteLength(container);
    for (let chunkSize = 1; chunkSize <= length; chunkSize++) {
      const pieces = frame(container, chunkSize);
      expect(texts(pieces), `chunk size ${chunkSize}`).toEqual(TRICKY_RECORDS);
    }
  });

  it('numbers container elements from zero', () => {
    const pieces = frame(`{"Records":[${TRICKY_RECORDS.join(',')}]}`, 7);
    expect(pieces.map((piece) => piece.index)).toEqual([0, 1, 2, 3]);
    expect(pieces.map((piece) => piece.line)).toEqual([1, 1, 1, 1]);
  });

  it('frames top-level array elements', () => {
    const pieces = frame(`[\n${TRICKY_RECORDS.join(',\n')}\n]`, 5);
    expect(texts(pieces)).toEqual(TRICKY_RECORDS);
  });

  it('finds container key after other keys', () => {
    const text = `{"nextPageToken":"t","x":{"records":[1]},"entries":[${TRICKY_RECORDS[0]}]}`;
    expect(texts(frame(text, 3))).toEqual([TRICKY_RECORDS[0]]);
  });

  it('matches container keys case-insensitively', () => {
    expect(texts(frame(`{"RECORDS":[${TRICKY_RECORDS[2]}]}`, 4))).toEqual([TRICKY_RECORDS[2]]);
  });

  it('keeps an object without container key whole', () => {
    const record =
      '{\n  "eventName": "ListBuckets",\n  "value": "not an array",\n  "records": 3\n}';
    const pieces = frame(record, 2);
    expect(texts(pieces)).toEqual([record]);
    expect(pieces[0]?.index).toBeNull();
  });

  it('frames concatenated pretty-printed values', () => {
    const first = '{\n  "a": 1\n}';
    const second = '{\n  "b": "}"\n}';
    const pieces = frame(`${first}\n${second}\n`, 3);
    expect(texts(pieces)).toEqual([first, second]);
    expect(pieces.map((piece) => piece.line)).toEqual([1, 4]);
  });

  it('reports oversized element and goes on', () => {
    const big = `{"eventName":"${'x'.repeat(200)}"}`;
    const small = '{"eventName":"A"}';
    const pieces = frame(`{"Records":[${small},${big},${small}]}`, 16, 100);
    expect(pieces.map((piece) => [piece.kind, piece.index])).toEqual([
      ['value', 0],
      ['problem', 1],
      ['value', 2],
    ]);
    expect(pieces[1]).toMatchObject({ reason: 'oversized', text: null });
  });

  it('reports oversized element ending inside chunk', () => {
    const big = `{"eventName":"${'x'.repeat(200)}"}`;
    const pieces = frame(`[${big}]`, 4096, 100);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ kind: 'problem', reason: 'oversized', index: 0 });
  });

  it('reports oversized single value once', () => {
    const pieces = frame(`{"eventName":"${'y'.repeat(500)}"}`, 32, 100);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ kind: 'problem', reason: 'oversized', index: null });
  });

  it('streams container after an oversized prefix', () => {
    const text = `{"padding":"${'p'.repeat(300)}","Records":[{"a":1},{"b":2}]}`;
    expect(texts(frame(text, 50, 100))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('reports truncated container at end', () => {
    const pieces = frame('{"Records":[{"a":1},{"b":', 5);
    expect(pieces.map((piece) => piece.kind)).toEqual(['value', 'problem']);
    expect(pieces[1]).toMatchObject({ reason: 'invalid-json', index: 1, line: 1 });
  });

  it('reports text that starts no value', () => {
    const pieces = frame('{"a":1}\nnot json\n{"b":2}', 4);
    expect(pieces.map((piece) => piece.kind)).toEqual(['value', 'problem', 'value']);
    expect(pieces[1]).toMatchObject({ reason: 'invalid-json', line: 2 });
    expect(pieces[2]).toMatchObject({ text: '{"b":2}', line: 3 });
  });

  it('hands off after a single-line first value', () => {
    const framer = new JsonFramer({ maxRecordBytes: 100, stopAfterSingleLineValue: true });
    const out: Piece[] = [];
    framer.push(Buffer.from('{"a":1}\n{"b":2}\n'), out);
    expect(texts(out)).toEqual(['{"a":1}']);
    const handoff = framer.handoff();
    expect(handoff?.rest.toString()).toBe('\n{"b":2}\n');
    expect(handoff?.line).toBe(1);
  });
});
