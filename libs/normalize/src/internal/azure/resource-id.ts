/**
 * Azure Resource Manager resource ids:
 * `/subscriptions/{sub}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}[/{type}/{name}...]`,
 * where an extension resource repeats `/providers/...` after its parent. ARM treats ids as
 * case-insensitive and logs them in any case (Activity Log records carry upper-cased ones),
 * so the platform stores them lower-cased.
 */

const GUID_WITHOUT_DASHES = /^[0-9a-f]{32}$/i;

/** Lower-cases an id and removes trailing slashes, so one resource has one id. */
export function normalizeResourceId(resourceId: string): string {
  const trimmed = resourceId.trim();
  let end = trimmed.length;
  while (end > 0 && trimmed.charCodeAt(end - 1) === 0x2f) end--;
  return (end === trimmed.length ? trimmed : trimmed.slice(0, end)).toLowerCase();
}

/** Lower-cases a GUID and adds the dashes that `evidence.principalId` leaves out. */
export function normalizeGuid(value: string): string {
  const trimmed = value.trim().toLowerCase();
  // Only 32 characters can be a GUID without dashes; most values have their dashes.
  if (trimmed.length !== 32 || !GUID_WITHOUT_DASHES.test(trimmed)) return trimmed;
  return [
    trimmed.slice(0, 8),
    trimmed.slice(8, 12),
    trimmed.slice(12, 16),
    trimmed.slice(16, 20),
    trimmed.slice(20),
  ].join('-');
}

/** Returns the lower-cased subscription id of a resource id or scope, if it names one. */
export function subscriptionOf(resourceId: string): string | undefined {
  return subscriptionOfNormalized(normalizeResourceId(resourceId));
}

/**
 * Returns {@link subscriptionOf} of an id that {@link normalizeResourceId} returned, which
 * is trimmed and lower-cased already.
 */
export function subscriptionOfNormalized(normalizedId: string): string | undefined {
  const start = normalizedId.charCodeAt(0) === 0x2f ? 1 : 0;
  if (!normalizedId.startsWith(SUBSCRIPTIONS_SEGMENT, start)) return undefined;
  const idStart = start + SUBSCRIPTIONS_SEGMENT.length;
  const idEnd = normalizedId.indexOf('/', idStart);
  const id = normalizedId.slice(idStart, idEnd < 0 ? normalizedId.length : idEnd);
  return id === '' ? undefined : id;
}

const SUBSCRIPTIONS_SEGMENT = 'subscriptions/';

/**
 * Returns the resource type of an id as `namespace/type[/child type...]`, lower-cased:
 * `microsoft.compute/virtualmachines` for a VM, `microsoft.resources/resourcegroups` for a
 * resource group and `microsoft.resources/subscriptions` for a subscription. Undefined
 * when the id has none of these forms.
 */
export function resourceTypeOf(resourceId: string): string | undefined {
  return resourceTypeOfNormalized(normalizeResourceId(resourceId));
}

/** Returns {@link resourceTypeOf} of an id that {@link normalizeResourceId} returned. */
export function resourceTypeOfNormalized(normalizedId: string): string | undefined {
  // Most ids name a provider, and scanning them spares the array and strings of a split.
  const providers = lastProvidersSegment(normalizedId);
  if (providers >= 0) return typeAfterProviders(normalizedId, providers + PROVIDERS.length);
  const segments = normalizedId.split('/').filter((segment) => segment !== '');
  if (segments[0] !== 'subscriptions') return undefined;
  if (segments[2] === 'resourcegroups') return 'microsoft.resources/resourcegroups';
  return 'microsoft.resources/subscriptions';
}

const PROVIDERS = 'providers';
const SLASH = 0x2f;

