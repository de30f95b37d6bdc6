import { hash } from 'node:crypto';
import { describeValue } from '@ciem/errors';
import { SCHEMA_VERSION } from '@ciem/events';
import type {
  Action,
  NormalizationError,
  NormalizationReason,
  NormalizedEvent,
  Resource,
} from '@ciem/events';
import { gcpPermissionVisibility } from '@ciem/permission-map';
import type { NormalizeContext, NormalizeResult } from '../context.js';
import {
  getPath,
  isObject,
  readArray,
  readBoolean,
  readObject,
  readString,
  readTime,
} from '../read-field.js';
import type { JsonObject } from '../read-field.js';
import { parseLogName } from './log-name.js';
import { operationPhaseOf } from './operation-phase.js';
import type { LogNameParts } from './log-name.js';
import { delegationOf, principalOf } from './principal.js';
import { resultOf } from './status.js';

const AUDIT_LOG_TYPE = 'google.cloud.audit.AuditLog';
/** LogEntry payloads other than `protoPayload`: such entries are not audit logs. */
const OTHER_PAYLOADS = ['jsonPayload', 'textPayload'];

/**
 * Normalizes one Cloud Logging `LogEntry` whose `protoPayload` is a
 * `google.cloud.audit.AuditLog` ("Cloud Audit Logs" and the AuditLog reference).
 *
 * - `event_id` is `insertId`; an entry without one gets the hex SHA-256 of `logName`,
 *   `timestamp`, `methodName`, `resourceName` and the principal, so replays keep one id.
 * - `log_type` is the audit stream named by the `logName` suffix (`activity`,
 *   `data_access`, `system_event`, `policy`).
 * - `account_id` is the project id (`resource.labels.project_id` or the `logName`
 *   project). Entries logged on an organization, folder or billing account get that
 *   parent as `organizations/<id>`, `folders/<id>` or `billingAccounts/<id>`.
 * - `tenant_id` is `organizations/<id>` when the entry names its organization.
 * - Permissions are every `authorizationInfo[].permission`, once each, in log order.
 *   Without any, the action is `unmapped`, except System Event entries, which Google
 *   writes for its own actions (`no-permission`).
 * - `correlation_id` is `operation.id`. The last entry of a long-running operation gets
 *   phase `completed` unless it was denied (see `operationPhaseOf`), and every other entry
 *   a null phase.
 *
 * Does not throw for bad input: an entry that is not an object, carries another payload
 * type, or lacks `methodName` or a timestamp comes back as a NormalizationError.
 */
export function normalizeGcpAuditEntry(record: unknown, ctx: NormalizeContext): NormalizeResult {
  if (!isObject(record)) {
    return invalid(
      ctx,
      'wrong-type',
      null,
      `GCP audit log entry must be a JSON object (a LogEntry), received ${describeValue(record)}; ` +
        'pass one entry, not an array or a Pub/Sub envelope.',
    );
  }

  // Fields are read with literal keys (see `getPath`), which V8 caches per read site.
  const payload = readObject(record, 'protoPayload', record['protoPayload']);
  if (payload === undefined) return missingPayload(ctx, record);
  const payloadType = readString(payload, '@type', payload['@type']);
  if (payloadType !== undefined && !payloadType.endsWith(AUDIT_LOG_TYPE)) {
    return invalid(
      ctx,
      'not-an-event',
      'protoPayload.@type',
      `GCP log entry field \`protoPayload.@type\` must name ${AUDIT_LOG_TYPE}, received ` +
        `${describeValue(payloadType)}; route only Cloud Audit Logs to this normalizer.`,
    );
  }

  const methodName = readString(payload, 'methodName', payload['methodName']);
  if (methodName === undefined) {
    return missingField(
      ctx,
      payload,
      'methodName',
      'protoPayload.methodName',
      'a method name such as google.iam.admin.v1.CreateRole',
    );
  }

  // `receiveTimestamp` (when Logging received the entry) replaces a missing `timestamp`.
  const timestamp = getPath(record, 'timestamp', record['timestamp']);
  const timeField = timestamp == null ? 'receiveTimestamp' : 'timestamp';
  const timeValue =
    timestamp == null ? getPath(record, 'receiveTimestamp', record['receiveTimestamp']) : timestamp;
  const eventTime = readTime(record, timeField, timeValue);
  if (eventTime === undefined) {
    const present = timeValue != null;
    return missingField(
      ctx,
      record,
      present ? timeField : 'timestamp',
      present ? timeField : 'timestamp',
      'an RFC 3339 timestamp (or `receiveTimestamp` when `timestamp` is absent)',
    );
  }

  const logName = readString(record, 'logName', record['logName']);
  const logParts = logName === undefined ? undefined : parseLogName(logName);
  const logType = logParts?.auditLogType;

  const authenticationInfo = readObject(
    payload,
    'authenticationInfo',
    payload['authenticationInfo'],
  );
  const principal = principalOf(authenticationInfo);
  const metadata = readObject(payload, 'metadata', payload['metadata']);
  const delegation = delegationOf(principal, authenticationInfo, metadata);

  const checks = readArray(payload, 'authorizationInfo', payload['authorizationInfo']).filter(
    isObject,
  );
  const anyNotGranted = checks.some(
    (check) => readBoolean(check, 'granted', check['granted']) === false,
  );
  const result = resultOf(readObject(payload, 'status', payload['status']), anyNotGranted);
  const resourceName = readString(payload, 'resourceName', payload['resourceName']);
  // `resource` is the monitored resource, whose labels name the project and location.
  const resource = readObject(record, 'resource', record['resource']);
  const labels = readObject(resource, 'labels', resource?.['labels']);
  const requestMetadata = readObject(payload, 'requestMetadata', payload['requestMetadata']);
  const operation = readObject(record, 'operation', record['operation']);

  const event: NormalizedEvent = {
    schema_version: SCHEMA_VERSION,
    event_id:
      readString(record, 'insertId', record['insertId']) ??
      deriveEventId([
        logName ?? '',
        readString(record, timeField, timeValue) ?? '',
        methodName,
        resourceName ?? '',
        principal.id,
      ]),
    provider: 'gcp',
    event_time: eventTime,
    ingest_time: ctx.ingestTime,
    log_type: logType ?? null,
    account_id: accountOf(labels, logParts),
    tenant_id: tenantOf(labels, logParts),
    region: regionOf(labels, payload),
    principal,
    session: delegation.session,
    actor: delegation.actor,
    access_key_id:
      readString(
        authenticationInfo,
        'serviceAccountKeyName',
        authenticationInfo?.['serviceAccountKeyName'],
      ) ?? null,
    mfa: null,
    action: actionOf(labels, payload, methodName, checks, logType),
    read_only: readOnlyOf(checks, methodName),
    category: logType === 'data_access' ? 'data' : 'management',
    resources: resourcesOf(resource, resourceName, checks),
    outcome: result.outcome,
    error_code: result.errorCode,
    error_message: result.errorMessage,
    source_ip: readString(requestMetadata, 'callerIp', requestMetadata?.['callerIp']) ?? null,
    user_agent:
      readString(
        requestMetadata,
        'callerSuppliedUserAgent',
        requestMetadata?.['callerSuppliedUserAgent'],
      ) ?? null,
    via_service: null,
    vpc_endpoint: null,
    phase: operationPhaseOf(operation, result.outcome),
    correlation_id: readString(operation, 'id', operation?.['id']) ?? null,
    raw_ref: ctx.rawRef,
  };
  return event;
}

