import type { Alert } from '@ciem/events';
import { deliveryRejected } from '../errors.js';
import { encodeCef } from './cef.js';
import { SYSLOG_SD_ID } from './config.js';
import type { SyslogSinkConfig } from './config.js';
import { renderTruncated } from './truncate.js';

/** Syslog severity (RFC 5424 table 2) per alert severity. */
export const SYSLOG_SEVERITIES: Readonly<Record<string, number>> = Object.freeze({
  critical: 2,
  high: 3,
  medium: 4,
  low: 5,
  info: 6,
});

/** Returns PRI = facility × 8 + severity (RFC 5424 section 6.2.1). */
export function syslogPriority(facility: number, severity: number): number {
  return facility * 8 + severity;
}

/**
 * Returns a header field as RFC 5424 wants it: printable US-ASCII without spaces (33–126),
 * at most `maxLength` characters, or the nil value `-` when empty.
 */
export function headerField(value: string, maxLength: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable === '' ? '-' : printable;
}

/** Escapes an SD-PARAM value: `"`, `\` and `]` get a backslash (RFC 5424 section 6.3.3). */
export function escapeSdValue(value: string): string {
  return value.replace(/["\\\]]/g, (character) => `\\${character}`);
}

type SyslogEncoding = Pick<
  SyslogSinkConfig,
  | 'name'
  | 'facility'
  | 'hostname'
  | 'appName'
  | 'procId'
  | 'msgId'
  | 'cefVendor'
  | 'cefProduct'
  | 'cefVersion'
  | 'maxMessageBytes'
>;

function renderSyslogMessage(alert: Alert, config: SyslogEncoding, truncated: boolean): string {
  const pri = syslogPriority(config.facility, SYSLOG_SEVERITIES[alert.severity] ?? 4);
  const timestamp = new Date(alert.created_at).toISOString();
  const truncatedParam = truncated ? ' truncated="true"' : '';
  const structuredData = `[${SYSLOG_SD_ID} alertId="${escapeSdValue(alert.alert_id)}" eventCount="${alert.event_count}"${truncatedParam}]`;
  const cef = encodeCef(alert, {
    vendor: config.cefVendor,
    product: config.cefProduct,
    version: config.cefVersion,
  });
  return [
    `<${pri}>1`,
    timestamp,
    headerField(config.hostname, 255),
    headerField(config.appName, 48),
    headerField(config.procId, 128),
    headerField(config.msgId, 32),
    structuredData,
    cef,
  ].join(' ');
}

/**
 * Encodes an alert as one RFC 5424 message:
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [ciem@32473 alertId=".." ..] CEF:0|...`.
 * TIMESTAMP is the alert's `created_at` in UTC with milliseconds. The CEF body is UTF-8
 * without a BOM. RFC 5424 section 6.4 would mark UTF-8 with a leading BOM (MSG-UTF8), but
 * the ArcSight CEF standard puts `CEF:Version|` right after the syslog prefix, and CEF
 * parsers read the body from its first character. The body is therefore MSG-ANY, which the
 * RFC allows, and its UTF-8 encoding is the one the CEF standard requires.
 *
 * A message is at most `maxMessageBytes` octets, because a receiver may cut a longer one
 * anywhere, even inside an escape sequence. A longer alert has its description, then its
 * title, rule name and principal cut (see `renderTruncated`). Each cut value ends with `...`
 * and the structured data gets `truncated="true"`. Throws `CIEM_SIEM_DELIVERY_REJECTED` when
 * even that does not fit.
 */
export function encodeSyslogMessage(alert: Alert, config: SyslogEncoding): string {
  const message = renderSyslogMessage(alert, config, false);
  if (Buffer.byteLength(message, 'utf8') <= config.maxMessageBytes) return message;
  const truncated = renderTruncated(
    alert,
    (shortened) => renderSyslogMessage(shortened, config, true),
    config.maxMessageBytes,
  );
  if (truncated === undefined) {
    throw deliveryRejected(
      config.name,
      `alert ${alert.alert_id} needs more than maxMessageBytes (${config.maxMessageBytes}) octets even with its description, title, rule name and principal cut; raise maxMessageBytes`,
    );
  }
  return truncated;
}

/** Frames a message by octet counting (RFC 5425 section 4.3): `<byte length> <message>`. */
export function frameOctetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
