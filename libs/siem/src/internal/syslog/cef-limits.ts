import { TRUNCATION_MARKER, cutText } from './truncate.js';

/**
 * Maximum lengths of the CEF header fields that hold text, from the "Header Field
 * Definitions" of the ArcSight standard "Implementing ArcSight Common Event Format (CEF)".
 */
export const CEF_HEADER_MAX_LENGTHS = Object.freeze({
  deviceVendor: 63,
  deviceProduct: 63,
  deviceVersion: 31,
  deviceEventClassId: 1023,
  name: 512,
} as const);

/** A text field of the CEF header. */
export type CefHeaderField = keyof typeof CEF_HEADER_MAX_LENGTHS;

/**
 * Extension keys the encoder writes whose dictionary entry gives a type instead of a length:
 * timestamps, the event count (Integer) and IPv4 and IPv6 addresses.
 */
export const CEF_TYPED_EXTENSION_KEYS: readonly string[] = Object.freeze([
  'rt',
  'start',
  'end',
  'cnt',
  'src',
  'c6a2',
]);

/**
 * Maximum lengths of the string keys the encoder writes, from the Extension Dictionary of
 * the same standard. The keys in `CEF_TYPED_EXTENSION_KEYS` are not listed.
 */
export const CEF_EXTENSION_MAX_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  externalId: 40,
  cat: 1023,
  suid: 1023,
  suser: 1023,
  msg: 1023,
  cs1: 4000,
  cs2: 4000,
  cs3: 4000,
  cs4: 4000,
  cs5: 4000,
  cs6: 4000,
  cs1Label: 1023,
  cs2Label: 1023,
  cs3Label: 1023,
  cs4Label: 1023,
  cs5Label: 1023,
  cs6Label: 1023,
});

/**
 * Returns `value` cut to at most `maxLength` UTF-16 code units, ending with `...` when
 * cut. The value must not be escaped yet, so that the cut never splits an escape sequence,
 * and a surrogate pair is kept whole or dropped whole.
 *
 * NOTE: the standard does not name the unit of its lengths. They are counted here in UTF-16
 * code units (the string length of JavaScript and Java), never fewer than the characters. A
 * receiver that stores UTF-8 bytes in a column of that size may still cut multibyte text.
 */
export function limitCefValue(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  return cutText(value, maxLength - TRUNCATION_MARKER.length);
}

/** Returns an extension value cut to its key's maximum length. Unlisted keys stay whole. */
export function limitCefExtension(key: string, value: string): string {
  const maxLength = CEF_EXTENSION_MAX_LENGTHS[key];
  return maxLength === undefined ? value : limitCefValue(value, maxLength);
}
