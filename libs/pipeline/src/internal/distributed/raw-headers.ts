import type { MessageHeaders, ReceivedMessage } from '@ciem/kafka';

/**
 * Headers an ingest stage puts on every raw-topic message, next to the W3C trace context.
 * The value is the record's original bytes, unchanged.
 */
export const RAW_RECORD_HEADERS = Object.freeze({
  /** Origin of the record, such as `file:/path`, `s3://bucket/key` or `sqs:<message id>`. */
  source: 'source',
  /** Position of the original outside Kafka, such as `logs/trail.json.gz:12#3` (file and line). */
  rawRef: 'raw_ref',
  /** When the platform read the record: epoch milliseconds UTC, as a decimal string. */
  ingestTime: 'ingest_time',
});

/** Returns the first value of a received header as text, or undefined when it is absent. */
export function headerText(headers: ReceivedMessage['headers'], name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString('utf8');
}

/**
 * Returns the ingest time of a raw message: its `ingest_time` header, or its Kafka timestamp
 * when the header is missing or not a whole number. Both come from the message, so a
 * redelivered message gives the same `ingest_time` and the same `events` row.
 */
export function ingestTimeOf(message: ReceivedMessage): number {
  const header = headerText(message.headers, RAW_RECORD_HEADERS.ingestTime);
  if (header !== undefined && /^\d{1,15}$/.test(header)) return Number(header);
  return message.timestamp;
}

/** Builds the headers of a raw message (without trace context, which the producer adds). */
export function rawRecordHeaders(
  source: string,
  rawRef: string,
  ingestTime: number,
): MessageHeaders {
  return {
    [RAW_RECORD_HEADERS.source]: source,
    [RAW_RECORD_HEADERS.rawRef]: rawRef,
    [RAW_RECORD_HEADERS.ingestTime]: String(ingestTime),
  };
}
