import type { Alert } from '@ciem/events';

/** Text put after a value that was cut to fit a syslog message. */
export const TRUNCATION_MARKER = '...';

/**
 * Alert text fields that may be cut, in the order they are cut: the description (CEF `msg`)
 * first, because the ids, times and severity must reach the SIEM unchanged.
 */
const TRUNCATABLE_FIELDS = [
  'description',
  'title',
  'rule_name',
  'principal_name',
  'principal_id',
] as const;

/**
 * Returns the first `length` UTF-16 code units of `value` followed by the marker, one unit
 * shorter when the cut would split a surrogate pair.
 */
export function cutText(value: string, length: number): string {
  let end = length;
  const last = value.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}${TRUNCATION_MARKER}`;
}

/**
 * Renders `alert` with its text fields cut, field by field in `TRUNCATABLE_FIELDS` order, so
 * that the rendered message has at most `maxBytes` UTF-8 octets. Each field keeps the longest
 * prefix that fits, found by binary search. The fields are cut before `render` escapes them,
 * so an escape sequence is never split. Returns undefined when the message is still too long
 * with every listed field cut to the marker.
 */
export function renderTruncated(
  alert: Alert,
  render: (alert: Alert) => string,
  maxBytes: number,
): string | undefined {
  const fits = (candidate: Alert): boolean =>
    Buffer.byteLength(render(candidate), 'utf8') <= maxBytes;

  let current = alert;
  for (const field of TRUNCATABLE_FIELDS) {
    if (fits(current)) break;
    const value = current[field];
    if (value === null || value.length === 0) continue;
    const withLength = (length: number): Alert => ({ ...current, [field]: cutText(value, length) });
    // Every character takes at least one octet, so no prefix longer than maxBytes can fit.
    let low = 0;
    let high = Math.min(value.length - 1, maxBytes);
    if (!fits(withLength(low))) {
      current = withLength(0);
      continue;
    }
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(withLength(middle))) low = middle;
      else high = middle - 1;
    }
    current = withLength(low);
  }
  const message = render(current);
  return Buffer.byteLength(message, 'utf8') <= maxBytes ? message : undefined;
}
