import { InputError, describeValue } from '@ciem/errors';
import type {
  EntitlementSnapshot,
  Finding,
  Grant,
  PrincipalEntitlements,
} from '../model/entitlements.js';

/** Error codes of snapshot reading. Each is stable and never reused. */
export const SnapshotErrorCode = {
  /** A snapshot file or message is not an `EntitlementSnapshot` or `PrincipalEntitlements`. */
  invalidSnapshot: 'CIEM_ENTITLEMENTS_INVALID_SNAPSHOT',
} as const;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PROVIDERS = new Set(['aws', 'azure', 'gcp']);

function invalid(source: string, field: string, expected: string, received: unknown): InputError {
  return new InputError(
    SnapshotErrorCode.invalidSnapshot,
    `${source}: field ${field} is invalid: expected ${expected}, received ${describeValue(received)}. Write snapshots with streamSnapshotJson or \`ciem entitlements --json\``,
    { details: { file: source, field } },
  );
}

/** True when a JSON value has the fields of an `EntitlementSnapshot`. */
export function isSnapshotValue(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.taken_at === 'number' &&
    typeof value.provider === 'string' &&
    Array.isArray(value.principals)
  );
}

function readGrant(value: unknown, source: string, field: string): Grant {
  if (!isObject(value)) throw invalid(source, field, 'a grant object', value);
  if (typeof value.permission !== 'string') {
    throw invalid(source, `${field}.permission`, 'a string', value.permission);
  }
  if (typeof value.resource !== 'string') {
    throw invalid(source, `${field}.resource`, 'a string', value.resource);
  }
  const grant: Grant = {
    permission: value.permission,
    resource: value.resource,
    conditional: value.conditional === true,
    via: typeof value.via === 'string' ? value.via : '',
  };
  if (typeof value.conditions === 'string') grant.conditions = value.conditions;
  if (typeof value.data_action === 'boolean') grant.data_action = value.data_action;
  return grant;
}

function readFinding(value: unknown, source: string, field: string): Finding {
  if (!isObject(value) || typeof value.kind !== 'string' || !Array.isArray(value.path)) {
    throw invalid(source, field, 'a finding with kind, severity, summary and path', value);
  }
  return {
    kind: value.kind as Finding['kind'],
    severity: (typeof value.severity === 'string' ? value.severity : 'low') as Finding['severity'],
    summary: typeof value.summary === 'string' ? value.summary : '',
    path: value.path.map(String),
  };
}

/**
 * Reads one `PrincipalEntitlements` (a `ciem.entitlements` message value, a snapshot
 * entry). Throws `InputError` `CIEM_ENTITLEMENTS_INVALID_SNAPSHOT` naming the field.
 */
export function readPrincipalEntitlements(
  value: unknown,
  source: string,
  field = '$',
): PrincipalEntitlements {
  if (!isObject(value)) throw invalid(source, field, 'a principal object', value);
  if (typeof value.provider !== 'string' || !PROVIDERS.has(value.provider)) {
    throw invalid(source, `${field}.provider`, 'aws, azure or gcp', value.provider);
  }
  if (typeof value.principal_id !== 'string' || value.principal_id === '') {
    throw invalid(source, `${field}.principal_id`, 'a non-empty string', value.principal_id);
  }
  if (!Array.isArray(value.grants)) {
    throw invalid(source, `${field}.grants`, 'an array', value.grants);
  }
  const tags: Record<string, string> = {};
  if (isObject(value.tags)) {
    for (const [key, tag] of Object.entries(value.tags)) tags[key] = String(tag);
  }
  return {
    provider: value.provider as PrincipalEntitlements['provider'],
    account_id: typeof value.account_id === 'string' ? value.account_id : '',
    principal_id: value.principal_id,
    principal_type: typeof value.principal_type === 'string' ? value.principal_type : 'unknown',
    principal_name:
      typeof value.principal_name === 'string' ? value.principal_name : value.principal_id,
    tags,
    grants: value.grants.map((grant, index) =>
      readGrant(grant, source, `${field}.grants[${index}]`),
    ),
    findings: (Array.isArray(value.findings) ? value.findings : []).map((finding, index) =>
      readFinding(finding, source, `${field}.findings[${index}]`),
    ),
  };
}

/**
 * Reads snapshots from JSON text: one `EntitlementSnapshot` (as `streamSnapshotJson`
 * writes it) or an array of them. Throws `InputError` `CIEM_ENTITLEMENTS_INVALID_SNAPSHOT`
 * naming the source and field.
 */
export function parseSnapshotJson(text: string, source: string): EntitlementSnapshot[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      SnapshotErrorCode.invalidSnapshot,
      `${source} is not JSON (${(error as Error).message}); expected a snapshot written by \`ciem entitlements --json\``,
      { cause: error, details: { file: source } },
    );
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, index) => {
    const field = Array.isArray(value) ? `[${index}]` : '$';
    if (!isSnapshotValue(item)) {
      throw invalid(source, field, 'an object with taken_at, provider and principals', item);
    }
    const snapshot = item as JsonObject;
    if (!PROVIDERS.has(snapshot.provider as string)) {
      throw invalid(source, `${field}.provider`, 'aws, azure or gcp', snapshot.provider);
    }
    return {
      taken_at: snapshot.taken_at as number,
      provider: snapshot.provider as EntitlementSnapshot['provider'],
      account_id: typeof snapshot.account_id === 'string' ? snapshot.account_id : '',
      principals: (snapshot.principals as unknown[]).map((principal, principalIndex) =>
        readPrincipalEntitlements(principal, source, `${field}.principals[${principalIndex}]`),
      ),
    };
  });
}
