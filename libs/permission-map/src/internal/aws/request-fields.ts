/**
 * Reads of CloudTrail `requestParameters`. CloudTrail writes most field names in lower
 * camel case (`versionId`, `tagSpecificationSet`) and S3 request headers as sent
 * (`x-amz-acl`), but copies of records may change the case, so names match in any case.
 */

/**
 * Returns false for a value that carries nothing: missing, null, '', or an empty array or
 * object.
 */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * Returns the value of the field `name` of `request`, compared case-insensitively, or
 * `undefined` when the field is missing or carries nothing (see {@link isPresent}).
 */
export function requestField(request: Record<string, unknown> | undefined, name: string): unknown {
  if (request === undefined) return undefined;
  let value = Object.hasOwn(request, name) ? request[name] : undefined;
  if (value === undefined) {
    // Only keys of the same length can match, so most are never lower-cased.
    const lowered = name.toLowerCase();
    for (const key in request) {
      if (key.length !== name.length || !Object.hasOwn(request, key)) continue;
      if (key.toLowerCase() === lowered) {
        value = request[key];
        break;
      }
    }
  }
  return isPresent(value) ? value : undefined;
}

/** Returns true when `request` carries any of the fields `names`. */
export function hasAnyField(
  request: Record<string, unknown> | undefined,
  names: readonly string[],
): boolean {
  return names.some((name) => requestField(request, name) !== undefined);
}
