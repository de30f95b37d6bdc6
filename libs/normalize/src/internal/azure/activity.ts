import { hash } from 'node:crypto';
import { describeValue } from '@ciem/errors';
import { SCHEMA_VERSION } from '@ciem/events';
import type {
  Action,
  Category,
  NormalizationError,
  NormalizationReason,
  NormalizedEvent,
} from '@ciem/events';
import { mapAzureOperation } from '@ciem/permission-map';
import type { NormalizeContext, NormalizeResult } from '../context.js';
import { isObject, readArray, readString, readTime } from '../read-field.js';
import type { JsonObject } from '../read-field.js';
import {
  findAzureRaw,
  readAzureField,
  readAzureObject,
  readAzureString,
} from './activity-fields.js';
import { resolveAzureCaller } from './principal.js';
import type { AzureCaller } from './principal.js';
import {
  namespaceOfOperation,
  namespaceOfResourceId,
  normalizeResourceId,
  subscriptionOf,
} from './resource-id.js';
import { resourcesOf } from './resources.js';
import { categoryOf, isSignInCategory, phaseOf, readStatusMessageRaw, resultOf } from './result.js';
import { signInPrincipalOf, signInResultOf } from './sign-in.js';

/**
 * Normalizes one Azure Activity Log record in any of its three shapes: diagnostic settings
 * or Event Hubs items, REST API or `az monitor activity-log list` objects, and SDK or CLI
 * snake_case output (field table in activity-fields.ts). Resource log records that share
 * the stream (StorageRead, Key Vault AuditEvent...) are normalized too, with category
 * `data`, and Entra ID sign-in records get category `sign-in`.
 *
 * `event_id` is `eventDataId` when the record has one. Diagnostic-settings records have
 * none, so it is then a SHA-256 of the fields that identify a record (see
 * {@link deriveEventId}). Each phase of an operation (started, accepted, succeeded,
 * failed) is its own event; `correlation_id` groups them.
 *
 * Does not throw for bad input: a record that is not an object, or that lacks `time` or
 * `operationName`, comes back as a NormalizationError naming the field.
 */
export function normalizeAzureActivityRecord(
  record: unknown,
  ctx: NormalizeContext,
): NormalizeResult {
  if (!isObject(record)) {
    return invalid(
      ctx,
      'wrong-type',
      null,
      `Azure Activity record must be a JSON object, received ${describeValue(record)}; ` +
        'pass one item of `records[]` or `value[]`, not the envelope or a scalar.',
    );
  }

  const timeField = readAzureField(record, 'time');
  if (timeField === undefined) return missing(ctx, record, 'time', 'an ISO 8601 timestamp');
  const eventTime = readTime(record, timeField.path);
  if (eventTime === undefined) {
    return invalid(
      ctx,
      'wrong-type',
      timeField.path,
      `Azure Activity record field \`${timeField.path}\` must be an ISO 8601 timestamp, ` +
        `received ${describeValue(timeField.value)}; fix the exporter or dead-letter the record.`,
    );
  }

  const operationName = readAzureString(record, 'operationName');
  if (operationName === undefined) {
    return missing(
      ctx,
      record,
      'operationName',
      'a string such as Microsoft.Compute/virtualMachines/write',
    );
  }

  const rawCategory = readAzureString(record, 'category');
  const subStatus = readAzureString(record, 'subStatus');
  const category = categoryOf(rawCategory);
  const properties = readAzureObject(record, 'properties');
  const claims = readAzureObject(record, 'claims');
  const signIn = isSignInCategory(rawCategory);
  // Sign-in records reuse `resultType` for the Entra ID error code, not a phase.
  const phase = signIn ? null : phaseOf(readAzureString(record, 'resultType'));

  const caller: AzureCaller = signIn
    ? { principal: signInPrincipalOf(properties), tenantId: undefined }
    : resolveAzureCaller(callerSources(record, claims));
  const result = signIn
    ? signInResultOf(properties)
    : resultOf({
        phase,
        subStatus,
        statusCode: readAzureString(record, 'statusCode'),
        statusText: readAzureString(record, 'statusText'),
        statusMessage: readStatusMessageRaw(record),
      });

  const resourceId = readAzureString(record, 'resourceId');
  const authorizationScope = readAzureString(record, 'authorizationScope');
  const authorizationAction = authorizationActionOf(record);
  const accountId =
    readAzureString(record, 'subscriptionId')?.toLowerCase() ??
    (resourceId === undefined ? undefined : subscriptionOf(resourceId)) ??
    (authorizationScope === undefined ? undefined : subscriptionOf(authorizationScope)) ??
    '';
  const correlationId = readAzureString(record, 'correlationId')?.toLowerCase() ?? null;
  const sourceIp = stripPort(readAzureString(record, 'callerIpAddress'));

  const action = signIn
    ? signInAction(operationName)
    : actionOf(record, operationName, authorizationAction, resourceId, category, rawCategory);

  const event: NormalizedEvent = {
    schema_version: SCHEMA_VERSION,
    event_id:
      readAzureString(record, 'eventDataId') ??
      deriveEventId({
        time: timeField.value,
        resourceId: resourceId === undefined ? '' : normalizeResourceId(resourceId),
        operationName: operationName.toLowerCase(),
        category: rawCategory?.toLowerCase() ?? '',
        phase: phase ?? '',
        subStatus: subStatus ?? '',
        correlationId: correlationId ?? '',
        principalId: caller.principal.id,
        sourceIp: sourceIp ?? '',
      }),
    provider: 'azure',
    event_time: eventTime,
    ingest_time: ctx.ingestTime,
    log_type: rawCategory ?? null,
    account_id: accountId,
    tenant_id: (caller.tenantId ?? readAzureString(record, 'tenantId'))?.toLowerCase() ?? null,
    region: readAzureString(record, 'location')?.toLowerCase() ?? null,
    principal: caller.principal,
    session: null,
    actor: null,
    access_key_id: null,
    mfa: mfaOf(claims),
    action,
    read_only: readOnlyOf(authorizationAction ?? operationName),
    category,
    resources: resourcesOf({ resourceId, authorizationScope, operationName, properties }),
    outcome: result.outcome,
    error_code: result.errorCode,
    error_message: result.errorMessage,
    source_ip: sourceIp,
    user_agent: readAzureString(record, 'userAgent') ?? null,
    via_service: null,
    vpc_endpoint: null,
    phase,
    correlation_id: correlationId,
    raw_ref: ctx.rawRef,
  };
  return event;
}

