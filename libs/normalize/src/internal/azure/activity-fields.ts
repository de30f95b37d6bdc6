import { compileFieldReader, compileFieldReaders } from '../field-reader.js';
import type { FieldReader } from '../field-reader.js';
import {
  fieldPath,
  getPath,
  objectOf,
  parseJsonObject,
  readObject,
  readString,
  textOf,
} from '../read-field.js';
import type { FieldPath, JsonObject } from '../read-field.js';

/**
 * Record paths of each logical field in the three shapes of an Azure Activity Log record, first match
 * wins:
 * - diagnostic settings and Event Hubs (Azure Monitor "Resource log schema"): flat
 *   camelCase, `identity.claims`, `resultType`, sometimes PascalCase keys;
 * - the REST API and `az monitor activity-log list` (Activity Log "event schema"):
 *   `eventDataId`, `operationName.value`, `status.value`, top-level `claims`;
 * - the Python SDK and CLI `--output json` from older releases: the same fields in
 *   snake_case (`event_data_id`, `operation_name.value`).
 * Lookups ignore key case (see read-field.ts), so PascalCase needs no entry here.
 */
export const AZURE_FIELD_PATHS = {
  eventDataId: ['eventDataId', 'event_data_id', 'properties.eventDataId'],
  time: ['time', 'eventTimestamp', 'event_timestamp'],
  operationName: ['operationName.value', 'operation_name.value', 'operationName'],
  category: ['category.value', 'category', 'properties.eventCategory'],
  resultType: ['resultType', 'status.value', 'status', 'result_type'],
  subStatus: ['subStatus.value', 'sub_status.value', 'resultSignature', 'result_signature'],
  statusCode: ['properties.statusCode', 'statusCode', 'status_code'],
  statusText: ['statusText', 'resultDescription'],
  resourceId: ['resourceId', 'resource_id', 'resourceUri'],
  resourceProvider: [
    'resourceProviderName.value',
    'resource_provider_name.value',
    'resourceProviderName',
  ],
  subscriptionId: ['subscriptionId', 'subscription_id'],
  tenantId: ['tenantId', 'tenant_id'],
  correlationId: ['correlationId', 'correlation_id'],
  callerIpAddress: [
    'callerIpAddress',
    'caller_ip_address',
    'httpRequest.clientIpAddress',
    'http_request.client_ip_address',
  ],
  caller: ['caller'],
  location: ['location'],
  userAgent: ['properties.userAgentHeader', 'properties.userAgent'],
  authorizationAction: ['identity.authorization.action', 'authorization.action'],
  authorizationScope: ['identity.authorization.scope', 'authorization.scope'],
  principalId: ['identity.authorization.evidence.principalId'],
  principalType: ['identity.authorization.evidence.principalType'],
  authType: ['identity.type'],
} as const satisfies Record<string, readonly string[]>;

/** A logical field of an Azure Activity record. */
export type AzureField = keyof typeof AZURE_FIELD_PATHS;

/** Objects that may arrive as objects or as JSON strings. */
const AZURE_OBJECT_PATHS = {
  claims: ['identity.claims', 'claims'],
  identity: ['identity'],
  properties: ['properties'],
  requester: ['identity.requester'],
} as const satisfies Record<string, readonly string[]>;

/** Each field's paths, split once. */
const FIELD_PATHS = compile(AZURE_FIELD_PATHS);
const OBJECT_PATHS = compile(AZURE_OBJECT_PATHS);

function compile<K extends string>(
  table: Record<K, readonly string[]>,
): Record<K, readonly FieldPath[]> {
  const compiled = {} as Record<K, readonly FieldPath[]>;
  for (const name of Object.keys(table) as K[]) compiled[name] = table[name].map(fieldPath);
  return compiled;
}

/** One compiled reader per field (see field-reader.ts), built when the module loads. */
export const azureText = compileFieldReaders(
  FIELD_PATHS,
  { parseJsonObject, convert: textOf },
  readFieldString,
);
export const azureObject = compileFieldReaders(
  OBJECT_PATHS,
  { parseJsonObject, convert: objectOf },
  readFieldObject,
);

/**
 * Reads the value of `time` as the record has it (a string or an epoch number) at the
 * first path where {@link readAzureField} finds it, for `readTime`.
 */
export const azureRawTime: FieldReader<unknown> = compileFieldReader<unknown>(
  FIELD_PATHS.time,
  { parseJsonObject, convert: (value) => (textOf(value) === undefined ? undefined : value) },
  (record) => {
    const found = readAzureField(record as JsonObject, 'time');
    return found === undefined ? undefined : getPath(record, found.path);
  },
);

/** Reads the first non-empty string among `paths` with the shared readers. */
function readFieldString(record: unknown, paths: readonly FieldPath[]): string | undefined {
  for (let index = 0; index < paths.length; index++) {
    const value = readString(record, paths[index] as FieldPath);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Reads the first object among `paths` with the shared readers. */
function readFieldObject(record: unknown, paths: readonly FieldPath[]): JsonObject | undefined {
  for (let index = 0; index < paths.length; index++) {
    const value = readObject(record, paths[index] as FieldPath);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A value and the record path it was read from, for error messages. */
export interface FieldValue {
  value: string;
  path: string;
}

/** Reads the first non-empty string among a field's known paths. */
export function readAzureField(record: JsonObject, field: AzureField): FieldValue | undefined {
  for (const path of FIELD_PATHS[field]) {
    const value = readString(record, path);
    if (value !== undefined) return { value, path: path.text };
  }
  return undefined;
}

/**
 * Returns the first known path of a field that contains any value, with that raw value, so
 * an error can show what a record contains where a string was expected.
 */
export function findAzureRaw(
  record: JsonObject,
  field: AzureField,
): { path: string; raw: unknown } | undefined {
  for (const path of FIELD_PATHS[field]) {
    const raw = getPath(record, path);
    if (raw !== undefined && raw !== null) return { path: path.text, raw };
  }
  return undefined;
}
