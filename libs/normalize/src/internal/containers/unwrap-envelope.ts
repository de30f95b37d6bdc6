import type { Provider } from '@ciem/events';
import { isObject } from '../read-field.js';
import { parseJson } from './parse-json.js';

/** Result of {@link unwrapEnvelope}. */
export type Unwrapped =
  | { kind: 'record'; value: unknown; text: string }
  | {
      kind: 'rejected';
      reason: 'not-an-event' | 'wrong-envelope' | 'invalid-json';
      provider: Provider | undefined;
      field: string | null;
      detail: string;
    };

/** Envelopes nest at most this deep (a Pub/Sub push body holding a message holding data). */
const MAX_ENVELOPE_DEPTH = 4;

/**
 * Takes one record out of the envelopes that carry single records, and sets aside values
 * that are not events. Records without an envelope come back unchanged, extra keys such
 * as Logstash's `@timestamp` included.
 *
 * - CloudTrail LookupEvents items: the record is the JSON string in `CloudTrailEvent`.
 * - EventBridge events whose `detail-type` ends in "via CloudTrail": the record is
 *   `detail`. Other EventBridge events are `not-an-event`.
 * - Pub/Sub push bodies (`message.data`) and pulled or exported messages (`data` with
 *   `messageId`, `publishTime` or `attributes`): the record is the base64-decoded `data`.
 * - CloudEvents (`specversion`), as Eventarc delivers audit logs: the record is `data`.
 * - CloudTrail digest files (`digestStartTime` with `logFiles` or `digestS3Object`) are
 *   `not-an-event`: they list log files and carry no API calls.
 */
export function unwrapEnvelope(value: unknown, text: string): Unwrapped {
  let current: Unwrapped = { kind: 'record', value, text };
  for (let depth = 0; depth < MAX_ENVELOPE_DEPTH; depth++) {
    const next = unwrapOnce(current.kind === 'record' ? current.value : undefined);
    if (next === undefined) return current;
    if (next.kind === 'rejected') return next;
    current = next;
  }
  return current;
}

function unwrapOnce(value: unknown): Unwrapped | undefined {
  if (!isObject(value)) return undefined;

  // Exact keys only: this runs for every record, and a case-insensitive miss costs a scan
  // of all keys.
  if ('digestStartTime' in value && ('logFiles' in value || 'digestS3Object' in value)) {
    return {
      kind: 'rejected',
      reason: 'not-an-event',
      provider: 'aws',
      field: 'digestStartTime',
      detail: 'the value is a CloudTrail digest file, which lists log files and holds no events',
    };
  }

  const cloudTrailEvent = value['CloudTrailEvent'] ?? value['cloudTrailEvent'];
  if (cloudTrailEvent !== undefined) {
    return fromJsonMember(cloudTrailEvent, 'CloudTrailEvent', 'aws');
  }

  const detailType = value['detail-type'];
  if (typeof detailType === 'string' && 'detail' in value) {
    if (!/via CloudTrail$/i.test(detailType.trim())) {
      return {
        kind: 'rejected',
        reason: 'not-an-event',
        provider: undefined,
        field: 'detail-type',
        detail: `the value is an EventBridge event of detail-type "${detailType.slice(0, 80)}", not a CloudTrail record`,
      };
    }
    return fromJsonMember(value['detail'], 'detail', 'aws');
  }

  const message = value['message'];
  if (isObject(message) && ('data' in message || 'messageId' in message)) {
    return fromBase64(message['data'], 'message.data');
  }
  if (
    'data' in value &&
    ('messageId' in value ||
      'message_id' in value ||
      'publishTime' in value ||
      'attributes' in value) &&
    !('specversion' in value)
  ) {
    return fromBase64(value['data'], 'data');
  }

  if ('specversion' in value && 'data' in value) {
    return fromJsonMember(value['data'], 'data', undefined);
  }
  return undefined;
}

/** Takes the record from a member that contains it as an object or as a JSON string. */
function fromJsonMember(member: unknown, field: string, provider: Provider | undefined): Unwrapped {
  if (isObject(member)) return { kind: 'record', value: member, text: JSON.stringify(member) };
  if (typeof member === 'string') {
    const parsed = parseJson(member);
    if (parsed.ok) return { kind: 'record', value: parsed.value, text: member };
    return {
      kind: 'rejected',
      reason: 'invalid-json',
      provider,
      field,
      detail: `${field} holds a string that is not valid JSON (${parsed.detail})`,
    };
  }
  return {
    kind: 'rejected',
    reason: 'wrong-envelope',
    provider,
    field,
    detail: `${field} is expected to hold a record as a JSON object or string but holds ${typeName(member)}`,
  };
}

/** Takes the record from a Pub/Sub `data` member: base64 of the JSON LogEntry. */
function fromBase64(data: unknown, field: string): Unwrapped {
  if (typeof data !== 'string' || data === '') {
    return {
      kind: 'rejected',
      reason: 'wrong-envelope',
      provider: 'gcp',
      field,
      detail: `${field} is expected to hold a base64 string but holds ${typeName(data)}`,
    };
  }
  const text = Buffer.from(data, 'base64').toString('utf8');
  const parsed = parseJson(text);
  if (parsed.ok && isObject(parsed.value)) return { kind: 'record', value: parsed.value, text };
  return {
    kind: 'rejected',
    reason: 'wrong-envelope',
    provider: 'gcp',
    field,
    detail: `${field} is expected to hold base64 of a JSON LogEntry, but its decoded bytes are not a JSON object`,
  };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
