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
import { isObject, readArray, readString, readTime, textOf } from '../read-field.js';
import type { JsonObject } from '../read-field.js';
import {
  azureObject,
  azureRawTime,
  azureText,
  findAzureRaw,
  readAzureField,
} from './activity-fields.js';
import { resolveAzureCaller } from './principal.js';
import type { AzureCaller } from './principal.js';
import {
  namespaceOfOperation,
  namespaceOfResourceId,
  normalizeResourceId,
  subscriptionOf,
  subscriptionOfNormalized,
} from './resource-id.js';
import { resourcesOf } from './resources.js';
import { categoryOf, phaseOf, resultOf } from './result.js';
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

  const rawTime = azureRawTime(record);
  if (rawTime === undefined) return missing(ctx, record, 'time', 'an ISO 8601 timestamp');
  // The raw value has text, so it is a string, a number or a boolean.
  const timeText = textOf(rawTime) as string;
  const eventTime = readTime(record, 'time', rawTime);
  if (eventTime === undefined) {
    const path = readAzureField(record, 'time')?.path ?? 'time';
    return invalid(
      ctx,
      'wrong-type',
      path,
      `Azure Activity record field \`${path}\` must be an ISO 8601 timestamp, ` +
        `received ${describeValue(timeText)}; fix the exporter or dead-letter the record.`,
    );
  }

  const operationName = azureText.operationName(record);
  if (operationName === undefined) {
    return missing(
      ctx,
      record,
      'operationName',
      'a string such as Microsoft.Compute/virtualMachines/write',
    );
  }

  const rawCategory = azureText.category(record);
  const categoryLower = rawCategory?.toLowerCase();
  const subStatus = azureText.subStatus(record);
  const category = categoryOf(categoryLower);
  const properties = azureObject.properties(record);
  const claims = azureObject.claims(record);
  const signIn = category === 'sign-in';
  // Sign-in records reuse `resultType` for the Entra ID error code, not a phase.
  const phase = signIn ? null : phaseOf(azureText.resultType(record));

  const caller: AzureCaller = signIn
    ? { principal: signInPrincipalOf(properties), tenantId: undefined }
    : resolveAzureCaller(callerSources(record, claims));
  const result = signIn
    ? signInResultOf(properties)
    : resultOf({
        phase,
        subStatus,
        statusCode: azureText.statusCode(record),
        statusText: azureText.statusText(record),
        record,
      });

  const resourceId = azureText.resourceId(record);
  // ARM ids are case-insensitive, so the lower-cased form is hashed, listed and searched.
  const normalizedResourceId =
    resourceId === undefined ? undefined : normalizeResourceId(resourceId);
  const authorizationScope = azureText.authorizationScope(record);
  const authorizationAction = authorizationActionOf(record);
  const accountId =
    azureText.subscriptionId(record)?.toLowerCase() ??
    (normalizedResourceId === undefined
      ? undefined
      : subscriptionOfNormalized(normalizedResourceId)) ??
    (authorizationScope === undefined ? undefined : subscriptionOf(authorizationScope)) ??
    '';
  const correlationId = azureText.correlationId(record)?.toLowerCase() ?? null;
  const sourceIp = stripPort(azureText.callerIpAddress(record));

  const operationLower = operationName.toLowerCase();
  const action = signIn
    ? signInAction(operationName)
    : actionOf(
        record,
        operationName,
        authorizationAction,
        resourceId === undefined || normalizedResourceId === undefined
          ? undefined
          : { normalized: normalizedResourceId, logged: resourceId },
        category,
        rawCategory,
      );

  const event: NormalizedEvent = {
    schema_version: SCHEMA_VERSION,
    event_id:
      azureText.eventDataId(record) ??
      deriveEventId({
        time: timeText,
        resourceId: normalizedResourceId ?? '',
        operationName: operationLower,
        category: categoryLower ?? '',
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
    tenant_id: (caller.tenantId ?? azureText.tenantId(record))?.toLowerCase() ?? null,
    region: azureText.location(record)?.toLowerCase() ?? null,
    principal: caller.principal,
    session: null,
    actor: null,
    access_key_id: null,
    mfa: mfaOf(claims),
    action,
    // The authorization action is mostly the operation, which is lower-cased already.
    read_only: readOnlyOf(
      authorizationAction === undefined || authorizationAction === operationName
        ? operationLower
        : authorizationAction.toLowerCase(),
    ),
    category,
    resources: resourcesOf({
      normalizedResourceId,
      resourceId,
      authorizationScope,
      operationLower,
      properties,
    }),
    outcome: result.outcome,
    error_code: result.errorCode,
    error_message: result.errorMessage,
    source_ip: sourceIp,
    user_agent: azureText.userAgent(record) ?? null,
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
 *
 * Each field is hashed as its length, a colon and its value (`28:2024-03-05T09:…Z69:/sub…`),
 * which decodes one way only and needs no escaping. A lone surrogate has no UTF-8 form, so
 * fields with one are hashed as JSON instead, whose text starts with `{`, never a digit.
 */
export function deriveEventId(fields: IdentifyingFields): string {
  const text =
    `${fields.time.length}:${fields.time}` +
    `${fields.resourceId.length}:${fields.resourceId}` +
    `${fields.operationName.length}:${fields.operationName}` +
    `${fields.category.length}:${fields.category}` +
    `${fields.phase.length}:${fields.phase}` +
    `${fields.subStatus.length}:${fields.subStatus}` +
    `${fields.correlationId.length}:${fields.correlationId}` +
    `${fields.principalId.length}:${fields.principalId}` +
    `${fields.sourceIp.length}:${fields.sourceIp}`;
  return hash('sha256', isWellFormed.call(text) ? text : serialized(fields), 'hex');
}

// Node 20 has `String.prototype.isWellFormed`, which the ES2023 library does not declare.
// It returns false exactly when a string has a lone surrogate.
const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean })
  .isWellFormed;

/** Serializes the identifying fields with JSON.stringify, which escapes lone surrogates. */
function serialized(fields: IdentifyingFields): string {
  return JSON.stringify({
    time: fields.time,
    resourceId: fields.resourceId,
    operationName: fields.operationName,
    category: fields.category,
    phase: fields.phase,
    subStatus: fields.subStatus,
    correlationId: fields.correlationId,
    principalId: fields.principalId,
    sourceIp: fields.sourceIp,
  });
}

function callerSources(
  record: JsonObject,
  claims: JsonObject | undefined,
): Parameters<typeof resolveAzureCaller>[0] {
  const identity = azureObject.identity(record);
  return {
    claims,
    identityText: identity === undefined ? readString(record, 'identity') : undefined,
    requester: azureObject.requester(record),
    authType: azureText.authType(record),
    evidencePrincipalId: azureText.principalId(record),
    evidencePrincipalType: azureText.principalType(record),
    caller: azureText.caller(record),
  };
}

/**
 * Reads `authorization.action`. Storage resource logs log `identity.authorization` as an
 * array of checks, so the first check's action is used there.
 */
function authorizationActionOf(record: JsonObject): string | undefined {
  const single = azureText.authorizationAction(record);
  if (single !== undefined) return single;
  const [first] = readArray(record, 'identity.authorization');
  return readString(first, 'action');
}

function actionOf(
  record: JsonObject,
  operationName: string,
  authorizationAction: string | undefined,
  resourceIds: { normalized: string; logged: string } | undefined,
  category: Category,
  rawCategory: string | undefined,
): Action {
  const mapping = mapAzureOperation(authorizationAction ?? operationName, {
    category: rawCategory,
    dataAction: category === 'data',
  });
  return {
    service: serviceNameOf(record, operationName, authorizationAction, resourceIds),
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
  resourceIds: { normalized: string; logged: string } | undefined,
): string {
  let first: string | undefined;
  for (let index = 0; index < 4; index++) {
    let candidate: string | undefined;
    if (index === 0) candidate = azureText.resourceProvider(record);
    else if (index === 1) {
      candidate =
        authorizationAction === undefined ? undefined : namespaceOfOperation(authorizationAction);
    } else if (index === 2) {
      // The operation is mostly the authorization action, whose namespace was tried.
      if (operationName === authorizationAction) continue;
      candidate = namespaceOfOperation(operationName);
    } else {
      candidate =
        resourceIds === undefined
          ? undefined
          : namespaceOfResourceId(resourceIds.logged, resourceIds.normalized);
    }
    if (candidate === undefined) continue;
    if (isMixedCase(candidate)) return candidate;
    first ??= candidate;
  }
  return first?.toLowerCase() ?? '';
}

/** True when upper-casing and lower-casing both change `text`. */
function isMixedCase(text: string): boolean {
  // Namespaces are ASCII, so one pass over the letters decides without two copies.
  let upper = false;
  let lower = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) return text !== text.toUpperCase() && text !== text.toLowerCase();
    if (code >= 0x41 && code <= 0x5a) upper = true;
    else if (code >= 0x61 && code <= 0x7a) lower = true;
  }
  return upper && lower;
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

/**
 * Tells a read from a write by the lower-cased operation. ARM operations end in `/read`,
 * `/write`, `/delete` or `/action`, and only `/read` reads.
 */
function readOnlyOf(operation: string): boolean | null {
  if (!operation.includes('/')) return null;
  return operation.endsWith('/read');
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
