import { ConfigError, DependencyError, describeValue } from '@ciem/errors';

/** Error codes of the GCP IAM collector. Codes are permanent: a retired code is never reused. */
export const GcpCollectorErrorCode = {
  /** The scope or an endpoint option has the wrong form (ConfigError). */
  invalidOption: 'CIEM_ENTITLEMENTS_GCP_COLLECT_INVALID_OPTION',
  /** No access token could be obtained from the credentials (ConfigError). */
  credentialsFailed: 'CIEM_ENTITLEMENTS_GCP_COLLECT_CREDENTIALS_FAILED',
  /** The API returned 401 or 403 (ConfigError). */
  accessDenied: 'CIEM_ENTITLEMENTS_GCP_COLLECT_ACCESS_DENIED',
  /** The API rejected the request with another 4xx status, such as 404 for an unknown scope (ConfigError). */
  requestRejected: 'CIEM_ENTITLEMENTS_GCP_COLLECT_REJECTED',
  /** A request failed with 429, 5xx, a network error or a body that is not JSON after every retry (DependencyError). */
  requestFailed: 'CIEM_ENTITLEMENTS_GCP_COLLECT_FAILED',
  /** A listing returned more pages than the configured maximum (ConfigError). */
  tooManyPages: 'CIEM_ENTITLEMENTS_GCP_COLLECT_TOO_MANY_PAGES',
} as const;

/** Raised for a scope or endpoint of the wrong form. */
export function invalidOptionError(
  field: string,
  expected: string,
  received: unknown,
): ConfigError {
  return new ConfigError(
    GcpCollectorErrorCode.invalidOption,
    `${field}: expected ${expected}, received ${describeValue(received, 120)}. Fix the option and start again.`,
    { details: { field } },
  );
}

/** Raised when the credentials return no access token or fail. */
export function credentialsFailedError(error: unknown): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigError(
    GcpCollectorErrorCode.credentialsFailed,
    `Getting a Google access token failed: ${describeValue(message, 200)}. Set Application ` +
      'Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity or the attached ' +
      'service account) for an identity that may read the scope.',
    { cause: error },
  );
}

/**
 * Classifies an HTTP error status of `request` (method name, such as `assets.list`) as a
 * ConfigError (401, 403 and other 4xx) or a DependencyError (429 and 5xx, after retries).
 */
export function statusError(
  request: string,
  url: string,
  status: number,
  body: string,
): ConfigError | DependencyError {
  const details = { request, url, status };
  const received = describeValue(body, 300);
  if (status === 401 || status === 403) {
    return new ConfigError(
      GcpCollectorErrorCode.accessDenied,
      `${request} returned HTTP ${status} for ${url}: ${received}. Grant the collecting ` +
        'identity roles/cloudasset.viewer and roles/iam.roleViewer on the scope.',
      { details },
    );
  }
  if (status >= 400 && status < 500 && status !== 429) {
    return new ConfigError(
      GcpCollectorErrorCode.requestRejected,
      `${request} returned HTTP ${status} for ${url}: ${received}. Check that the scope ` +
        'exists and is written as organizations/<number>, folders/<number> or projects/<id>.',
      { details },
    );
  }
  return new DependencyError(
    GcpCollectorErrorCode.requestFailed,
    `${request} returned HTTP ${status} for ${url} after every retry: ${received}. ` +
      'Collect again later.',
    { details },
  );
}

/** Raised when a request fails without a response, or its body is not JSON, after every retry. */
export function requestFailedError(request: string, url: string, error: unknown): DependencyError {
  const message = error instanceof Error ? error.message : String(error);
  return new DependencyError(
    GcpCollectorErrorCode.requestFailed,
    `${request} failed for ${url} after every retry: ${describeValue(message, 200)}. ` +
      'Check the endpoint and the network, then collect again.',
    { cause: error, details: { request, url } },
  );
}

/** Raised when a listing exceeds `maxPages`, which points at a page token loop or a wrong limit. */
export function tooManyPagesError(request: string, maxPages: number): ConfigError {
  return new ConfigError(
    GcpCollectorErrorCode.tooManyPages,
    `${request} returned more than ${maxPages} pages: expected fewer. Raise maxPages if ` +
      'the scope is that large.',
    { details: { request, max_pages: maxPages } },
  );
}
