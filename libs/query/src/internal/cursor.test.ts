import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('encodeCursor and decodeCursor', () => {
  it('round-trips the sort key', () => {
    const cursor = encodeCursor('events', [1_763_640_000_123, "evt-'quoted'"]);
    expect(decodeCursor('events', cursor, ['number', 'string'])).toEqual([
      1_763_640_000_123,
      "evt-'quoted'",
    ]);
  });

  it('rejects a cursor of another list', () => {
    const cursor = encodeCursor('alerts', [1, 'a']);
    expect(() => decodeCursor('events', cursor, ['number', 'string'])).toThrow(
      /cursor: expected the next_cursor value/,
    );
  });

  it('rejects wrong value types', () => {
    const cursor = encodeCursor('events', ['1', 'a']);
    expect(() => decodeCursor('events', cursor, ['number', 'string'])).toThrow(/cursor/);
  });

  it('rejects text that is not base64 JSON', () => {
    expect(() => decodeCursor('events', 'not a cursor!', ['number'])).toThrow(/cursor/);
  });

  it('rejects fractional numbers', () => {
    const cursor = encodeCursor('events', [1.5, 'a']);
    expect(() => decodeCursor('events', cursor, ['number', 'string'])).toThrow(/cursor/);
  });
});
