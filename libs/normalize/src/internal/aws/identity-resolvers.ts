import type { Principal, Session } from '@ciem/events';
import { getPath, readObject, readString, type JsonObject } from '../read-field.js';
import { OPTIONAL_KEYS } from './optional-keys.js';
import {
  assumedRoleOf,
  lastResourceSegment,
  parseArn,
  roleArnOfAssumedRole,
  type ArnParts,
} from './arn.js';
import { readCloudTrailTime } from './cloudtrail-time.js';

/** Input of a resolver: the `userIdentity` element, the whole record and its partition. */
export interface IdentityInput {
  identity: JsonObject;
  record: JsonObject;
  partition: string;
  /** `userIdentity.arn`, read once by the caller. */
  arn: string | undefined;
  /** The parts of `arn`, or undefined when it is missing or not an ARN. */
  parsedArn: ArnParts | undefined;
}

/**
 * Caller of a call as one `userIdentity` type describes it. A missing `principal.id` means
 * the record names no stable identity, and the caller turns the principal into `unknown`.
 */
export interface ResolvedIdentity {
  principal: { id: string | undefined; type: Principal['type']; name: string | null };
  session: Session | null;
  actor: string | null;
}

/** Turns one kind of `userIdentity` into a principal, session and actor. */
export type IdentityResolver = (input: IdentityInput) => ResolvedIdentity;

// Prefix of the roles IAM Identity Center creates for permission sets. Identity Center names
// each session of such a role after the user who signed in.
const IDENTITY_CENTER_ROLE_PREFIX = 'AWSReservedSSO_';

/**
 * Resolvers keyed by the lower-cased `userIdentity.type`. Types and fields follow the
 * CloudTrail User Guide, "CloudTrail userIdentity element".
 */
export const IDENTITY_RESOLVERS: Readonly<Record<string, IdentityResolver>> = {
  iamuser: resolveIamUser,
  root: resolveRoot,
  assumedrole: resolveAssumedRole,
  federateduser: resolveFederatedUser,
  samluser: resolveExternalUser,
  webidentityuser: resolveExternalUser,
  awsservice: resolveAwsService,
  awsaccount: resolveAwsAccount,
  identitycenteruser: resolveIdentityCenterUser,
  unknown: resolveUnknown,
};

function resolveIamUser({ identity, partition }: IdentityInput): ResolvedIdentity {
  const arn = readString(identity, 'arn');
  const account = readString(identity, 'accountId');
  const userName = readString(identity, 'userName');
  const built =
    account !== undefined && userName !== undefined
      ? `arn:${partition}:iam::${account}:user/${userName}`
      : undefined;
  return {
    principal: {
      id: arn ?? built ?? readString(identity, 'principalId'),
      type: 'user',
      name: userName ?? (arn === undefined ? null : (lastResourceSegment(arn) ?? null)),
    },
    session: readAttributeSession(identity),
    actor: null,
  };
}

function resolveRoot({ identity, partition }: IdentityInput): ResolvedIdentity {
  const arn = readString(identity, 'arn');
  const parsed = arn === undefined ? undefined : parseArn(arn);
  const account = readString(identity, 'accountId') ?? parsed?.account;
  let id: string | undefined;
  if (parsed?.resource === 'root') id = arn;
  else if (account !== undefined && account !== '') id = `arn:${partition}:iam::${account}:root`;
  return {
    // For Root, `userName` is the account alias when one is set.
    principal: { id, type: 'root', name: readString(identity, 'userName') ?? null },
    session: readAttributeSession(identity),
    actor: null,
  };
}

