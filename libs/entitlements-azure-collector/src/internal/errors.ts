import { ConfigError, DependencyError, describeValue } from '@ciem/errors';

/** Error codes of the Azure RBAC collector. Codes are permanent: a retired code is never reused. */
export const AzureCollectorErrorCode = {
  /** A subscription id, management group id or endpoint has the wrong form (ConfigError). */
  invalidOption: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_INVALID_OPTION',
  /** ARM returned 401 or 403, or the credential could not get a token (ConfigError). */
  accessDenied: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_ACCESS_DENIED',
  /** ARM rejected a request with another 4xx status, such as 404 for an unknown subscription (ConfigError). */
  requestRejected: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_REJECTED',
  /** A request failed with 429, 5xx or a network error after the SDK's retries (DependencyError). */
  requestFailed: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_FAILED',
  /** A listing returned more pages than the configured maximum (ConfigError). */
  tooManyPages: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_TOO_MANY_PAGES',
} as const;

/** Raised for an option of the wrong form. */
export function invalidOptionError(
  field: string,
  expected: string,
  received: unknown,
): ConfigError {
  return new ConfigError(
    AzureCollectorErrorCode.invalidOption,
    `${field}: expected ${expected}, received ${describeValue(received, 120)}. Fix the option and start again.`,
    { details: { field } },
  );
}

interface RestErrorLike {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
}

/**
 * Classifies a failure of `request` (operation name, such as `roleAssignments.listForScope`)
 * on `scope`: 401, 403 and credential failures become access denied, other 4xx rejected
 * (ConfigError), the rest a retriable DependencyError. The SDK has already retried 429
 * (honouring `Retry-After`), 5xx and network errors by then.
 */
export function collectFailedError(
  error: unknown,
  request: string,
  scope: string,
): ConfigError | DependencyError {
  const rest = (typeof error === 'object' && error !== null ? error : {}) as RestErrorLike;
  const name = typeof rest.name === 'string' ? rest.name : 'Error';
  const message = describeValue(
    typeof rest.message === 'string' ? rest.message : String(error),
    300,
  );
  const status = typeof rest.statusCode === 'number' ? rest.statusCode : undefined;
  const details = { request, scope, status, error_name: name };
  if (
    status === 401 ||
    status === 403 ||
    name === 'CredentialUnavailableError' ||
    name === 'AuthenticationError'
  ) {
    return new ConfigError(
      AzureCollectorErrorCode.accessDenied,
      `${request} on ${scope} was denied (${status ?? name}): ${message}. Give the collecting ` +
        'identity the Reader role (Microsoft.Authorization/*/read) on the scope, and check ' +
        'its credentials.',
      { cause: error, details },
    );
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new ConfigError(
      AzureCollectorErrorCode.requestRejected,
      `${request} on ${scope} returned HTTP ${status}: ${message}. Check that the ` +
        'subscription or management group exists and that the id is right.',
      { cause: error, details },
    );
  }
  return new DependencyError(
    AzureCollectorErrorCode.requestFailed,
    `${request} on ${scope} failed${status === undefined ? '' : ` with HTTP ${status}`} after ` +
      `the SDK's retries: ${message}. Check the endpoint and the network, then collect again.`,
    { cause: error, details },
  );
}

/** Raised when a listing exceeds `maxPages`, which points at a nextLink loop or a wrong limit. */
export function tooManyPagesError(request: string, scope: string, maxPages: number): ConfigError {
  return new ConfigError(
    AzureCollectorErrorCode.tooManyPages,
    `${request} on ${scope} returned more than ${maxPages} pages: expected fewer. Raise ` +
      'maxPages if the scope is that large.',
    { details: { request, scope, max_pages: maxPages } },
  );
}
