import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../testing/alerts.js';
import { CEF_EXTENSION_MAX_LENGTHS, CEF_TYPED_EXTENSION_KEYS } from './cef-limits.js';
import { encodeCef, escapeCefExtension, escapeCefHeader } from './cef.js';

const device = { vendor: 'CIEM', product: 'CIEM Platform', version: '0.1.0' };

describe('escapeCefHeader', () => {
  it('escapes pipe and backslash', () => {
    expect(escapeCefHeader('a|b\\c')).toBe('a\\|b\\\\c');
  });

  it('leaves equals signs alone', () => {
    expect(escapeCefHeader('x=y')).toBe('x=y');
  });

  it('turns line breaks into spaces', () => {
    expect(escapeCefHeader('one\r\ntwo\nthree')).toBe('one two three');
  });
});

describe('escapeCefExtension', () => {
  it('escapes equals sign and backslash', () => {
    expect(escapeCefExtension('a=b\\c')).toBe('a\\=b\\\\c');
  });

  it('writes newlines as backslash n', () => {
    expect(escapeCefExtension('line1\nline2\r\nline3\rend')).toBe('line1\\nline2\\nline3\\rend');
  });

  it('leaves pipes unescaped', () => {
    expect(escapeCefExtension('a|b')).toBe('a|b');
  });
});

describe('encodeCef', () => {
  it('writes the seven header fields', () => {
    const line = encodeCef(makeAlert({ rule_id: 'r|1', title: 'Stop|Logging' }), device);
    expect(line.startsWith('CEF:0|CIEM|CIEM Platform|0.1.0|r\\|1|Stop\\|Logging|8|')).toBe(true);
  });

  it('maps each severity to 0-10', () => {
    const severities = { info: 1, low: 3, medium: 5, high: 8, critical: 10 } as const;
    for (const [severity, expected] of Object.entries(severities)) {
      const line = encodeCef(makeAlert({ severity: severity as 'info' }), device);
      expect(line.split('|')[6]).toBe(String(expected));
    }
  });

  it('escapes extension values', () => {
    const line = encodeCef(makeAlert({ description: 'a=b\nc\\d' }), device);
    expect(line).toContain('msg=a\\=b\\nc\\\\d cs1Label=');
  });

  it('carries ids times and address', () => {
    const alert = makeAlert();
    const line = encodeCef(alert, device);
    expect(line).toContain(`externalId=${alert.alert_id}.2 `);
    expect(line).toContain(`rt=${Date.UTC(2026, 0, 2, 3, 15)} `);
    expect(line).toContain(`start=${Date.UTC(2026, 0, 2, 3, 4, 5, 6)} `);
    expect(line).toContain('cnt=2 ');
    expect(line).toContain('suser=alice ');
    expect(line).toContain('src=203.0.113.7 ');
    expect(line).toContain('cs4Label=mitreTechniques cs4=T1562.008 ');
  });

  it('leaves out sources that are not addresses', () => {
    // An IPv4 octet is 0-255, so 999.1.1.1 is no address, and neither is a service name.
    for (const source of ['999.1.1.1', '1.2.3', 'AWS Internal', 'x:y']) {
      const line = encodeCef(makeAlert({ source_ips: [source] }), device);
      expect(line).not.toContain(' src=');
      expect(line).not.toContain(' c6a2=');
    }
  });

  it('puts IPv6 sources in c6a2', () => {
    const line = encodeCef(makeAlert({ source_ips: ['2001:db8::1'] }), device);
    expect(line).toContain('c6a2=2001:db8::1 ');
    expect(line).not.toContain(' src=');
  });
});

/** Returns the unescaped value of one extension key of a CEF line. */
function extensionValue(line: string, key: string): string | undefined {
  const extension = line
    .split(/(?<!\\)\|/)
    .slice(7)
    .join('|');
  // The encoder escapes every `=` inside a value, so an unescaped `=` follows a key.
  const match = new RegExp(`(?:^| )${key}=(.*?)(?= [A-Za-z0-9]+=|$)`, 's').exec(extension);
  if (match === null) return undefined;
  const lineBreaks: Record<string, string> = { n: '\n', r: '\r' };
  return match[1]!.replace(/\\(.)/gs, (_, character: string) => lineBreaks[character] ?? character);
}

/** Splits a CEF line into its seven header fields, unescaped. */
function headerFields(line: string): string[] {
  return line
    .split(/(?<!\\)\|/)
    .slice(0, 7)
    .map((field) => field.replace(/\\(.)/g, '$1'));
}