function resolveAssumedRole({
  identity,
  record,
  partition,
  arn: sessionArn,
  parsedArn,
}: IdentityInput): ResolvedIdentity {
  const assumed = parsedArn === undefined ? undefined : assumedRoleOf(parsedArn);
  // Read once, because several fields below sit under these two objects. Fields are read
  // with literal keys (see `getPath`), which V8 caches per read site.
  const sessionContext = readObject(identity, 'sessionContext', identity['sessionContext']);
  const issuer = readObject(sessionContext, 'sessionIssuer', sessionContext?.['sessionIssuer']);
  const issuerArn = readString(issuer, 'arn', issuer?.['arn']);
  const principalId = readString(identity, 'principalId', identity['principalId']);
  // principalId is "ROLE_UNIQUE_ID:SESSION_NAME" for assumed roles; other forms are ignored.
  const colon = principalId === undefined ? -1 : principalId.indexOf(':');
  const uniqueId = colon < 0 ? undefined : principalId?.slice(0, colon);
  const principalSession = colon < 0 ? undefined : principalId?.slice(colon + 1);
  const issuerAccount = readString(issuer, 'accountId', issuer?.['accountId']);
  const issuerName = readString(issuer, 'userName', issuer?.['userName']);
  const roleArn =
    issuerArn ??
    (assumed === undefined ? undefined : roleArnOfAssumedRole(assumed)) ??
    (issuerAccount !== undefined && issuerName !== undefined
      ? roleArnOfAssumedRole({
          partition,
          account: issuerAccount,
          roleName: issuerName,
          sessionName: '',
        })
      : undefined) ??
    readString(issuer, 'principalId', issuer?.['principalId']) ??
    uniqueId;
  const roleName =
    issuerName ??
    assumed?.roleName ??
    (roleArn === undefined ? undefined : lastResourceSegment(roleArn));
  const sessionName =
    (assumed?.sessionName === '' ? undefined : assumed?.sessionName) ?? principalSession;
  const sourceIdentity = readString(
    sessionContext,
    OPTIONAL_KEYS.sourceIdentity,
    sessionContext?.['sourceIdentity'],
  );
  const attributes = readObject(sessionContext, 'attributes', sessionContext?.['attributes']);
  const identityCenterSession =
    roleName?.startsWith(IDENTITY_CENTER_ROLE_PREFIX) === true ? sessionName : undefined;

  return {
    principal: { id: roleArn, type: 'role', name: roleName ?? null },
    session: {
      id: sessionArn ?? null,
      name: sessionName ?? null,
      source_identity: sourceIdentity ?? null,
      issued_at:
        readCloudTrailTime(attributes, 'creationDate', attributes?.['creationDate']) ?? null,
      chain: readRoleChain(record, sessionArn),
    },
    actor: readOnBehalfOf(identity) ?? sourceIdentity ?? identityCenterSession ?? null,
  };
}

function resolveFederatedUser({ identity }: IdentityInput): ResolvedIdentity {
  const sessionArn = readString(identity, 'arn');
  const issuerArn = readString(identity, 'sessionContext.sessionIssuer.arn');
  const issuerType = readString(identity, 'sessionContext.sessionIssuer.type')?.toLowerCase();
  const principalId = readString(identity, 'principalId');
  // A federated user's ARN is "arn:aws:sts::ACCOUNT:federated-user/NAME" and its principalId
  // is "CALLER_ACCOUNT_OR_USER_ID:NAME".
  const federatedName =
    (sessionArn === undefined ? undefined : lastResourceSegment(sessionArn)) ??
    principalId?.split(':').slice(1).join(':');
  const session: Session = {
    id: sessionArn ?? null,
    name: federatedName === '' ? null : (federatedName ?? null),
    source_identity: readString(identity, 'sessionContext.sourceIdentity') ?? null,
    issued_at: readCloudTrailTime(identity, 'sessionContext.attributes.creationDate') ?? null,
    chain: [],
  };
  if (issuerArn === undefined) {
    // Without the issuer, the federated user itself is the best identity the record names.
    return {
      principal: {
        id: sessionArn ?? principalId,
        type: 'federated_user',
        name: session.name,
      },
      session,
      actor: null,
    };
  }
  return {
    principal: {
      id: issuerArn,
      type: issuerType === 'root' ? 'root' : 'user',
      name:
        readString(identity, 'sessionContext.sessionIssuer.userName') ??
        lastResourceSegment(issuerArn) ??
        null,
    },
    session,
    actor: null,
  };
}

function resolveExternalUser({ identity }: IdentityInput): ResolvedIdentity {
  // SAMLUser and WebIdentityUser: the identity provider and the user's name at that provider
  // (`saml:namequalifier` and `saml:sub`, or the OIDC issuer and user id).
  const provider = readString(identity, 'identityProvider');
  const userName = readString(identity, 'userName');
  const id =
    provider !== undefined && userName !== undefined
      ? `${provider}:${userName}`
      : readString(identity, 'principalId');
  return {
    principal: { id, type: 'federated_user', name: userName ?? null },
    session: null,
    actor: userName ?? null,
  };
}

function resolveAwsService({ identity, record }: IdentityInput): ResolvedIdentity {
  const service =
    readString(identity, OPTIONAL_KEYS.invokedBy, identity['invokedBy']) ?? serviceHostOf(record);
  return {
    principal: { id: service, type: 'aws_service', name: service ?? null },
    session: null,
    actor: null,
  };
}

function resolveAwsAccount({ identity, partition }: IdentityInput): ResolvedIdentity {
  // Another account called in (cross-account access). The record names that account and the
  // caller's unique id there, not the caller's ARN, so the account is the principal, written
  // as IAM policies name an account.
  const account = readString(identity, 'accountId');
  return {
    principal: {
      id: account === undefined ? undefined : `arn:${partition}:iam::${account}:root`,
      type: 'aws_account',
      name: account ?? null,
    },
    session: null,
    actor: readString(identity, 'principalId') ?? null,
  };
}

