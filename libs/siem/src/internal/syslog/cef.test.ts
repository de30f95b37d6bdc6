import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../testing/alerts.js';
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
