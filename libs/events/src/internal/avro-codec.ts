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

/**
 * Encodes an event as Avro binary (no container, no schema id: the topic's schema is fixed
 * and versioned by `schema_version`). Throws an Error naming the invalid field path when
 * the value does not match the schema.
 */
export function encodeNormalizedEvent(event: NormalizedEvent): Buffer {
  try {
    // toBuffer checks every value it writes and throws at the first invalid one, so a valid
    // event is walked once; only a failure pays for the second walk that names the fields.
    return normalizedEventType.toBuffer(event);
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
