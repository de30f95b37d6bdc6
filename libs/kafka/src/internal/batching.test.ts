import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { chunkMessages, estimateMessageBytes } from './batching.js';

describe('estimateMessageBytes', () => {
  it('counts key, value and headers in bytes', () => {
    const bare = estimateMessageBytes({ value: null });
    // "é" is two bytes in UTF-8.
    expect(estimateMessageBytes({ key: 'é', value: Buffer.alloc(10) })).toBe(bare + 12);
    expect(estimateMessageBytes({ value: null, headers: { ab: 'xyz' } })).toBeGreaterThan(bare + 5);
  });
});

describe('chunkMessages', () => {
  const message = (size: number) => ({ value: Buffer.alloc(size) });

  it('keeps small sends in one chunk', () => {
    const chunks = chunkMessages([message(10), message(10), message(10)], 10_000, 100);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toHaveLength(3);
  });

  it('splits by bytes preserving order', () => {
    const messages = Array.from({ length: 10 }, (_, index) => ({
      key: String(index),
      value: Buffer.alloc(400),
    }));
    const chunks = chunkMessages(messages, 1_000, 100);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat().map((entry) => entry.key)).toEqual(messages.map((entry) => entry.key));
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, entry) => sum + estimateMessageBytes(entry), 0);
      expect(bytes).toBeLessThanOrEqual(1_000);
    }
  });

  it('splits by message count', () => {
    const chunks = chunkMessages(
      Array.from({ length: 25 }, () => message(1)),
      1_000_000,
      10,
    );
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 5]);
  });

  it('gives an oversized message its own chunk', () => {
    const chunks = chunkMessages([message(10), message(5_000), message(10)], 1_000, 100);
    expect(chunks.map((chunk) => chunk.length)).toEqual([1, 1, 1]);
  });

  it('returns no chunks for no messages', () => {
    expect(chunkMessages([], 1_000, 10)).toEqual([]);
  });
});