/** Returns where the last segment that is exactly `providers` starts, or -1. */
function lastProvidersSegment(text: string): number {
  let searchFrom = text.length;
  while (searchFrom >= 0) {
    const at = text.lastIndexOf(PROVIDERS, searchFrom);
    if (at < 0) return -1;
    const end = at + PROVIDERS.length;
    const startsSegment = at === 0 || text.charCodeAt(at - 1) === SLASH;
    const endsSegment = end === text.length || text.charCodeAt(end) === SLASH;
    if (startsSegment && endsSegment) return at;
    searchFrom = at - 1;
  }
  return -1;
}

/**
 * Joins the namespace and the type segments after `providers`, skipping empty segments.
 * After the namespace, segments alternate type and name, so only the types are kept.
 * Returns undefined when no namespace follows.
 */
function typeAfterProviders(text: string, from: number): string | undefined {
  // Most ids end in `providers/{namespace}/{type}/{name}`, whose type is one slice.
  let first = from;
  while (first < text.length && text.charCodeAt(first) === SLASH) first++;
  const namespaceEnd = text.indexOf('/', first);
  const typeEnd = namespaceEnd > first ? text.indexOf('/', namespaceEnd + 1) : -1;
  const hasType = typeEnd > namespaceEnd + 1;
  const nameIsLast = hasType && typeEnd + 1 < text.length && text.indexOf('/', typeEnd + 1) < 0;
  if (nameIsLast) return text.slice(first, typeEnd);

  let type: string | undefined;
  let position = 0;
  let start = first;
  for (;;) {
    while (start < text.length && text.charCodeAt(start) === SLASH) start++;
    if (start >= text.length) return type;
    const slash = text.indexOf('/', start);
    const end = slash < 0 ? text.length : slash;
    if (position === 0) type = text.slice(start, end);
    else if (position % 2 === 1) type += `/${text.slice(start, end)}`;
    position++;
    start = end;
  }
}

/** Returns the provider namespace (`Microsoft.Compute`) in front of an operation name. */
export function namespaceOfOperation(operationName: string): string | undefined {
  const slash = operationName.indexOf('/');
  if (slash <= 0) return undefined;
  const namespace = operationName.slice(0, slash);
  return namespace.includes('.') ? namespace : undefined;
}

/**
 * Returns the provider namespace of a resource id, in the case the id uses. `normalized`
 * is the id as {@link normalizeResourceId} returns it, when the caller has it already.
 */
export function namespaceOfResourceId(
  resourceId: string,
  normalized: string = normalizeResourceId(resourceId),
): string | undefined {
  const text = resourceId.trim();
  // The last `/providers/` segment in any case, followed by a non-empty segment. The
  // normalized id is the text lower-cased without its trailing slashes, which end no
  // segment that matters here, so its positions are the text's unless lower-casing
  // changed a length.
  const lowered = normalized;
  let textEnd = text.length;
  while (textEnd > 0 && text.charCodeAt(textEnd - 1) === 0x2f) textEnd--;
  if (lowered.length !== textEnd) return namespaceOfSegments(text);
  let searchFrom = lowered.length;
  while (searchFrom >= 0) {
    const at = lowered.lastIndexOf('providers', searchFrom);
    if (at < 0) return undefined;
    const end = at + 'providers'.length;
    const startsSegment = at === 0 || lowered.charCodeAt(at - 1) === 0x2f;
    const endsSegment = end === lowered.length || lowered.charCodeAt(end) === 0x2f;
    if (startsSegment && endsSegment) {
      let start = end;
      while (start < text.length && text.charCodeAt(start) === 0x2f) start++;
      if (start >= text.length) return undefined;
      const next = text.indexOf('/', start);
      return text.slice(start, next < 0 ? text.length : next);
    }
    searchFrom = at - 1;
  }
  return undefined;
}

// Splits the id into segments, for ids whose lower-case form differs in length.
function namespaceOfSegments(text: string): string | undefined {
  const segments = text.split('/').filter(Boolean);
  const lastProviders = segments.map((segment) => segment.toLowerCase()).lastIndexOf('providers');
  return lastProviders >= 0 ? segments[lastProviders + 1] : undefined;
}
