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
  facility: 10,
  hostname: 'forwarder-1',
  appName: 'ciem',
  procId: '',
  msgId: 'alert',
  cefVendor: 'CIEM',
  cefProduct: 'CIEM Platform',
  cefVersion: '0.1.0',
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
