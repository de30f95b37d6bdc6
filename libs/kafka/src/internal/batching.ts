import { Buffer } from 'node:buffer';
import type { HeaderValue, OutgoingMessage } from './types.js';

/**
 * Per-record overhead of the Kafka v2 record format that the payload sizes do not include:
 * length, attributes, timestamp and offset deltas, key/value lengths and header count are
 * varints of at most 5 or 10 bytes each (Kafka protocol guide, "Record"). Rounded up.
 */
const recordOverheadBytes = 40;
const headerOverheadBytes = 10;

function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function headerBytes(value: HeaderValue): number {
  if (Array.isArray(value)) return value.reduce((sum, item) => sum + byteLength(item), 0);
  return byteLength(value);
}

/** Estimates the bytes a message takes in a record batch before compression. */
export function estimateMessageBytes(message: OutgoingMessage): number {
  let size = recordOverheadBytes + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    size += headerOverheadBytes + Buffer.byteLength(name) + headerBytes(value);
  }
  return size;
}

/**
 * Splits messages into consecutive chunks of at most `maxBytes` (estimated) and `maxCount`
 * messages, keeping their order, so that each produce request stays under the broker's
 * `message.max.bytes` while still carrying many messages. A single message above `maxBytes`
 * gets a chunk of its own, and the broker decides whether to accept it.
 */
export function chunkMessages(
  messages: readonly OutgoingMessage[],
  maxBytes: number,
  maxCount: number,
): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    const size = estimateMessageBytes(message);
    const full = current.length >= maxCount || currentBytes + size > maxBytes;
    if (current.length > 0 && full) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
