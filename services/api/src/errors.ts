import { ConfigError, InputError, RejectedError, describeValue } from '@ciem/errors';

/** Error codes of the query API. Each is stable and never reused. */
export const ApiErrorCodes = {
  /** A parameter or body failed its JSON schema. HTTP 400. */
  invalidRequest: 'CIEM_API_INVALID_REQUEST',
  /** No credentials, or credentials that are invalid, expired or unknown. HTTP 401. */
  unauthenticated: 'CIEM_API_UNAUTHENTICATED',
  /** Valid credentials whose role does not allow the request. HTTP 403. */
  forbidden: 'CIEM_API_FORBIDDEN',
  /** The principal, alert or route does not exist. HTTP 404. */
  notFound: 'CIEM_API_NOT_FOUND',
  /** The caller made more requests than the rate limit allows. HTTP 429. */
  rateLimited: 'CIEM_API_RATE_LIMITED',
  /** `CIEM_API_KEYS` or a JWT key setting is missing or malformed. The service does not start. */
  invalidAuthConfig: 'CIEM_API_INVALID_AUTH_CONFIG',
  /** An entry of `CIEM_API_LAG_GROUPS` is not `<group>=<topic>`. The service does not start. */
  invalidLagGroups: 'CIEM_API_INVALID_LAG_GROUPS',
} as const;

/** HTTP status of each request error code. */
export const HTTP_STATUS_OF_CODE: Readonly<Record<string, number>> = {
  [ApiErrorCodes.invalidRequest]: 400,
  [ApiErrorCodes.unauthenticated]: 401,
  [ApiErrorCodes.forbidden]: 403,
  [ApiErrorCodes.notFound]: 404,
  [ApiErrorCodes.rateLimited]: 429,
};

/** Builds the error of a request that failed its schema; `message` names the field. */
export function invalidRequestError(message: string): InputError {
  return new InputError(ApiErrorCodes.invalidRequest, message);
}

/** Builds the 401 error; `reason` describes what is wrong with the credentials. */
export function unauthenticatedError(reason: string): RejectedError {
  return new RejectedError(ApiErrorCodes.unauthenticated, reason);
}

/** Builds the 403 error of a caller whose role is too low. */
export function forbiddenError(callerId: string, role: string, required: string): RejectedError {
  return new RejectedError(
    ApiErrorCodes.forbidden,
    `caller ${describeValue(callerId)} has role ${role}, and this request needs role ${required}; use an admin key or token`,
  );
}

/** Builds the 404 error of a missing resource. */
export function notFoundError(what: string, id: string): RejectedError {
  return new RejectedError(ApiErrorCodes.notFound, `${what} ${describeValue(id)} not found`);
}

/** Builds the 429 error; `retryAfterSeconds` is also sent as `Retry-After`. */
export function rateLimitedError(
  limit: number,
  windowMs: number,
  retryAfterSeconds: number,
): RejectedError {
  return new RejectedError(
    ApiErrorCodes.rateLimited,
    `rate limit of ${limit} requests per ${windowMs} ms exceeded; retry after ${retryAfterSeconds} s`,
  );
}

/**
 * Builds the 429 error of a client address blocked after too many failed authentications.
 * Valid credentials from that address wait too, so the message explains the block.
 */
export function authFailuresBlockedError(
  failures: number,
  windowMs: number,
  retryAfterSeconds: number,
): RejectedError {
  return new RejectedError(
    ApiErrorCodes.rateLimited,
    `this client address made ${failures} failed authentications within ${windowMs} ms and is blocked, whatever credentials it sends; retry after ${retryAfterSeconds} s with a valid key or token (CIEM_API_AUTH_FAILURES_MAX sets the limit)`,
  );
}

/**
 * Builds the start-up error of an invalid authentication setting; `message` reads
 * `<VARIABLE>: expected <form>, received <what>`, never showing a secret.
 */
export function invalidAuthConfigError(message: string): ConfigError {
  return new ConfigError(ApiErrorCodes.invalidAuthConfig, message);
}

/** Builds the start-up error of an invalid `CIEM_API_LAG_GROUPS` entry. */
export function invalidLagGroupsError(entry: string): ConfigError {
  return new ConfigError(
    ApiErrorCodes.invalidLagGroups,
    `CIEM_API_LAG_GROUPS: expected comma-separated \`<group>=<topic>\` entries, received ${describeValue(entry)}`,
  );
}
