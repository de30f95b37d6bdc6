import avro from 'avsc';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent } from './normalized-event.js';

/** Path of the Avro schema file that is the source of truth for the event contract. */
export const NORMALIZED_EVENT_SCHEMA_PATH = fileURLToPath(
  new URL('../../../../schemas/avro/normalized-event.avsc', import.meta.url),
);

/** The parsed Avro schema of a NormalizedEvent. */
export const normalizedEventSchema: avro.Schema = JSON.parse(
  readFileSync(NORMALIZED_EVENT_SCHEMA_PATH, 'utf8'),
) as avro.Schema;

const normalizedEventType = avro.Type.forSchema(normalizedEventSchema);

/** Bytes of the shared buffer that events are encoded into. A larger event gets a larger one. */
const SHARED_BUFFER_BYTES = 256 * 1024;

// Events are encoded one after another into a shared buffer, and each gets a view of its
// bytes. `toBuffer` allocates and zero-fills a buffer of its own for every event and copies
// the bytes into it.
let shared = Buffer.allocUnsafe(SHARED_BUFFER_BYTES);
let sharedPosition = 0;

/** Encodes an event into the shared buffer and returns the view of its bytes. */
function encodeShared(event: NormalizedEvent): Buffer {
  for (;;) {
    const end = normalizedEventType.encode(event, shared, sharedPosition);
    if (end >= 0) {
      const bytes = shared.subarray(sharedPosition, end);
      sharedPosition = end;
      return bytes;
    }
    // A negative result is minus the number of bytes that did not fit.
    const eventBytes = shared.length - sharedPosition - end;
    shared = Buffer.allocUnsafe(Math.max(SHARED_BUFFER_BYTES, eventBytes * 2));
    sharedPosition = 0;
  }
}

/**
 * Encodes an event as Avro binary (no container, no schema id: the topic's schema is fixed
 * and versioned by `schema_version`). The result is a view into a buffer that later events
 * share, so copy it before changing its bytes. Throws a TypeError naming the invalid field
 * path when the value does not match the schema.
 */
export function encodeNormalizedEvent(event: NormalizedEvent): Buffer {
  try {
    // encode checks every value it writes and throws at the first invalid one, so a valid
    // event is walked once; only a failure pays for the second walk that names the fields.
    return encodeShared(event);
  } catch (error) {
    const invalidPaths: string[] = [];
    normalizedEventType.isValid(event, {
      errorHook: (path) => invalidPaths.push(path.join('.')),
    });
    const where =
      invalidPaths.length > 0 ? invalidPaths.join(', ') : `an unnamed field (${String(error)})`;
    throw new TypeError(
      `NormalizedEvent does not match the Avro schema at ${where}; fix the normalizer that produced event ${event?.event_id}`,
    );
  }
}

/** Decodes Avro binary written by {@link encodeNormalizedEvent}. */
export function decodeNormalizedEvent(bytes: Buffer): NormalizedEvent {
  return normalizedEventType.fromBuffer(bytes) as NormalizedEvent;
}
