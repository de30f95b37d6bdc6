import { Buffer } from 'node:buffer';
import { InputError, describeValue } from '@ciem/errors';
import { readRecords } from '@ciem/normalize';
import type { RawRecord, RecordReadError } from '@ciem/normalize';
import { IngestAzureErrorCodes } from './errors.js';

/**
 * Returns the bytes of an Event Hubs event body, or an `InputError`
 * (`CIEM_INGEST_AZURE_BODY_INVALID`) for a body that is not JSON text, bytes or a JSON object.
 *
 * Azure Monitor diagnostic settings send UTF-8 JSON `{"records":[...]}` in the AMQP data
 * section. With `skipParsingBodyAsJson` the SDK passes those bytes as a `Buffer` and they stay
 * unchanged. Without it the SDK parses JSON bodies into objects, and a sender may also send a
 * string, so the other forms are accepted: a string as its UTF-8 bytes, and a parsed object or
 * array as its `JSON.stringify` text (the original spacing is lost then).
 */
export function eventBodyBytes(body: unknown, source: string): Buffer | InputError {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (typeof body === 'object' && body !== null) return Buffer.from(JSON.stringify(body), 'utf8');
  return new InputError(
    IngestAzureErrorCodes.bodyInvalid,
    `Event ${source} has an invalid body: expected JSON text, bytes or a JSON object, received ${describeValue(body)}. The event is dead-lettered; check what the sender writes to the event hub.`,
    { details: { source } },
  );
}

/**
 * Reads the records of one event body: each element of `{"records":[...]}` (the Azure Monitor
 * export format), of a JSON array, of JSON Lines, or the body itself when it is one record.
 * Yields what `readRecords` yields: records with their original text, and read errors
 * (invalid JSON, oversized records) for the caller to dead-letter. `source` names the event
 * in each record's `rawRef`, such as `eventhub:0/42:1#3`.
 *
 * A syntax error that leaves the rest of a container unframed comes from `readRecords`
 * without text. Here it carries the whole body instead, so the dead-letter topic keeps the
 * bytes that could not be read. The records before the error are published as well, so they
 * appear on both topics.
 */
export async function* readEventRecords(
  bytes: Buffer,
  source: string,
  maxRecordBytes?: number,
): AsyncGenerator<RawRecord | RecordReadError> {
  const items = readRecords(oneChunk(bytes), {
    name: source,
    provider: 'azure',
    ...(maxRecordBytes === undefined ? {} : { maxRecordBytes }),
  });
  for await (const item of items) {
    if ('kind' in item && item.text === null && item.reason === 'invalid-json') {
      yield { ...item, text: bytes.toString('utf8') };
    } else {
      yield item;
    }
  }
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

/** Returns the `source` header of an event: `eventhub:<partition id>/<sequence number>`. */
export function eventSource(partitionId: string, sequenceNumber: number): string {
  return `eventhub:${partitionId}/${sequenceNumber}`;
}
