import type { Buffer } from 'node:buffer';

/**
 * One header value. Kafka allows a header name to repeat; a repeated name arrives as an array
 * of its values in order.
 */
export type HeaderValue = string | Buffer | Array<string | Buffer>;

/** Message headers by name. Received headers are always `Buffer` (or arrays of them). */
export type MessageHeaders = Record<string, HeaderValue>;

/** A message to produce. A `null` value on a compacted topic is a tombstone. */
export interface OutgoingMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: MessageHeaders;
  /** Partition to write to; by default the key's murmur2 hash picks it (as the Java client). */
  partition?: number;
}

/** A consumed message, with its bytes as the broker returned them. */
export interface ReceivedMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
  /** The offset as a decimal string, exact beyond 2^53. */
  offset: string;
  /** The record timestamp in milliseconds since the epoch (create or log-append time). */
  timestamp: number;
}

/** Messages of one partition handed to a consumer's `handleBatch`, in offset order. */
export interface ReceivedBatch {
  topic: string;
  partition: number;
  messages: ReceivedMessage[];
}

/** The broker's acknowledgement for one partition of a `send`. */
export interface PartitionAck {
  topic: string;
  partition: number;
  /** Offset of the first message written to this partition by the request, decimal string. */
  baseOffset: string;
}

/** Lag of a consumer group on one partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** The offset the next produced message will get, decimal string. */
  highWatermark: string;
  /** The group's committed offset (the next offset it will read), or null before its first commit. */
  committedOffset: string | null;
  /**
   * Messages not yet committed: high watermark minus committed offset. Before the first commit
   * it counts every retained message (high watermark minus log start offset).
   */
  lag: number;
}

/** Pino-compatible logger: fields first, then a fixed message. */
export interface KafkaLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** SASL credentials, passed to the client unchanged. */
export type SaslOptions =
  | { mechanism: 'plain'; username: string; password: string }
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string };

/** TLS settings: `true` for the system CAs, or Node `tls.connect` options (ca, cert, key, ...). */
export type SslOptions = boolean | Record<string, unknown>;
