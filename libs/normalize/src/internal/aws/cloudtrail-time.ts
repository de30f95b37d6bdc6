import { getPath, readTime } from '../read-field.js';

// ISO 8601 basic notation, as in `sessionContext.attributes.creationDate` of older records
// ("20131102T010628Z", CloudTrail User Guide, "CloudTrail userIdentity element").
const BASIC_ISO_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3})\d*)?Z$/;

/**
 * Reads a CloudTrail time at a path as epoch milliseconds UTC. Accepts what `readTime`
 * accepts (extended ISO 8601, epoch seconds or milliseconds) and ISO 8601 basic notation.
 * Returns undefined when the value is missing or not a time. `direct` is as in `getPath`.
 */
export function readCloudTrailTime(
  root: unknown,
  path: string,
  direct?: unknown,
): number | undefined {
  const parsed = readTime(root, path, direct);
  if (parsed !== undefined) return parsed;
  const value = getPath(root, path, direct);
  if (typeof value !== 'string') return undefined;
  const match = BASIC_ISO_TIME.exec(value.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '0'] = match;
  const millis = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.padEnd(3, '0')),
  );
  // Date.UTC rolls month 13 or day 32 over into the next period; such text is not a time.
  const date = new Date(millis);
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return undefined;
  }
  return millis;
}
