import type { Principal, PrincipalType } from '@ciem/events';
import { compileFieldReaders } from '../field-reader.js';
import type { FieldReader } from '../field-reader.js';
import { getProperty, isRedactionMarker, keyPath, parseJsonObject } from '../read-field.js';
import type { FieldPath, JsonObject } from '../read-field.js';
import { normalizeGuid } from './resource-id.js';
import { ownEntry } from '../own-entry.js';

/**
 * Claim names from Microsoft Entra ID tokens ("Access token claims reference"). Activity
 * Log records copy the caller's token claims, with some under their SAML URI names.
 */
const CLAIM_NAMES = {
  objectId: ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'],
  upn: [
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
    'upn',
    'unique_name',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    'name',
  ],
  appId: ['appid', 'azp'],
  identityType: ['idtyp'],
  tenantId: ['http://schemas.microsoft.com/identity/claims/tenantid', 'tid'],
  managedIdentityResource: ['xms_mirid'],
} as const;

/** Fields of `identity.requester` in Azure Storage resource logs. */
const REQUESTER_NAMES = {
  tenantId: ['tenantId'],
  objectId: ['objectId'],
  upn: ['upn'],
  appId: ['appId'],
} as const;

/** One compiled reader per claim (see field-reader.ts), built when the module loads. */
const CLAIM = claimReaders(CLAIM_NAMES);
const REQUESTER = claimReaders(REQUESTER_NAMES);

function claimReaders<K extends string>(
  table: Record<K, readonly string[]>,
): Record<K, FieldReader<string>> {
  // Claim names contain dots, so each name is a path of one key.
  const paths = {} as Record<K, FieldPath[]>;
  for (const name of Object.keys(table) as K[]) paths[name] = table[name].map(keyPath);
  return compileFieldReaders(paths, { parseJsonObject, convert: claimText }, (source, names) =>
    readClaim(
      source as JsonObject | undefined,
      names.map((path) => path.text),
    ),
  );
}

/**
 * `evidence.principalType` values of Azure RBAC role assignments. `ServicePrincipal`
 * covers managed identities too, and the `xms_mirid` claim distinguishes them.
 */
const EVIDENCE_PRINCIPAL_TYPES: Readonly<Record<string, PrincipalType>> = {
  user: 'user',
  serviceprincipal: 'service_principal',
  group: 'group',
  managedidentity: 'managed_identity',
  foreigngroup: 'group',
  application: 'service_principal',
};

/**
 * `identity.type` of Azure Storage resource logs when no Entra ID principal signed the
 * request: account keys and SAS tokens carry no identity, anonymous reads none at all.
 */
const STORAGE_KEY_AUTH_TYPES = new Set(['sas', 'accountkey', 'key', 'kerberos', 'trustedaccess']);

const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Caller fields of an Azure record. */
export interface AzureCallerSources {
  claims: JsonObject | undefined;
  /** `identity` when it is a plain string rather than an object (resource log variants). */
  identityText: string | undefined;
  /** `identity.requester` of resource logs such as StorageRead. */
  requester: JsonObject | undefined;
  /** `identity.type` of resource logs: OAuth, SAS, AccountKey, Anonymous. */
  authType: string | undefined;
  evidencePrincipalId: string | undefined;
  evidencePrincipalType: string | undefined;
  caller: string | undefined;
}

/** The principal of an Azure record, plus the tenant its token names. */
export interface AzureCaller {
  principal: Principal;
  tenantId: string | undefined;
}

const UNKNOWN: Principal = { id: 'unknown', type: 'unknown', name: null };

/**
 * Resolves the principal of an Azure record. The id is the Entra object id (claims `oid`,
 * then `evidence.principalId`, then a GUID `caller`). The type comes from `xms_mirid`
 * (managed identity), `idtyp`, `evidence.principalType`, then the shape of the claims
 * (an app id without a UPN is a service principal). A record with no usable identity gets
 * the `unknown` principal.
 */