/** Identifying fields hashed into the event id of a record without `eventDataId`. */
interface IdentifyingFields {
  time: string;
  resourceId: string;
  operationName: string;
  category: string;
  phase: string;
  subStatus: string;
  correlationId: string;
  principalId: string;
  sourceIp: string;
}

/**
 * Derives an event id as the hex SHA-256 of the identifying fields, normalized (ids
 * lower-cased, phase spelled one way) so that the same record re-exported in another shape
 * or key case gets the same id. `time` is hashed as logged, keeping its sub-millisecond
 * digits.
 */
export function deriveEventId(fields: IdentifyingFields): string {
  // The text is the JSON.stringify of `fields` in this key order, written out because
  // building it from parts costs less than serializing an object. One test of all the
  // values costs less than one per value, and almost no record needs escaping. The spaces
  // keep a lone surrogate at the end of one value from pairing with the next value.
  const values =
    `${fields.time} ${fields.resourceId} ${fields.operationName} ${fields.category} ` +
    `${fields.phase} ${fields.subStatus} ${fields.correlationId} ${fields.principalId} ` +
    fields.sourceIp;
  const quote = MAY_NEED_ESCAPE.test(values) ? jsonString : plainJsonString;
  const text =
    `{"time":${quote(fields.time)},"resourceId":${quote(fields.resourceId)}` +
    `,"operationName":${quote(fields.operationName)}` +
    `,"category":${quote(fields.category)},"phase":${quote(fields.phase)}` +
    `,"subStatus":${quote(fields.subStatus)}` +
    `,"correlationId":${quote(fields.correlationId)}` +
    `,"principalId":${quote(fields.principalId)},"sourceIp":${quote(fields.sourceIp)}}`;
  return hash('sha256', text, 'hex');
}

/** Returns a string that JSON.stringify would not escape, quoted as JSON.stringify writes it. */
function plainJsonString(value: string): string {
  return `"${value}"`;
}

/**
 * Characters JSON.stringify may escape: quote, backslash, control characters and lone
 * surrogates. `\p{Cc}` also contains U+007F to U+009F, and strings with those are simply
 * passed to JSON.stringify.
 */
