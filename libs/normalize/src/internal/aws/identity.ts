import type { Principal, Session } from '@ciem/events';
import { readBoolean, readObject, readString, type JsonObject } from '../read-field.js';
import { OPTIONAL_KEYS } from './optional-keys.js';
import { parseArn, partitionOfRegion, type ArnParts } from './arn.js';
import {
  IDENTITY_RESOLVERS,
  resolveUnknown,
  serviceHostOf,
  type ResolvedIdentity,
} from './identity-resolvers.js';
import { ownEntry } from '../own-entry.js';

/** The identity fields of a NormalizedEvent, read from one CloudTrail record. */
export interface CloudTrailIdentity {
  principal: Principal;
  session: Session | null;
  actor: string | null;
  access_key_id: string | null;
  mfa: boolean | null;
  via_service: string | null;
  /** Partition of `userIdentity.arn`, else of `awsRegion`. */
  partition: string;
}

const UNKNOWN_PRINCIPAL_ID = 'unknown';

/**
 * Reads who made a CloudTrail call from `userIdentity`, `additionalEventData.MFAUsed` and
 * `sourceIPAddress`. A record without `userIdentity` (Insight events) or with an
 * unrecognized type gets the `unknown` principal instead of an error. The caller reads
 * `userIdentity` with `readObject` and checks that it is an object when present.
 */
export function readCloudTrailIdentity(
  record: JsonObject,
  userIdentity: JsonObject | undefined,
): CloudTrailIdentity {
  const identity = userIdentity ?? {};
  const arn = readString(identity, 'arn', identity['arn']);
  const parsedArn = arn === undefined ? undefined : parseArn(arn);
  const partition =
    parsedArn?.partition ?? partitionOfRegion(readString(record, 'awsRegion', record['awsRegion']));
  const resolver =
    ownEntry(IDENTITY_RESOLVERS, identityTypeOf(identity, parsedArn)) ?? resolveUnknown;
  const resolved: ResolvedIdentity = resolver({ identity, record, partition, arn, parsedArn });

  const principal: Principal =
    resolved.principal.id === undefined || resolved.principal.id === ''
      ? { id: UNKNOWN_PRINCIPAL_ID, type: 'unknown', name: resolved.principal.name }
      : { id: resolved.principal.id, type: resolved.principal.type, name: resolved.principal.name };

  return {
    principal,
    session: resolved.session,
    actor: resolved.actor,
    access_key_id: readString(identity, 'accessKeyId', identity['accessKeyId']) ?? null,
    mfa: readMfa(record, identity),
    via_service:
      readString(identity, OPTIONAL_KEYS.invokedBy, identity['invokedBy']) ??
      serviceHostOf(record) ??
      null,
    partition,
  };
}

/**
 * Returns the lower-cased `userIdentity.type`, inferring it from the ARN or other fields
 * when the type is missing or not one CloudTrail documents (exporters drop it, and service
 * events such as `AwsServiceEvent` records sometimes carry only `invokedBy`).
 */
function identityTypeOf(identity: JsonObject, parsed: ArnParts | undefined): string {
  const declared = readString(identity, 'type', identity['type'])?.toLowerCase();
  if (declared !== undefined && declared in IDENTITY_RESOLVERS) return declared;

  if (parsed !== undefined) {
    if (parsed.resource === 'root') return 'root';
    if (parsed.service === 'iam' && parsed.resource.startsWith('user/')) return 'iamuser';
    if (parsed.service === 'sts' && parsed.resource.startsWith('assumed-role/')) {
      return 'assumedrole';
    }
    if (parsed.service === 'sts' && parsed.resource.startsWith('federated-user/')) {
      return 'federateduser';
    }
  }
  if (readString(identity, OPTIONAL_KEYS.invokedBy, identity['invokedBy']) !== undefined)
    return 'awsservice';
  if (readString(identity, 'userId', identity['userId']) !== undefined) {
    return 'identitycenteruser';
  }
  return 'unknown';
}

/**
 * Reads whether MFA was used. `additionalEventData.MFAUsed` ("Yes"/"No", on console
 * sign-ins) describes this very sign-in, so it wins over the session's
 * `sessionContext.attributes.mfaAuthenticated` ("true"/"false").
 */
function readMfa(record: JsonObject, identity: JsonObject): boolean | null {
  const eventData = readObject(record, 'additionalEventData', record['additionalEventData']);
  const signInMfa = readBoolean(eventData, OPTIONAL_KEYS.MFAUsed, eventData?.['MFAUsed']);
  if (signInMfa !== undefined) return signInMfa;
  const sessionContext = readObject(identity, 'sessionContext', identity['sessionContext']);
  const attributes = readObject(sessionContext, 'attributes', sessionContext?.['attributes']);
  return readBoolean(attributes, 'mfaAuthenticated', attributes?.['mfaAuthenticated']) ?? null;
}
