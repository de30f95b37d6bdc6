import type { Provider } from '@ciem/events';
import { isObject } from '../read-field.js';
import type { JsonObject } from '../read-field.js';

/**
 * Names the cloud a parsed record comes from by its top-level keys, or returns undefined.
 *
 * - GCP: a Cloud Logging `LogEntry` has `protoPayload`, `logName` or `insertId`.
 * - Azure: Activity Log records have `operationName` (a string in Event Hubs and
 *   diagnostic exports, a `{value, localizedValue}` object in REST output, or
 *   `operation_name` in SDK and CLI output) with one of `resourceId`, `category`,
 *   `eventDataId` or `authorization`.
 * - AWS: a CloudTrail record has `eventVersion`, `eventSource`, `eventName` or
 *   `userIdentity`.
 *
 * Azure is tested before AWS because Azure REST records also carry an `eventName` object.
 * Keys are first looked up as spelled, then case-insensitively, because some pipelines
 * lower-case every key (`insertid`, `eventname`).
 */
export function detectProvider(value: unknown): Provider | undefined {
  if (!isObject(value)) return undefined;
  const exact = detectByKeys(value);
  if (exact !== undefined) return exact;

  // The same test on the keys in any case: each key whose lower-case form is that of a
  // detection key is read under the detection key's spelling, the last one winning.
  const respelled: JsonObject = {};
  for (const key in value) {
    const spelling = DETECTION_KEY_SPELLING.get(key.toLowerCase());
    if (spelling !== undefined) respelled[spelling] = value[key];
  }
  return detectByKeys(respelled);
}

/** Every key {@link detectByKeys} reads, as it spells them. */
const DETECTION_KEYS = [
  'protoPayload',
  'logName',
  'insertId',
  'operationName',
  'operation_name',
  'resourceId',
  'category',
  'eventDataId',
  'authorization',
  'resource_id',
  'event_data_id',
  'eventVersion',
  'eventSource',
  'eventName',
  'userIdentity',
];

const DETECTION_KEY_SPELLING = new Map(DETECTION_KEYS.map((key) => [key.toLowerCase(), key]));

/**
 * Applies the rules of {@link detectProvider} to the keys as spelled. Each key is a
 * literal read with an inline cache of its own, because a loop over a key list shares one
 * read site, which looks every key up the slow way. None of the keys is a property of
 * Object.prototype, so a plain read is an own one. {@link DETECTION_KEYS} lists them.
 */
function detectByKeys(value: JsonObject): Provider | undefined {
  if (present(value['protoPayload']) || present(value['logName']) || present(value['insertId'])) {
    return 'gcp';
  }
  if (
    (present(value['operationName']) || present(value['operation_name'])) &&
    (present(value['resourceId']) ||
      present(value['category']) ||
      present(value['eventDataId']) ||
      present(value['authorization']) ||
      present(value['resource_id']) ||
      present(value['event_data_id']))
  ) {
    return 'azure';
  }
  if (
    present(value['eventVersion']) ||
    present(value['eventSource']) ||
    present(value['eventName']) ||
    present(value['userIdentity'])
  ) {
    return 'aws';
  }
  return undefined;
}

function present(member: unknown): boolean {
  return member !== undefined && member !== null;
}
