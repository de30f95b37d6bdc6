import type { Buffer } from 'node:buffer';
import { InputError, describeValue } from '@ciem/errors';
import type { Provider } from '@ciem/events';
import { IngestErrorCodes } from '@ciem/ingest';
import { detectProvider } from '@ciem/normalize';
import { IngestGcpErrorCodes } from './errors.js';

/** A message's data parsed as a LogEntry, or the reason it cannot go to the raw topic. */
export type ParsedMessage =
  { ok: true; entry: Record<string, unknown> } | { ok: false; error: InputError };

/**
 * Parses the data of one Pub/Sub message from a Cloud Logging sink: one `LogEntry` as UTF-8
 * JSON ("Route logs to supported destinations", Pub/Sub topics). Returns an `InputError` for
 * data that is not a JSON object (`CIEM_INGEST_GCP_MESSAGE_INVALID`) and for a record of
 * another cloud (`CIEM_INGEST_WRONG_PROVIDER` of `@ciem/ingest`). A JSON object that is not
 * recognisably a LogEntry is accepted: the normalizer reports what it lacks.
 */
export function parseLogEntryMessage(data: Buffer, source: string): ParsedMessage {
  const text = data.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      error: new InputError(
        IngestGcpErrorCodes.messageInvalid,
        `Message ${source} is not valid JSON (${(error as Error).message}); received ${describeValue(text)}. A Cloud Logging sink writes one LogEntry as JSON per message: check what else publishes to the topic.`,
        { details: { source } },
      ),
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: new InputError(
        IngestGcpErrorCodes.messageInvalid,
        `Message ${source} is not a LogEntry: expected a JSON object, received ${describeValue(text)}. A Cloud Logging sink writes one LogEntry as JSON per message: check what else publishes to the topic.`,
        { details: { source } },
      ),
    };
  }
  const provider: Provider | undefined = detectProvider(value);
  if (provider !== undefined && provider !== 'gcp') {
    return {
      ok: false,
      error: new InputError(
        IngestErrorCodes.wrongProvider,
        `Message ${source} is a ${provider} record, but the subscription is read for gcp; ingest it with the ${provider} ingest service.`,
        { details: { source } },
      ),
    };
  }
  return { ok: true, entry: value as Record<string, unknown> };
}

/** Returns the `source` header of a message: `pubsub:<message id>`. */
export function messageSource(messageId: string): string {
  return `pubsub:${messageId}`;
}
