import { ConfigError, DependencyError, describeValue } from '@ciem/errors';

/** Error codes of the AWS IAM collector. Codes are permanent: a retired code is never reused. */
export const AwsCollectorErrorCode = {
  /** The caller may not call iam:GetAccountAuthorizationDetails (ConfigError). */
  accessDenied: 'CIEM_ENTITLEMENTS_AWS_COLLECT_ACCESS_DENIED',
  /** A GetAccountAuthorizationDetails request failed after the SDK's retries (DependencyError). */
  requestFailed: 'CIEM_ENTITLEMENTS_AWS_COLLECT_FAILED',
  /** The API returned more pages than the configured maximum (ConfigError). */
  tooManyPages: 'CIEM_ENTITLEMENTS_AWS_COLLECT_TOO_MANY_PAGES',
} as const;

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

interface SdkError {
  name?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Classifies an SDK failure of page `page` as a ConfigError (access) or DependencyError. */
export function collectFailedError(error: unknown, page: number): ConfigError | DependencyError {
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const name = typeof sdk.name === 'string' ? sdk.name : 'Error';
  const message = typeof sdk.message === 'string' ? sdk.message : String(error);
  if (ACCESS_DENIED.has(name)) {
    return new ConfigError(
      AwsCollectorErrorCode.accessDenied,
      `iam:GetAccountAuthorizationDetails was denied on page ${page}: ${describeValue(message, 200)}. ` +
        'Grant the collecting identity iam:GetAccountAuthorizationDetails (the AWS managed ' +
        'policy SecurityAudit includes it).',
      { cause: error, details: { page } },
    );
  }
  return new DependencyError(
    AwsCollectorErrorCode.requestFailed,
    `iam:GetAccountAuthorizationDetails failed on page ${page} with ${name}: ` +
      `${describeValue(message, 200)}. Check the endpoint and network, then collect again.`,
    { cause: error, details: { page, error_name: name } },
  );
}

/** Raised when pagination exceeds `maxPages`, which points at a Marker loop or a wrong limit. */
export function tooManyPagesError(maxPages: number): ConfigError {
  return new ConfigError(
    AwsCollectorErrorCode.tooManyPages,
    `GetAccountAuthorizationDetails returned more than ${maxPages} pages: expected fewer. ` +
      'Raise maxPages if the account is that large.',
    { details: { max_pages: maxPages } },
  );
}
