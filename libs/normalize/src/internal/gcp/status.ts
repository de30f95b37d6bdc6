import type { Outcome } from '@ciem/events';
import { getPath, readString } from '../read-field.js';
import type { JsonObject } from '../read-field.js';

/** Canonical names of `google.rpc.Code` values, indexed by number. */
const RPC_CODE_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** Codes that mean IAM or authentication rejected the caller. */
const DENIED_CODE_NAMES = new Set(['PERMISSION_DENIED', 'UNAUTHENTICATED']);

/** Outcome, error code and error message of one audit entry. */
export interface GcpResult {
  outcome: Outcome;
  errorCode: string | null;
  errorMessage: string | null;
}

/**
 * Derives the outcome from `protoPayload.status` (a `google.rpc.Status`). Code 7
 * PERMISSION_DENIED or 16 UNAUTHENTICATED, or any `authorizationInfo[].granted: false`,
 * is `denied`. Another non-zero code is `failed`, and an absent status or code 0 is a
 * success. The error code is the canonical code name (`NOT_FOUND`), or the code as logged
 * when it is not a known number.
 */
export function resultOf(status: JsonObject | undefined, anyNotGranted: boolean): GcpResult {
  const codeName = codeNameOf(getPath(status, 'code', status?.['code']));
  const message = readString(status, 'message', status?.['message']) ?? null;

  if (codeName === undefined || codeName === 'OK') {
    if (!anyNotGranted) return { outcome: 'success', errorCode: null, errorMessage: null };
    return { outcome: 'denied', errorCode: null, errorMessage: message };
  }
  const denied = anyNotGranted || DENIED_CODE_NAMES.has(codeName);
  return { outcome: denied ? 'denied' : 'failed', errorCode: codeName, errorMessage: message };
}

/** Accepts `7`, `"7"` and `"PERMISSION_DENIED"`; undefined when absent. */
function codeNameOf(code: unknown): string | undefined {
  if (code === undefined || code === null || code === '') return undefined;
  const number = typeof code === 'number' ? code : Number(code);
  if (Number.isInteger(number)) return RPC_CODE_NAMES[number] ?? String(number);
  return typeof code === 'string' ? code.trim().toUpperCase() : undefined;
}
