import { DependencyError, describeValue } from '@ciem/errors';
import { ClickHouseErrorCodes } from './errors.js';

/** A ClickHouse server version, from `SELECT version()` such as `18.16.1` or `24.8.4.13`. */
export interface ServerVersion {
  major: number;
  minor: number;
  patch: number;
  /** The text the server returned. */
  text: string;
}

/**
 * Parses the output of `SELECT version()`. Throws `DependencyError`
 * `CIEM_CLICKHOUSE_BAD_RESPONSE` when the text does not start with `major.minor`.
 */
export function parseServerVersion(text: string): ServerVersion {
  const match = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (match === null) {
    throw new DependencyError(
      ClickHouseErrorCodes.badResponse,
      `expected a ClickHouse version such as 24.8.4.13 from SELECT version(), received ${describeValue(text)}`,
    );
  }
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    text: text.trim(),
  };
}

/** Returns true when `version` is `major.minor` or later, such as 19.3 for LowCardinality. */
export function isVersionAtLeast(version: ServerVersion, major: number, minor = 0): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