/** Derives an event id as the hex SHA-256 of the identifying fields, in a fixed order. */
export function deriveEventId(fields: readonly string[]): string {
  return hash('sha256', JSON.stringify(fields), 'hex');
}

function actionOf(
  labels: JsonObject | undefined,
  payload: JsonObject,
  methodName: string,
  checks: JsonObject[],
  logType: string | undefined,
): Action {
  const permissions: string[] = [];
  for (const check of checks) {
    const permission = readString(check, 'permission', check['permission']);
    if (permission !== undefined && !permissions.includes(permission)) permissions.push(permission);
  }
  const first = permissions[0];
  let mapping: Action['mapping'] = 'unmapped';
  let visibility: Action['visibility'] = logType === 'data_access' ? 'data-event' : 'logged';
  if (first !== undefined) {
    mapping = 'mapped';
    visibility = gcpPermissionVisibility(first, { logType });
  } else if (logType === 'system_event') {
    // Google writes System Event entries for its own actions, which use no permission.
    mapping = 'no-permission';
  }
  return {
    service:
      readString(payload, 'serviceName', payload['serviceName']) ??
      readString(labels, 'service', labels?.['service']) ??
      '',
    operation: methodName,
    permissions,
    mapping,
    visibility,
  };
}

function accountOf(labels: JsonObject | undefined, logParts: LogNameParts | undefined): string {
  const projectId = readString(labels, 'project_id', labels?.['project_id']);
  if (projectId !== undefined) return projectId;
  if (logParts === undefined) return '';
  if (logParts.containerKind === 'projects') return logParts.containerId;
  return `${logParts.containerKind}/${logParts.containerId}`;
}

function tenantOf(
  labels: JsonObject | undefined,
  logParts: LogNameParts | undefined,
): string | null {
  const organizationId =
    readString(labels, 'organization_id', labels?.['organization_id']) ??
    (logParts?.containerKind === 'organizations' ? logParts.containerId : undefined);
  return organizationId === undefined ? null : `organizations/${organizationId}`;
}

/** Location labels of the monitored resource, else the resource's only current location. */
function regionOf(labels: JsonObject | undefined, payload: JsonObject): string | null {
  const label =
    readString(labels, 'location', labels?.['location']) ??
    readString(labels, 'zone', labels?.['zone']) ??
    readString(labels, 'region', labels?.['region']);
  if (label !== undefined) return label;
  const resourceLocation = readObject(payload, 'resourceLocation', payload['resourceLocation']);
  const locations = readArray(
    resourceLocation,
    'currentLocations',
    resourceLocation?.['currentLocations'],
  );
  const [only] = locations;
  return locations.length === 1 && typeof only === 'string' && only !== '' ? only : null;
}

