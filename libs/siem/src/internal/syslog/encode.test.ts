import { RejectedError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../testing/alerts.js';
import { createFrameReader, parseSyslogMessage } from '../../testing/receivers.js';
import {
  encodeSyslogMessage,
  escapeSdValue,
  frameOctetCounted,
  headerField,
  syslogPriority,
} from './encode.js';

const config = {
  name: 'soc',
  facility: 10,
  hostname: 'forwarder-1',
  appName: 'ciem',
  procId: '',
  msgId: 'alert',
  cefVendor: 'CIEM',
  cefProduct: 'CIEM Platform',
  cefVersion: '0.1.0',
  maxMessageBytes: 8192,
};

describe('syslogPriority', () => {
  it('multiplies facility by eight', () => {
    // RFC 5424 section 6.2.1: local4 (20) notice (5) is 165.
    expect(syslogPriority(20, 5)).toBe(165);
    expect(syslogPriority(0, 0)).toBe(0);
  });
});

describe('encodeSyslogMessage header', () => {
  it('writes PRI version and fields', () => {
    const message = parseSyslogMessage(encodeSyslogMessage(makeAlert(), config));
    // authpriv (10) × 8 + err (3) for a high alert.
    expect(message.pri).toBe(83);
    expect(message.version).toBe('1');
    expect(message.timestamp).toBe('2026-01-02T03:15:00.000Z');
    expect(message.hostname).toBe('forwarder-1');
    expect(message.appName).toBe('ciem');
    expect(message.procId).toBe('-');
    expect(message.msgId).toBe('alert');
  });

  it('maps critical to syslog crit', () => {
    const message = parseSyslogMessage(
      encodeSyslogMessage(makeAlert({ severity: 'critical' }), config),
    );
    expect(message.pri).toBe(82);
  });

  it('puts the alert id in structured data', () => {
    const message = parseSyslogMessage(encodeSyslogMessage(makeAlert(), config));
    expect(message.structuredData).toBe(
      '[ciem@32473 alertId="0123456789abcdef0123456789abcdef" eventCount="2"]',
    );
    expect(message.message.startsWith('CEF:0|CIEM|')).toBe(true);
  });
});

describe('encodeSyslogMessage body encoding', () => {
  // RFC 5424 section 6.4: MSG is MSG-ANY (octets not starting with a BOM) or MSG-UTF8 (the
  // BOM EF BB BF, then UTF-8). The ArcSight CEF standard ("Header Information", "Character
  // Encoding") puts "CEF:Version|" right after the syslog prefix and has the whole message
  // UTF-8 encoded, so a CEF body is sent as MSG-ANY: UTF-8 text without a BOM.
  const alert = makeAlert({
    principal_name: 'zoë',
    title: 'zoë stopped CloudTrail logging',
    description: 'StopLogging was called on trail ログ.',
  });

  it('starts the CEF body without BOM', () => {
    const octets = Buffer.from(encodeSyslogMessage(alert, config), 'utf8');
    const structuredDataEnd = octets.indexOf('"] ') + 3;
    expect(octets.subarray(structuredDataEnd, structuredDataEnd + 4).toString('ascii')).toBe(
      'CEF:',
    );
    expect(octets.includes(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  });

  it('writes non-ASCII text as UTF-8', () => {
    const octets = Buffer.from(encodeSyslogMessage(alert, config), 'utf8');
    // "ë" is C3 AB and "ロ" is E3 83 AD in UTF-8 (RFC 3629).
    expect(octets.includes(Buffer.from([0x7a, 0x6f, 0xc3, 0xab]))).toBe(true);
    expect(octets.includes(Buffer.from([0xe3, 0x83, 0xad]))).toBe(true);
  });
});

describe('headerField', () => {
  it('returns nil for empty values', () => {
    expect(headerField('', 48)).toBe('-');
  });

  it('replaces spaces and cuts length', () => {
    expect(headerField('my app name', 6)).toBe('my_app');
  });
});

describe('escapeSdValue', () => {
  it('escapes quote backslash and bracket', () => {
    expect(escapeSdValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
  });
});

describe('frameOctetCounted', () => {
  it('prefixes the byte length', () => {
    expect(frameOctetCounted('<13>1 - - - - - -').toString()).toBe('17 <13>1 - - - - - -');
  });

  it('counts bytes of multibyte text', () => {
    // "é" is two bytes in UTF-8, so five characters are six octets.
    expect(frameOctetCounted('héllo').toString()).toBe('6 héllo');
  });

  it('frames split across chunks', () => {
    const messages: string[] = [];
    const read = createFrameReader((message) => messages.push(message));
    const stream = Buffer.concat([frameOctetCounted('first é'), frameOctetCounted('second')]);
    read(stream.subarray(0, 5));
    read(stream.subarray(5));
    expect(messages).toEqual(['first é', 'second']);
  });
});

const cefLineBreaks: Record<string, string> = { n: '\n', r: '\r' };

/** Splits a CEF extension into unescaped values. The encoder escapes every `=` inside a value. */
function parseCefExtension(extension: string): Map<string, string> {
  const keys = [...extension.matchAll(/(?:^| )([A-Za-z0-9]+)=/g)];
  const values = new Map<string, string>();
  keys.forEach((match, index) => {
    const start = match.index + match[0].length;
    const end = keys[index + 1]?.index ?? extension.length;
    const raw = extension.slice(start, end);
    // An odd run of backslashes at the end would escape the space before the next key.
    expect(/(^|[^\\])(\\\\)*\\$/.test(raw)).toBe(false);
    const unescaped = raw.replace(
      /\\(.)/gs,
      (_, character: string) => cefLineBreaks[character] ?? character,
    );
    values.set(match[1]!, unescaped);
  });
  return values;
}

/** Splits a CEF line into its seven header fields and its extension. */
function parseCef(line: string): { header: string[]; extension: Map<string, string> } {
  const fields = line.split(/(?<!\\)\|/);
  expect(fields.length).toBeGreaterThanOrEqual(8);
  return {
    header: fields.slice(0, 7),
    extension: parseCefExtension(fields.slice(7).join('|')),
  };
}

describe('encodeSyslogMessage size limit', () => {
  // RFC 5425 section 4.3.1: transport receivers MUST process messages of up to 2048 octets
  // and SHOULD process up to 8192; a receiver may cut a longer message anywhere.
  const limited = { ...config, maxMessageBytes: 2048 };

  it('leaves a short alert whole', () => {
    const message = encodeSyslogMessage(makeAlert(), limited);
    expect(parseSyslogMessage(message).structuredData).not.toContain('truncated');
    expect(message).toContain('msg=StopLogging was called on trail management-events. cs1Label=');
  });

  it('cuts a long description to fit', () => {
    // `=`, `\` and the line break of the repeated part take two characters once escaped, so
    // even the 1023 characters CEF allows in msg do not fit in 2048 octets with the rest.
    const description = `start ${'=\\\n|]"'.repeat(5_000)}`;
    const message = encodeSyslogMessage(makeAlert({ description }), limited);
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(2048);
    const parsed = parseSyslogMessage(message);
    expect(parsed.structuredData).toBe(
      '[ciem@32473 alertId="0123456789abcdef0123456789abcdef" eventCount="2" truncated="true"]',
    );
    const cef = parseCef(parsed.message);
    expect(cef.header[5]).toBe('alice stopped CloudTrail logging');
    const msg = cef.extension.get('msg')!;
    expect(msg.endsWith('...')).toBe(true);
    expect(description.startsWith(msg.slice(0, -3))).toBe(true);
    expect(msg.length).toBeGreaterThan(500);
    expect(msg.length).toBeLessThan(1023);
    // The fields after msg are still there.
    expect(cef.extension.get('cs6')).toBe('high');
  });

  it('fills the limit with multibyte text', () => {
    // "ロ" takes three octets, so the longest prefix that fits leaves at most two unused.
    const message = encodeSyslogMessage(makeAlert({ description: 'ロ'.repeat(2_000) }), limited);
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(message, 'utf8')).toBeGreaterThanOrEqual(2046);
    expect(message).not.toContain('\uFFFD');
  });

  it('keeps surrogate pairs whole', () => {
    const description = '\u{1F512}'.repeat(3_000);
    const message = encodeSyslogMessage(makeAlert({ description }), limited);
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(2048);
    expect(message).not.toContain('\uFFFD');
    const msg = parseCef(parseSyslogMessage(message).message).extension.get('msg')!;
    expect(msg).toMatch(/^(\u{1F512})+\.\.\.$/u);
  });

  it('cuts long names when the description is not enough', () => {
    const principal = `arn:aws:iam::111122223333:role/${'r'.repeat(4_000)}`;
    const message = encodeSyslogMessage(
      makeAlert({ principal_id: principal, title: `T|${'t'.repeat(3_000)}` }),
      limited,
    );
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(2048);
    const cef = parseCef(parseSyslogMessage(message).message);
    expect(cef.header[6]).toBe('8');
    expect(cef.extension.get('externalId')).toBe('0123456789abcdef0123456789abcdef.2');
    expect(cef.extension.get('cs6')).toBe('high');
  });

  it('rejects an alert whose ids cannot fit', () => {
    // Technique ids are never cut, so 500 of them cannot fit in 2048 octets.
    const techniques = Array.from({ length: 500 }, (_, index) => `T${1000 + index}`);
    const encode = () => encodeSyslogMessage(makeAlert({ mitre_techniques: techniques }), limited);
    expect(encode).toThrow(RejectedError);
    expect(encode).toThrow(/maxMessageBytes \(2048\)/);
  });
});