export function resolveAzureCaller(sources: AzureCallerSources): AzureCaller {
  const { claims } = sources;
  const { requester } = sources;
  const tenantId = CLAIM.tenantId(claims) ?? REQUESTER.tenantId(requester);
  const objectId =
    CLAIM.objectId(claims) ?? sources.evidencePrincipalId ?? REQUESTER.objectId(requester);
  const upn = CLAIM.upn(claims) ?? REQUESTER.upn(requester);
  const appId = CLAIM.appId(claims) ?? REQUESTER.appId(requester);
  const managedIdentity = CLAIM.managedIdentityResource(claims);

  if (objectId !== undefined) {
    const type = principalTypeOf(sources, { upn, appId, managedIdentity });
    const name =
      type === 'managed_identity'
        ? (lastSegment(managedIdentity) ?? appId ?? upn)
        : type === 'service_principal'
          ? (appId ?? upn)
          : (upn ?? appId);
    return {
      principal: { id: normalizeGuid(objectId), type, name: name ?? sources.caller ?? null },
      tenantId,
    };
  }

  return { principal: principalFromCaller(sources, upn), tenantId };
}

function principalTypeOf(
  sources: AzureCallerSources,
  claims: {
    upn: string | undefined;
    appId: string | undefined;
    managedIdentity: string | undefined;
  },
): PrincipalType {
  if (claims.managedIdentity !== undefined) return 'managed_identity';

  const identityType = CLAIM.identityType(sources.claims)?.toLowerCase();
  if (identityType === 'app') return 'service_principal';
  if (identityType === 'user') return 'user';

  const evidenceType = sources.evidencePrincipalType?.toLowerCase();
  const fromEvidence =
    evidenceType === undefined ? undefined : ownEntry(EVIDENCE_PRINCIPAL_TYPES, evidenceType);
  if (fromEvidence !== undefined) return fromEvidence;

  if (claims.upn === undefined && claims.appId !== undefined) return 'service_principal';
  if (claims.upn !== undefined) return 'user';
  return 'unknown';
}

/**
 * Falls back to `caller` when no object id is logged. The Activity Log event schema documents
 * `caller` as the UPN, or as the service principal's id when there is no UPN.
 */
function principalFromCaller(sources: AzureCallerSources, upn: string | undefined): Principal {
  const caller = sources.caller;
  if (caller !== undefined && GUID.test(caller)) {
    return { id: normalizeGuid(caller), type: 'service_principal', name: caller };
  }
  const email = caller !== undefined && caller.includes('@') ? caller : upn;
  if (email !== undefined) {
    // NOTE: without an object id the UPN is the id, so these events do not join with role
    // assignments, which name object ids.
    return { id: email.toLowerCase(), type: 'user', name: email };
  }

  const authType = sources.authType?.toLowerCase();
  if (authType === 'anonymous') return { id: 'anonymous', type: 'anonymous', name: null };
  if (authType !== undefined && STORAGE_KEY_AUTH_TYPES.has(authType)) {
    return { ...UNKNOWN, name: sources.authType ?? null };
  }
  return { ...UNKNOWN, name: caller ?? sources.identityText ?? null };
}

/**
 * Reads the first present claim with the shared readers, as the fallback of the compiled
 * readers above. Claim names contain dots, so no dotted-path lookup here.
 */
function readClaim(source: JsonObject | undefined, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = getProperty(source, name);
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed !== '' && !isRedactionMarker(trimmed)) return trimmed;
  }
  return undefined;
}

/** Returns a claim's text as {@link readClaim} takes it: trimmed, and not a marker. */
function claimText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed !== '' && !isRedactionMarker(trimmed) ? trimmed : undefined;
}

function lastSegment(resourceId: string | undefined): string | undefined {
  if (resourceId === undefined) return undefined;
  const segments = resourceId.split('/').filter(Boolean);
  return segments[segments.length - 1];
}
