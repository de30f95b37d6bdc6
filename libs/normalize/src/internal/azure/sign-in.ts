import type { Principal } from '@ciem/events';
import { readString } from '../read-field.js';
import type { JsonObject } from '../read-field.js';
import type { AzureResult } from './result.js';
import { normalizeGuid } from './resource-id.js';

/**
 * Reads the caller of an Entra ID sign-in record (categories SignInLogs,
 * ServicePrincipalSignInLogs...). These carry the identity in `properties` (`userId`,
 * `userPrincipalName`, `servicePrincipalId`, `appId`) and no token claims.
 */
export function signInPrincipalOf(properties: JsonObject | undefined): Principal {
  const servicePrincipalId = readString(properties, 'servicePrincipalId');
  const managedIdentityType = readString(properties, 'managedIdentityType');
  if (servicePrincipalId !== undefined) {
    const isManaged = managedIdentityType !== undefined && managedIdentityType !== 'none';
    return {
      id: normalizeGuid(servicePrincipalId),
      type: isManaged ? 'managed_identity' : 'service_principal',
      name:
        readString(properties, 'servicePrincipalName') ?? readString(properties, 'appId') ?? null,
    };
  }

  const userId = readString(properties, 'userId');
  const upn = readString(properties, 'userPrincipalName');
  if (userId !== undefined) return { id: normalizeGuid(userId), type: 'user', name: upn ?? null };
  if (upn !== undefined) return { id: upn.toLowerCase(), type: 'user', name: upn };
  return { id: 'unknown', type: 'unknown', name: null };
}

/**
 * Reads the result of a sign-in: `properties.status.errorCode` 0 is a success, any other
 * code a failure, with `failureReason` as message.
 */
export function signInResultOf(properties: JsonObject | undefined): AzureResult {
  const errorCode =
    readString(properties, 'status.errorCode') ?? readString(properties, 'resultType');
  if (errorCode === undefined || errorCode === '0') {
    return { outcome: 'success', errorCode: null, errorMessage: null };
  }
  return {
    outcome: 'failed',
    errorCode,
    errorMessage:
      readString(properties, 'status.failureReason') ??
      readString(properties, 'resultDescription') ??
      null,
  };
}
