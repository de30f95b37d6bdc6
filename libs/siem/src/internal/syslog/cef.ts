import net from 'node:net';
import type { Alert } from '@ciem/events';
import { idempotencyKeyOf } from '../idempotency.js';
import { CEF_HEADER_MAX_LENGTHS, limitCefExtension, limitCefValue } from './cef-limits.js';
import type { CefHeaderField } from './cef-limits.js';

/** CEF severity 0–10 per alert severity, where 0–3 is Low, 4–6 Medium, 7–8 High and 9–10 Very-High. */
export const CEF_SEVERITIES: Readonly<Record<string, number>> = Object.freeze({
  info: 1,
  low: 3,
  medium: 5,
  high: 8,
  critical: 10,
});

/**
 * Escapes a CEF header field: backslash and pipe get a backslash. Line breaks are not
 * allowed in the header, so they become spaces.
 */
export function escapeCefHeader(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ');
}

/**
 * Escapes a CEF extension value: backslash and equals sign get a backslash, and line breaks
 * become the two characters `\n` (or `\r`). A pipe needs no escape in extensions.
 */
export function escapeCefExtension(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/=/g, '\\=')
    .replace(/\r\n|\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/** Header fields of a CEF line. */
export interface CefDevice {
  vendor: string;
  product: string;
  version: string;
}

/** Cuts a header value to the field's maximum length, then escapes it. */
function headerValue(field: CefHeaderField, value: string): string {
  return escapeCefHeader(limitCefValue(value, CEF_HEADER_MAX_LENGTHS[field]));
}

/**
 * Encodes an alert as one CEF line:
 * `CEF:0|Vendor|Product|Version|rule_id|title|severity|key=value ...`. Extension keys are
 * CEF dictionary names (rt, start, end, cnt, suid, suser, src, msg, externalId, cat) and
 * labelled custom strings cs1–cs6 for the fields CEF has no key for. A header field or
 * extension value longer than the maximum length the CEF standard gives it (see
 * `cef-limits.ts`) is cut before it is escaped and ends with `...`.
 */
export function encodeCef(alert: Alert, device: CefDevice): string {
  const header = [
    'CEF:0',
    headerValue('deviceVendor', device.vendor),
    headerValue('deviceProduct', device.product),
    headerValue('deviceVersion', device.version),
    headerValue('deviceEventClassId', alert.rule_id),
    headerValue('name', alert.title),
    String(CEF_SEVERITIES[alert.severity] ?? 5),
  ];
  const extension: Array<[string, string]> = [
    // NOTE: CEF allows 40 characters in externalId, so a key whose count has eight digits
    // or more is cut, and two such versions of one alert share an externalId.
    ['externalId', idempotencyKeyOf(alert)],
    ['rt', String(alert.created_at)],
    ['start', String(alert.first_seen)],
    ['end', String(alert.last_seen)],
    ['cnt', String(alert.event_count)],
    ['cat', alert.rule_name],
    ['suid', alert.principal_id],
  ];
  if (alert.principal_name !== null) extension.push(['suser', alert.principal_name]);
  const firstIp = alert.source_ips[0];
  // `src` must be an IPv4 address in CEF; IPv6 addresses go to c6a2.
  if (firstIp !== undefined && net.isIPv4(firstIp)) extension.push(['src', firstIp]);
  else if (firstIp !== undefined && net.isIPv6(firstIp)) extension.push(['c6a2', firstIp]);
  extension.push(
    ['msg', alert.description],
    ['cs1Label', 'alertId'],
    ['cs1', alert.alert_id],
    ['cs2Label', 'provider'],
    ['cs2', alert.provider],
    ['cs3Label', 'accountId'],
    ['cs3', alert.account_id],
    ['cs4Label', 'mitreTechniques'],
    ['cs4', alert.mitre_techniques.join(',')],
    ['cs5Label', 'principalType'],
    ['cs5', alert.principal_type],
    ['cs6Label', 'severity'],
    ['cs6', alert.severity],
  );
  const pairs = extension.map(
    ([key, value]) => `${key}=${escapeCefExtension(limitCefExtension(key, value))}`,
  );
  return `${header.join('|')}|${pairs.join(' ')}`;
}
