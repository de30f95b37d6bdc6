import type { Category, Outcome } from '@ciem/events';
import { getPath, parseJsonObject, readString } from '../read-field.js';

/**
 * Operation phases as the three shapes spell them: diagnostic settings write `resultType`
 * Start, Accept, Success, Failure; the REST API writes `status.value` Started, Accepted,
 * Succeeded, Failed. Other values (Active, Resolved, Canceled...) are kept lower-cased.
 */
const PHASES: ReadonlyMap<string, string> = new Map([
  ['start', 'started'],
  ['started', 'started'],
  ['accept', 'accepted'],
  ['accepted', 'accepted'],
  ['success', 'succeeded'],
  ['succeeded', 'succeeded'],
  ['failure', 'failed'],
  ['failed', 'failed'],
]);

/**
 * The phases under their documented capitalized spellings too (`Success`), which need
 * neither trimming nor lower-casing.
 */
const PHASES_AS_LOGGED: ReadonlyMap<string, string> = new Map(
  [...PHASES].flatMap(([spelling, phase]) => [
    [spelling, phase],
    [spelling.charAt(0).toUpperCase() + spelling.slice(1), phase],
  ]),
);

/** Returns the normalized phase of a `resultType` or `status.value`. */
export function phaseOf(resultType: string | undefined): string | null {
  if (resultType === undefined) return null;
  const logged = PHASES_AS_LOGGED.get(resultType);
  if (logged !== undefined) return logged;
  const lowered = resultType.trim().toLowerCase();
  return PHASES.get(lowered) ?? lowered;
}

/**
 * Codes that mean Azure RBAC or Entra ID rejected the caller. They show in `subStatus`,
 * `resultSignature` (`Failed.Forbidden`), `properties.statusCode` and in the `error.code`
 * of `properties.statusMessage`.
 */
const DENIED_CODES = new Set([
  'authorizationfailed',
  'linkedauthorizationfailed',
  'forbidden',
  'unauthorized',
  '403',
  '401',
]);

/** Inputs of the outcome, as read from the record. */
export interface AzureResultSources {
  phase: string | null;
  subStatus: string | undefined;
  statusCode: string | undefined;
  statusText: string | undefined;
  /** The record, whose `properties.statusMessage` is read only for a failure. */
  record: unknown;
}

/** Outcome, error code and error message of one Azure record. */
export interface AzureResult {
  outcome: Outcome;
  errorCode: string | null;
  errorMessage: string | null;
}

/**
 * Derives the outcome. A failed phase, or an HTTP status of 400 or more (resource logs
 * carry `statusCode` and no phase), is a failure; a failure whose code is one of
 * {@link DENIED_CODES} is `denied`. Everything else is a success.
 */
export function resultOf(sources: AzureResultSources): AzureResult {
  const httpStatus = Number(sources.statusCode);
  const failedByStatus = Number.isInteger(httpStatus) && httpStatus >= 400;
  if (sources.phase !== 'failed' && !failedByStatus) {
    return { outcome: 'success', errorCode: null, errorMessage: null };
  }

  const detail = readStatusMessage(readStatusMessageRaw(sources.record));
  const codes = [detail.code, sources.subStatus, sources.statusCode, sources.statusText];
  const denied = codes.some(
    (code) => code !== undefined && DENIED_CODES.has(stripFailedPrefix(code)?.toLowerCase() ?? ''),
  );
  const subStatusCode =
    sources.subStatus === undefined ? undefined : stripFailedPrefix(sources.subStatus);
  const errorCode =
    detail.code ?? subStatusCode ?? sources.statusText ?? sources.statusCode ?? null;
  return {
    outcome: denied ? 'denied' : 'failed',
    errorCode,
    errorMessage: detail.message ?? null,
  };
}

/**
 * Keeps the code part of a `resultSignature` such as `Failed.Conflict`; a bare phase
 * (`Failed.`) leaves no code.
 */
function stripFailedPrefix(code: string): string | undefined {
  const stripped = code.replace(/^failed\.?/i, '').trim();
  return stripped === '' ? undefined : stripped;
}

/**
 * `properties.statusMessage` is a JSON string such as
 * `{"error":{"code":"AuthorizationFailed","message":"..."}}` in failed Administrative
 * records; some exports keep it as an object or as plain text.
 */
function readStatusMessage(statusMessage: unknown): { code?: string; message?: string } {
  const parsed = typeof statusMessage === 'string' ? parseJsonObject(statusMessage) : statusMessage;
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== 'object') return {};
  const code = readString(parsed, 'error.code') ?? readString(parsed, 'code');
  const message = readString(parsed, 'error.message') ?? readString(parsed, 'message');
  if (code === undefined && message === undefined && typeof statusMessage === 'string') {
    return { message: statusMessage };
  }
  return { code, message };
}

/** Activity Log categories ("Azure Activity Log event schema"): control-plane records. */
const MANAGEMENT_CATEGORIES = new Set([
  'administrative',
  'servicehealth',
  'resourcehealth',
  'alert',
  'autoscale',
  'recommendation',
  'security',
  'policy',
]);

/** Entra ID sign-in log categories, which some pipelines send down the same stream. */
const SIGN_IN_CATEGORIES = new Set([
  'signinlogs',
  'noninteractiveusersigninlogs',
  'serviceprincipalsigninlogs',
  'managedidentitysigninlogs',
]);

/**
 * Maps a record category to the schema's category. Activity Log categories and records
 * without one are `management`, sign-in logs are `sign-in`, and every other category is a
 * resource log (StorageRead, AuditEvent...) and counts as `data`.
 */
export function categoryOf(lowered: string | undefined): Category {
  if (lowered === undefined) return 'management';
  if (MANAGEMENT_CATEGORIES.has(lowered)) return 'management';
  if (SIGN_IN_CATEGORIES.has(lowered)) return 'sign-in';
  return 'data';
}

/** Reads `properties.statusMessage` raw, because it may be an object or a string. */
function readStatusMessageRaw(record: unknown): unknown {
  return getPath(record, 'properties.statusMessage');
}
