import type { Principal, PrincipalType, Session } from '@ciem/events';
import { readArray, readString } from '../read-field.js';
import type { JsonObject } from '../read-field.js';
import { ownEntry } from '../own-entry.js';

/**
 * Google-managed service agents: accounts Google creates and uses to act for itself
 * ("Service agents" in the IAM docs). They are matched by e-mail, first match wins.
 * User-managed and default service accounts (`*-compute@developer.gserviceaccount.com`,
 * `*@appspot.gserviceaccount.com`, `*@cloudbuild.gserviceaccount.com`) are not agents:
 * they run customer code with roles the customer grants.
 */
const SERVICE_AGENT_PATTERNS: readonly RegExp[] = [
  // service-PROJECT_NUMBER@gcp-sa-SERVICE.iam.gserviceaccount.com and the older
  // service-PROJECT_NUMBER@compute-system.iam.gserviceaccount.com forms.
  /^service-\d+@[a-z0-9.-]+\.gserviceaccount\.com$/,
  /@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$/,
  // Google APIs Service Agent: PROJECT_NUMBER@cloudservices.gserviceaccount.com.
  /@cloudservices\.gserviceaccount\.com$/,
  /@system\.gserviceaccount\.com$/,
  // Accounts of Google-owned projects, e.g. *@gae-api-prod.google.com.iam.gserviceaccount.com.
  /@[a-z0-9.-]+\.google\.com\.iam\.gserviceaccount\.com$/,
  /@(container-engine-robot|compute-system|serverless-robot-prod|containerregistry|dataproc-accounts|cloud-filer|dataflow-service-producer-prod)\.iam\.gserviceaccount\.com$/,
];

const SERVICE_ACCOUNT_DOMAIN = /\.gserviceaccount\.com$/;

// Domains of the last agent pattern above, whole.
const AGENT_DOMAINS: ReadonlySet<string> = new Set(
  [
    'container-engine-robot',
    'compute-system',
    'serverless-robot-prod',
    'containerregistry',
    'dataproc-accounts',
    'cloud-filer',
    'dataflow-service-producer-prod',
  ].map((name) => `${name}.iam.gserviceaccount.com`),
);

/**
 * Returns false for a lower-cased address that no agent pattern can match, because each
 * pattern needs one of these prefixes, infixes, suffixes or domains. Most service accounts
 * fail every test here, which is cheaper than running the six patterns.
 */
function mayBeServiceAgent(lowered: string): boolean {
  return (
    lowered.startsWith('service-') ||
    lowered.includes('@gcp-sa-') ||
    lowered.endsWith('@cloudservices.gserviceaccount.com') ||
    lowered.endsWith('@system.gserviceaccount.com') ||
    lowered.endsWith('.google.com.iam.gserviceaccount.com') ||
    hasAgentDomain(lowered)
  );
}

const AGENT_DOMAIN_LENGTHS: ReadonlySet<number> = new Set(
  [...AGENT_DOMAINS].map((domain) => domain.length),
);

function hasAgentDomain(lowered: string): boolean {
  const domainStart = lowered.lastIndexOf('@') + 1;
  // Comparing lengths first avoids hashing the domain of almost every address.
  if (!AGENT_DOMAIN_LENGTHS.has(lowered.length - domainStart)) return false;
  return AGENT_DOMAINS.has(lowered.slice(domainStart));
}

/** IAM member prefixes (`user:`, `serviceAccount:`...) and the type each denotes. */
const MEMBER_PREFIX_TYPES: Readonly<Record<string, PrincipalType>> = {
  user: 'user',
  serviceaccount: 'service_account',
  group: 'group',
  domain: 'group',
};

/** The unknown principal: redacted or absent authentication info. */
export const UNKNOWN_PRINCIPAL: Principal = { id: 'unknown', type: 'unknown', name: null };

/**
 * Types a caller e-mail and turns it into an IAM member id: `serviceAccount:<email>` for
 * service accounts and agents, `user:<email>` for others, lower-cased because IAM
 * compares e-mails without case. GKE logs Kubernetes subjects in place of an e-mail
 * (`system:serviceaccount:ns:name`, `system:kube-scheduler`). They are not IAM principals,
 * so they keep their text with type `unknown`, except `system:anonymous`, which is
 * `anonymous`.
 */
export function principalFromEmail(email: string): Principal {
  const lowered = email.trim().toLowerCase();
  if (lowered === 'system:anonymous' || lowered === 'allusers') {
    return { id: 'anonymous', type: 'anonymous', name: email };
  }
  if (lowered.startsWith('system:')) return { id: email.trim(), type: 'unknown', name: email };

  if (SERVICE_ACCOUNT_DOMAIN.test(lowered)) {
    const agent =
      mayBeServiceAgent(lowered) && SERVICE_AGENT_PATTERNS.some((pattern) => pattern.test(lowered));
    return {
      id: `serviceAccount:${lowered}`,
      type: agent ? 'google_service_agent' : 'service_account',
      name: email,
    };
  }
  return { id: `user:${lowered}`, type: 'user', name: email };
}

