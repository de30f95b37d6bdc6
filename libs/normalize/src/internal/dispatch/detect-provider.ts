import type { Provider } from '@ciem/events';
import { isObject } from '../read-field.js';

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
  const exact = detectByKeys((key) => value[key]);
  if (exact !== undefined) return exact;

  const lowered = new Map<string, unknown>();
  for (const key in value) lowered.set(key.toLowerCase(), value[key]);
  return detectByKeys((key) => lowered.get(key.toLowerCase()));
}

const GCP_KEYS = ['protoPayload', 'logName', 'insertId'];
const AZURE_OPERATION_KEYS = ['operationName', 'operation_name'];
const AZURE_COMPANION_KEYS = [
  'resourceId',
  'category',
  'eventDataId',
  'authorization',
  'resource_id',
  'event_data_id',
];
const AWS_KEYS = ['eventVersion', 'eventSource', 'eventName', 'userIdentity'];

function detectByKeys(read: (key: string) => unknown): Provider | undefined {
  if (hasAny(read, GCP_KEYS)) return 'gcp';
  if (hasAny(read, AZURE_OPERATION_KEYS) && hasAny(read, AZURE_COMPANION_KEYS)) return 'azure';
  if (hasAny(read, AWS_KEYS)) return 'aws';
  return undefined;
}

function hasAny(read: (key: string) => unknown, keys: readonly string[]): boolean {
  for (const key of keys) {
    const member = read(key);
    if (member !== undefined && member !== null) return true;
  }
  return false;
}