/**
 * Lists `resourceName` and each `authorizationInfo[].resource` once, as logged (relative
 * names such as `projects/p/zones/z/instances/i`). `authorizationInfo[].resourceAttributes.type`
 * types a checked resource; the monitored resource type (`resource.type`) types the rest.
 */
function resourcesOf(
  monitoredResource: JsonObject | undefined,
  resourceName: string | undefined,
  checks: JsonObject[],
): Resource[] {
  // NOTE: ids stay relative as logged, so they do not equal the full resource names
  // (`//compute.googleapis.com/projects/...`) that Cloud Asset Inventory uses.
  const monitoredType = readString(monitoredResource, 'type', monitoredResource?.['type']) ?? null;
  const resources = new Map<string, Resource>();
  if (resourceName !== undefined)
    resources.set(resourceName, { id: resourceName, type: monitoredType });
  for (const check of checks) {
    const id = readString(check, 'resource', check['resource']);
    if (id === undefined || resources.has(id)) continue;
    const attributes = readObject(check, 'resourceAttributes', check['resourceAttributes']);
    const type = readString(attributes, 'type', attributes?.['type']);
    resources.set(id, { id, type: type ?? monitoredType });
  }
  return [...resources.values()];
}

const READ_METHOD_VERBS =
  /^(get|list|search|query|lookup|read|batchget|aggregatedlist|testiampermissions|fetch|export|access)/;
const WRITE_METHOD_VERBS =
  /^(create|insert|update|patch|delete|set|add|remove|put|write|undelete|move|enable|disable|start|stop|reset|resize|attach|detach|import|cancel|publish|acknowledge)/;

/**
 * Reads `authorizationInfo[].permissionType`: any ADMIN_WRITE or DATA_WRITE makes the call
 * a write, only reads make it read-only. Without permission types, the verb that starts
 * the last part of `methodName` decides, and an unknown verb gives null.
 */
function readOnlyOf(checks: JsonObject[], methodName: string): boolean | null {
  let typed = false;
  let allRead = true;
  for (const check of checks) {
    const type = readString(check, 'permissionType', check['permissionType'])?.toUpperCase();
    if (type === undefined) continue;
    if (type.endsWith('_WRITE')) return false;
    typed = true;
    if (!type.endsWith('_READ')) allRead = false;
  }
  if (typed && allRead) return true;
  return readOnlyOfMethod(methodName);
}

/** Largest number of method names kept; the cache is emptied when it is full. */
const MAX_CACHED_METHODS = 10_000;
const readOnlyByMethod = new Map<string, boolean | null>();

/** Guesses from the verb of the method's last part, cached because methods recur. */
function readOnlyOfMethod(methodName: string): boolean | null {
  const cached = readOnlyByMethod.get(methodName);
  if (cached !== undefined) return cached;
  const verb = methodName.slice(methodName.lastIndexOf('.') + 1).toLowerCase();
  let readOnly: boolean | null = null;
  if (READ_METHOD_VERBS.test(verb)) readOnly = true;
  else if (WRITE_METHOD_VERBS.test(verb)) readOnly = false;
  if (readOnlyByMethod.size >= MAX_CACHED_METHODS) readOnlyByMethod.clear();
  readOnlyByMethod.set(methodName, readOnly);
  return readOnly;
}

function missingPayload(ctx: NormalizeContext, record: JsonObject): NormalizationError {
  const otherPayload = OTHER_PAYLOADS.find((key) => getPath(record, key) !== undefined);
  if (otherPayload !== undefined) {
    return invalid(
      ctx,
      'not-an-event',
      otherPayload,
      `GCP log entry carries \`${otherPayload}\`, not an AuditLog \`protoPayload\`: expected a ` +
        'Cloud Audit Logs entry; narrow the log sink filter to logName:"cloudaudit.googleapis.com".',
    );
  }
  return missingField(ctx, record, 'protoPayload', 'protoPayload', 'an AuditLog object');
}

/** Reports a missing field, or a field of the wrong type when the entry contains another value. */
function missingField(
  ctx: NormalizeContext,
  parent: JsonObject,
  key: string,
  fieldPath: string,
  expected: string,
): NormalizationError {
  const raw = getPath(parent, key);
  if (raw !== undefined && raw !== null) {
    return invalid(
      ctx,
      'wrong-type',
      fieldPath,
      `GCP audit log entry field \`${fieldPath}\` must be ${expected}, received ` +
        `${describeValue(raw)}; fix the exporter or dead-letter the entry.`,
    );
  }
  return invalid(
    ctx,
    'missing-field',
    fieldPath,
    `GCP audit log entry has no \`${fieldPath}\`: expected ${expected}, received an object with ` +
      `keys ${describeValue(Object.keys(parent))}; check that the input is a Cloud Audit Logs LogEntry.`,
  );
}

function invalid(
  ctx: NormalizeContext,
  reason: NormalizationReason,
  field: string | null,
  message: string,
): NormalizationError {
  return {
    kind: 'normalization-error',
    provider: 'gcp',
    reason,
    field,
    message: `${message} (record ${ctx.rawRef})`,
    raw_ref: ctx.rawRef,
  };
}