/**
 * Types a `principalSubject`. An IAM member (`user:x`, `serviceAccount:x`) is typed as its
 * e-mail would be. A workforce or workload identity federation subject
 * (`principal://iam.googleapis.com/...`, `principalSet://...`) is a `federated_user` with
 * the subject as id. Anything else keeps its text with type `unknown`.
 */
export function principalFromSubject(subject: string): Principal {
  const trimmed = subject.trim();
  if (/^principal(set)?:\/\//i.test(trimmed)) {
    return { id: trimmed, type: 'federated_user', name: trimmed };
  }
  const colon = trimmed.indexOf(':');
  const prefix = colon > 0 ? trimmed.slice(0, colon).toLowerCase() : '';
  const memberType = ownEntry(MEMBER_PREFIX_TYPES, prefix);
  if (memberType === 'user' || memberType === 'service_account') {
    return principalFromEmail(trimmed.slice(colon + 1));
  }
  if (memberType !== undefined) {
    return {
      id: `${prefix}:${trimmed.slice(colon + 1).toLowerCase()}`,
      type: memberType,
      name: trimmed,
    };
  }
  if (prefix === 'system') return principalFromEmail(trimmed);
  return { id: trimmed, type: 'unknown', name: trimmed };
}

/** Reads the principal from `protoPayload.authenticationInfo`. */
export function principalOf(authenticationInfo: JsonObject | undefined): Principal {
  const email = readString(
    authenticationInfo,
    'principalEmail',
    authenticationInfo?.['principalEmail'],
  );
  if (email !== undefined) return principalFromEmail(email);
  const subject = readString(
    authenticationInfo,
    'principalSubject',
    authenticationInfo?.['principalSubject'],
  );
  if (subject !== undefined) return principalFromSubject(subject);
  return UNKNOWN_PRINCIPAL;
}

/** Session and actor derived from delegation records. */
export interface Delegation {
  session: Session | null;
  actor: string | null;
}

/**
 * Builds the delegation chain, outermost caller first, ending with the principal:
 * - `authenticationInfo.serviceAccountDelegationInfo[]` lists the real authorities behind
 *   a service account in the order they delegated (AuditLog reference), so they come
 *   before the principal;
 * - `metadata.identityDelegationChain` (Service Account Credentials logs) lists the
 *   service accounts a caller requested a token through, so they come after it.
 * The actor is the first link when it is not the principal itself.
 */
export function delegationOf(
  principal: Principal,
  authenticationInfo: JsonObject | undefined,
  metadata: JsonObject | undefined,
): Delegation {
  const delegatorEntries = readArray(
    authenticationInfo,
    'serviceAccountDelegationInfo',
    authenticationInfo?.['serviceAccountDelegationInfo'],
  );
  const delegateEntries = readArray(
    metadata,
    'identityDelegationChain',
    metadata?.['identityDelegationChain'],
  );
  // Most entries have no delegation, and returning early spares four empty arrays.
  if (delegatorEntries.length === 0 && delegateEntries.length === 0) {
    return { session: null, actor: null };
  }
  const delegators = delegatorEntries
    .map(delegatorOf)
    .filter((member): member is string => member !== undefined);
  const delegates = delegateEntries
    .map((entry) => (typeof entry === 'string' ? memberOfServiceAccountName(entry) : undefined))
    .filter((member): member is string => member !== undefined);
  if (delegators.length === 0 && delegates.length === 0) return { session: null, actor: null };

  const chain = [...delegators, principal.id, ...delegates];
  const first = chain[0];
  return {
    session: { id: null, name: null, source_identity: null, issued_at: null, chain },
    actor: first !== undefined && first !== principal.id ? first : null,
  };
}

function delegatorOf(entry: unknown): string | undefined {
  const email =
    readString(entry, 'firstPartyPrincipal.principalEmail') ??
    readString(entry, 'thirdPartyPrincipal.thirdPartyClaims.email');
  if (email !== undefined) return principalFromEmail(email).id;
  const subject =
    readString(entry, 'principalSubject') ??
    readString(entry, 'thirdPartyPrincipal.thirdPartyClaims.sub');
  return subject === undefined ? undefined : principalFromSubject(subject).id;
}

/** `projects/-/serviceAccounts/<email or unique id>` becomes `serviceAccount:<email>`. */
function memberOfServiceAccountName(name: string): string | undefined {
  const match = /serviceAccounts\/([^/]+)$/i.exec(name.trim());
  const account = match?.[1];
  if (account === undefined) return name.trim() === '' ? undefined : name.trim();
  return account.includes('@') ? principalFromEmail(account).id : `serviceAccount:${account}`;
}
