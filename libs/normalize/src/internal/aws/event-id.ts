import { createHash } from 'node:crypto';
import { getPath, readString, type JsonObject } from '../read-field.js';

/** Prefix that marks an event id the platform derived, so it never collides with an eventID. */
export const DERIVED_EVENT_ID_PREFIX = 'derived:';

// The fields that tell one CloudTrail call from another. Fields that re-ingesting tools add
// (`p_*`, `@timestamp`) are left out so a copy of a record hashes like the original.
const IDENTIFYING_FIELDS = [
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'requestID',
  'sourceIPAddress',
  'userIdentity.arn',
  'userIdentity.principalId',
  'userIdentity.accessKeyId',
  'recipientAccountId',
] as const;

/**
 * Returns `eventID`, or for records without one (partial exports, hand-made test records)
 * a deterministic id: `derived:` and the SHA-256 of the identifying fields and the request
 * parameters. The same record always gets the same id, so a redelivered copy is still
 * deduplicated downstream.
 *
 * NOTE: two calls that agree on every identifying field and on their request parameters
 * (same second, same caller, same request, no requestID) get the same derived id and are
 * counted once.
 */
export function readCloudTrailEventId(record: JsonObject): string {
  const eventId = readString(record, 'eventID', record['eventID']);
  if (eventId !== undefined) return eventId;

  const hash = createHash('sha256');
  for (const field of IDENTIFYING_FIELDS) {
    hash.update(field);
    hash.update('\u0000');
    hash.update(readString(record, field) ?? '');
    hash.update('\u0000');
  }
  hash.update(canonicalJson(getPath(record, 'requestParameters') ?? null));
  return `${DERIVED_EVENT_ID_PREFIX}${hash.digest('hex')}`;
}

/**
 * JSON with keys lower-cased and sorted, so neither key order nor a pipeline that lower-cases
 * keys changes the hash.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .map((key) => [key.toLowerCase(), canonicalJson((value as JsonObject)[key])] as const)
      .sort(([left], [right]) => compareCodeUnits(left, right))
      .map(([key, text]) => `${JSON.stringify(key)}:${text}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// Orders by UTF-16 code units, unlike localeCompare, so the hash is the same on every host.
function compareCodeUnits(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}
