import type { Category, Outcome } from '@ciem/events';
import { readObject, readString, type JsonObject } from '../read-field.js';
import { OPTIONAL_KEYS } from './optional-keys.js';

/**
 * Error codes that mean IAM or a resource policy refused the call. CloudTrail writes the
 * service's own code: `AccessDenied` (S3, most services), `AccessDeniedException`,
 * `Client.UnauthorizedOperation` (EC2), `AuthorizationError` (SNS) and `Forbidden`.
 */
const DENIED_ERROR_CODES: readonly RegExp[] = [
  /accessdenied/i,
  /unauthorizedoperation$/i,
  /^authorizationerror/i,
  /forbidden/i,
];

/** The result fields of a NormalizedEvent. */
export interface CloudTrailOutcome {
  outcome: Outcome;
  error_code: string | null;
  error_message: string | null;
}

/**
 * Reads the call's result. An `errorCode` from {@link DENIED_ERROR_CODES} is `denied`, any
 * other `errorCode` is `failed`, and a console sign-in whose
 * `responseElements.ConsoleLogin` is "Failure" is `failed` (such records carry only
 * `errorMessage`). Everything else is `success`.
 */
export function readCloudTrailOutcome(record: JsonObject): CloudTrailOutcome {
  const errorCode = readString(record, OPTIONAL_KEYS.errorCode, record['errorCode']);
  const errorMessage =
    readString(record, OPTIONAL_KEYS.errorMessage, record['errorMessage']) ?? null;
  if (errorCode !== undefined) {
    const denied = DENIED_ERROR_CODES.some((pattern) => pattern.test(errorCode));
    return {
      outcome: denied ? 'denied' : 'failed',
      error_code: errorCode,
      error_message: errorMessage,
    };
  }
  const responseElements = readObject(record, 'responseElements', record['responseElements']);
  const signInResult = readString(
    responseElements,
    OPTIONAL_KEYS.ConsoleLogin,
    responseElements?.['ConsoleLogin'],
  );
  if (signInResult?.toLowerCase() === 'failure') {
    return { outcome: 'failed', error_code: null, error_message: errorMessage };
  }
  return { outcome: 'success', error_code: null, error_message: errorMessage };
}

/**
 * Reads the kind of activity. `eventCategory` "Data" and "NetworkActivity" are `data`,
 * because both are logged only when the customer turns them on. Sign-ins are recognized by
 * `eventType` "AwsConsoleSignIn", `eventSource` "signin.amazonaws.com" or `eventName`
 * "ConsoleLogin". Everything else, Insight events included, is `management`.
 */
export function readCloudTrailCategory(record: JsonObject): Category {
  const category = readString(record, 'eventCategory', record['eventCategory'])?.toLowerCase();
  if (category === 'data' || category === 'networkactivity') return 'data';
  const eventType = readString(record, 'eventType', record['eventType'])?.toLowerCase();
  const eventSource = readString(record, 'eventSource', record['eventSource'])?.toLowerCase();
  const eventName = readString(record, 'eventName', record['eventName']);
  if (
    eventType === 'awsconsolesignin' ||
    eventSource === 'signin.amazonaws.com' ||
    eventName === 'ConsoleLogin'
  ) {
    return 'sign-in';
  }
  return 'management';
}