const MAY_NEED_ESCAPE = /["\\\p{Cc}\p{Cs}]/u;

/** Returns a string as JSON.stringify writes it, quoting it directly when nothing needs escaping. */
function jsonString(value: string): string {
  return MAY_NEED_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function callerSources(
  record: JsonObject,
  claims: JsonObject | undefined,
): Parameters<typeof resolveAzureCaller>[0] {
  const identity = readAzureObject(record, 'identity');
  return {
    claims,
    identityText: identity === undefined ? readString(record, 'identity') : undefined,
    requester: readAzureObject(record, 'requester'),
    authType: readString(identity, 'type'),
    evidencePrincipalId: readAzureString(record, 'principalId'),
    evidencePrincipalType: readAzureString(record, 'principalType'),
    caller: readAzureString(record, 'caller'),
  };
}

/**
 * Reads `authorization.action`. Storage resource logs log `identity.authorization` as an
 * array of checks, so the first check's action is used there.
 */
function authorizationActionOf(record: JsonObject): string | undefined {
  const single = readAzureString(record, 'authorizationAction');
  if (single !== undefined) return single;
  const [first] = readArray(record, 'identity.authorization');
  return readString(first, 'action');
}

function actionOf(
  record: JsonObject,
  operationName: string,
  authorizationAction: string | undefined,
  resourceId: string | undefined,
  category: Category,
  rawCategory: string | undefined,
): Action {
  const mapping = mapAzureOperation(authorizationAction ?? operationName, {
    category: rawCategory,
    dataAction: category === 'data',
  });
  return {
    service: serviceNameOf(record, operationName, authorizationAction, resourceId),
    operation: operationName,
    permissions: [...mapping.permissions],
    mapping: mapping.status,
    visibility: mapping.visibility,
  };
}

/**
 * Picks the resource provider namespace in its documented case (`Microsoft.Compute`).
 * Exports and permissions spell it upper-case (`MICROSOFT.INSIGHTS`) or lower-case, so the
 * first candidate in mixed case wins, and without one the first candidate is lower-cased.
 * Candidates, in order: `resourceProviderName`, the namespaces of the authorization
 * action, of the operation and of the resource id. Each is read only when no earlier one
 * is in mixed case.
 */
function serviceNameOf(
  record: JsonObject,
  operationName: string,
  authorizationAction: string | undefined,
  resourceId: string | undefined,
): string {
  let first: string | undefined;
  for (let index = 0; index < 4; index++) {
    let candidate: string | undefined;
    if (index === 0) candidate = readAzureString(record, 'resourceProvider');
    else if (index === 1) {
      candidate =
        authorizationAction === undefined ? undefined : namespaceOfOperation(authorizationAction);
    } else if (index === 2) candidate = namespaceOfOperation(operationName);
    else candidate = resourceId === undefined ? undefined : namespaceOfResourceId(resourceId);
    if (candidate === undefined) continue;
    if (candidate !== candidate.toUpperCase() && candidate !== candidate.toLowerCase()) {
      return candidate;
    }
    first ??= candidate;
  }
  return first?.toLowerCase() ?? '';
}

function signInAction(operationName: string): Action {
  return {
    service: 'Microsoft.AAD',
    operation: operationName,
    permissions: [],
    mapping: 'no-permission',
    visibility: 'logged',
  };
}

/** ARM operations end in `/read`, `/write`, `/delete` or `/action`; only `/read` reads. */
function readOnlyOf(operation: string): boolean | null {
  if (!operation.includes('/')) return null;
  return operation.toLowerCase().endsWith('/read');
}

/** Reads whether the token's `amr` claim lists `mfa`, or null when the record has no claims. */
function mfaOf(claims: JsonObject | undefined): boolean | null {
  if (claims === undefined) return null;
  const methods =
    readClaimText(claims, 'http://schemas.microsoft.com/claims/authnmethodsreferences') ??
    readClaimText(claims, 'amr');
  if (methods === undefined) return null;
  return MFA_METHOD.test(methods.toLowerCase());
}

/** `mfa` as one of the whitespace- or comma-separated methods of the `amr` claim. */
const MFA_METHOD = /(?:^|[\s,])mfa(?:[\s,]|$)/;

function readClaimText(claims: JsonObject, name: string): string | undefined {
  const value = claims[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(',');
  return undefined;
}

/** Removes the port that resource logs append (`203.0.113.7:443`, `[2001:db8::1]:443`). */
function stripPort(address: string | undefined): string | null {
  if (address === undefined) return null;
  // Both forms with a port contain `:`, and only the bracketed one starts with `[`.
  if (address.charCodeAt(0) !== 0x5b && !address.includes(':')) return address;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return ipv4WithPort?.[1] ?? address;
}

function missing(
  ctx: NormalizeContext,
  record: JsonObject,
  field: 'time' | 'operationName',
  expected: string,
): NormalizationError {
  const present = findAzureRaw(record, field);
  if (present !== undefined) {
    return invalid(
      ctx,
      'wrong-type',
      present.path,
      `Azure Activity record field \`${present.path}\` must be ${expected}, received ` +
        `${describeValue(present.raw)}; fix the exporter or dead-letter the record.`,
    );
  }
  return invalid(
    ctx,
    'missing-field',
    field,
    `Azure Activity record has no \`${field}\` (nor its REST or snake_case spelling): ` +
      `expected ${expected}, received a record with keys ${describeValue(Object.keys(record))}; ` +
      'check that the input is an Activity Log record.',
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
    provider: 'azure',
    reason,
    field,
    message: `${message} (record ${ctx.rawRef})`,
    raw_ref: ctx.rawRef,
  };
}