function resolveIdentityCenterUser({ identity, partition }: IdentityInput): ResolvedIdentity {
  const userArn = readOnBehalfOf(identity) ?? identityStoreUserArn(identity, partition);
  const credentialId = readString(identity, 'credentialId');
  return {
    principal: {
      id: userArn,
      type: 'federated_user',
      name: readString(identity, 'userName') ?? readString(identity, 'userId') ?? null,
    },
    session:
      credentialId === undefined
        ? null
        : { id: credentialId, name: null, source_identity: null, issued_at: null, chain: [] },
    actor: userArn ?? null,
  };
}

/** Resolves a `userIdentity` of type Unknown, or of a type CloudTrail does not document. */
export function resolveUnknown({ identity }: IdentityInput): ResolvedIdentity {
  return {
    principal: {
      id: readString(identity, 'arn'),
      type: 'unknown',
      name: readString(identity, 'userName') ?? null,
    },
    session: null,
    actor: null,
  };
}

/**
 * Builds the session of an IAM user or root user from `sessionContext.attributes`, which
 * console sign-ins and `GetSessionToken` credentials carry. Returns null without a time.
 */
function readAttributeSession(identity: JsonObject): Session | null {
  const issuedAt = readCloudTrailTime(identity, 'sessionContext.attributes.creationDate');
  if (issuedAt === undefined) return null;
  return {
    id: null,
    name: null,
    source_identity: readString(identity, 'sessionContext.sourceIdentity') ?? null,
    issued_at: issuedAt,
    chain: [],
  };
}

/** Reads `onBehalfOf` (an Identity Center user behind the call) as an identity store user ARN. */
function readOnBehalfOf(identity: JsonObject): string | undefined {
  const onBehalfOf = getPath(identity, OPTIONAL_KEYS.onBehalfOf, identity['onBehalfOf']);
  return onBehalfOf === undefined || onBehalfOf === null
    ? undefined
    : identityStoreUserArn(onBehalfOf, undefined);
}

// Identity store users have ARNs "arn:PARTITION:identitystore:::user/USER_ID" (Service
// Authorization Reference, "AWS Identity Store", resource type user).
function identityStoreUserArn(
  user: unknown,
  fallbackPartition: string | undefined,
): string | undefined {
  const userId = readString(user, 'userId');
  if (userId === undefined) return undefined;
  const storeArn = readString(user, 'identityStoreArn');
  const partition =
    (storeArn === undefined ? undefined : parseArn(storeArn)?.partition) ??
    fallbackPartition ??
    'aws';
  return `arn:${partition}:identitystore:::user/${userId}`;
}

/**
 * Records role chaining as the record shows it. An `sts:AssumeRole` call made from a role
 * session creates a session from another session, so its chain is the calling session
 * followed by the new one (`responseElements.assumedRoleUser.arn`). Calls made later in the
 * new session carry no trace of the earlier hop, so their chain stays empty.
 */
function readRoleChain(record: JsonObject, callerSession: string | undefined): string[] {
  if (callerSession === undefined) return [];
  if (readString(record, 'eventSource', record['eventSource']) !== 'sts.amazonaws.com') {
    return [];
  }
  if (readString(record, 'eventName', record['eventName']) !== 'AssumeRole') return [];
  const created = readString(record, 'responseElements.assumedRoleUser.arn');
  return created === undefined ? [] : [callerSession, created];
}

// A service host such as "ec2.amazonaws.com" logged as the source address.
const SERVICE_HOST = /^(?:[a-z0-9-]+\.)+amazonaws\.com$/i;
const AMAZONAWS_SUFFIX = '.amazonaws.com';

/**
 * Returns the service that made the call when `sourceIPAddress` contains a service host name
 * (`ec2.amazonaws.com`) or "AWS Internal" instead of an address, as CloudTrail writes for
 * calls that a service makes.
 */
export function serviceHostOf(record: JsonObject): string | undefined {
  const source = readString(record, 'sourceIPAddress', record['sourceIPAddress']);
  if (source === undefined) return undefined;
  if (source === 'AWS Internal') return source;
  // Addresses, the common case, fail the suffix test before the pattern runs.
  const isServiceHost =
    source.length > AMAZONAWS_SUFFIX.length &&
    source.slice(-AMAZONAWS_SUFFIX.length).toLowerCase() === AMAZONAWS_SUFFIX &&
    SERVICE_HOST.test(source);
  if (isServiceHost) return source;
  return undefined;
}