// Maximum lengths from the ArcSight "Implementing ArcSight Common Event Format (CEF)"
// standard: Header Field Definitions (Device Vendor 63, Device Product 63, Device Version 31,
// Device Event Class ID 1023, Name 512) and the Extension Dictionary (externalId 40, cat,
// suid, suser and msg 1023, cs1-cs6 4000, cs1Label-cs6Label 1023).
describe('encodeCef length limits', () => {
  it('cuts header fields to their maximum', () => {
    const line = encodeCef(makeAlert({ rule_id: 'r'.repeat(1100), title: 't'.repeat(600) }), {
      vendor: 'v'.repeat(100),
      product: 'p'.repeat(100),
      version: '9'.repeat(40),
    });
    const header = headerFields(line);
    expect(header[1]).toBe(`${'v'.repeat(60)}...`);
    expect(header[2]).toBe(`${'p'.repeat(60)}...`);
    expect(header[3]).toBe(`${'9'.repeat(28)}...`);
    expect(header[4]).toBe(`${'r'.repeat(1020)}...`);
    expect(header[5]).toBe(`${'t'.repeat(509)}...`);
    expect(header[6]).toBe('8');
  });

  it('leaves values at the maximum whole', () => {
    const line = encodeCef(makeAlert({ title: 't'.repeat(512), description: 'd'.repeat(1023) }), {
      ...device,
      vendor: 'v'.repeat(63),
    });
    expect(headerFields(line)[1]).toBe('v'.repeat(63));
    expect(headerFields(line)[5]).toBe('t'.repeat(512));
    expect(extensionValue(line, 'msg')).toBe('d'.repeat(1023));
  });

  it('cuts user and category keys to 1023', () => {
    const line = encodeCef(
      makeAlert({
        description: 'm'.repeat(1500),
        rule_name: 'c'.repeat(1500),
        principal_id: `arn:aws:iam::111122223333:role/${'i'.repeat(1500)}`,
        principal_name: 'n'.repeat(1500),
      }),
      device,
    );
    for (const key of ['msg', 'cat', 'suid', 'suser']) {
      const value = extensionValue(line, key)!;
      expect(value.length, key).toBe(1023);
      expect(value.endsWith('...'), key).toBe(true);
    }
    expect(extensionValue(line, 'suid')!.startsWith('arn:aws:iam::111122223333:role/iii')).toBe(
      true,
    );
  });

  it('cuts custom strings to 4000', () => {
    const techniques = Array.from({ length: 900 }, (_, index) => `T${1000 + index}`);
    const line = encodeCef(
      makeAlert({ account_id: 'a'.repeat(5000), mitre_techniques: techniques }),
      device,
    );
    expect(extensionValue(line, 'cs3')).toBe(`${'a'.repeat(3997)}...`);
    expect(extensionValue(line, 'cs4')).toHaveLength(4000);
    expect(extensionValue(line, 'cs4Label')).toBe('mitreTechniques');
  });

  it('cuts externalId to 40', () => {
    // 32 hex characters, a dot and a nine-digit count make 42 characters.
    const line = encodeCef(makeAlert({ event_count: 123_456_789 }), device);
    expect(extensionValue(line, 'externalId')).toBe('0123456789abcdef0123456789abcdef.1234...');
    expect(extensionValue(line, 'cnt')).toBe('123456789');
  });

  it('cuts before escaping', () => {
    // 1100 equals signs are cut to 1020 and a marker, then each one is escaped, so no
    // escape sequence is split and the unescaped value keeps the limit.
    const line = encodeCef(makeAlert({ description: '='.repeat(1100) }), device);
    expect(line).toContain(` msg=${'\\='.repeat(1020)}... cs1Label=`);
    expect(extensionValue(line, 'msg')).toHaveLength(1023);
  });

  it('cuts header escapes whole', () => {
    const line = encodeCef(makeAlert({ title: '|'.repeat(600) }), device);
    expect(line).toContain(`|${'\\|'.repeat(509)}...|8|`);
  });

  it('lists a limit for every key', () => {
    // A key added to the encoder needs its dictionary length, or a place among the typed keys.
    for (const source of ['203.0.113.7', '2001:db8::1']) {
      const line = encodeCef(makeAlert({ source_ips: [source] }), device);
      const extension = line
        .split(/(?<!\\)\|/)
        .slice(7)
        .join('|');
      const keys = [...extension.matchAll(/(?:^| )([A-Za-z0-9]+)=/g)].map((match) => match[1]!);
      expect(keys.length).toBeGreaterThan(20);
      for (const key of keys) {
        const known = key in CEF_EXTENSION_MAX_LENGTHS || CEF_TYPED_EXTENSION_KEYS.includes(key);
        expect(known, key).toBe(true);
      }
    }
  });

  it('keeps surrogate pairs whole', () => {
    // U+1F512 is two UTF-16 code units: 1020 units after "x" would end inside a pair.
    const line = encodeCef(makeAlert({ description: `x${'\u{1F512}'.repeat(600)}` }), device);
    const msg = extensionValue(line, 'msg')!;
    expect(msg).toBe(`x${'\u{1F512}'.repeat(509)}...`);
    expect(msg.length).toBeLessThanOrEqual(1023);
  });
});
