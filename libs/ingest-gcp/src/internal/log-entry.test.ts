import { Buffer } from 'node:buffer';
import { gcpRecordKey } from '@ciem/ingest';
import { describe, expect, it } from 'vitest';
import {
  adminActivityEntry,
  dataAccessEntry,
  organizationEntry,
} from '../testing/audit-entries.js';
import { IngestGcpErrorCodes } from './errors.js';
import { messageSource, parseLogEntryMessage } from './log-entry.js';

function parse(text: string) {
  return parseLogEntryMessage(Buffer.from(text, 'utf8'), 'pubsub:17');
}

describe('parseLogEntryMessage', () => {
  it('parses a Data Access entry', () => {
    const entry = dataAccessEntry(3, 'billing-prod-4821');
    const parsed = parse(JSON.stringify(entry));
    expect(parsed).toEqual({ ok: true, entry });
  });

  it.each([
    ['not JSON', 'this is not json'],
    ['truncated JSON', '{"protoPayload":{"methodName":'],
    ['a JSON array', '[{"logName":"projects/p/logs/x"}]'],
    ['a JSON string', '"projects/p/logs/x"'],
    ['empty data', ''],
  ])('rejects %s', (_case, text) => {
    const parsed = parse(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe(IngestGcpErrorCodes.messageInvalid);
    expect(parsed.error.errorType).toBe('input');
    expect(parsed.error.message).toContain('pubsub:17');
  });

  it('rejects a CloudTrail record', () => {
    const record = {
      eventVersion: '1.09',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      userIdentity: { type: 'IAMUser', accountId: '123456789012' },
    };
    const parsed = parse(JSON.stringify(record));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('CIEM_INGEST_WRONG_PROVIDER');
  });

  it('accepts an object without audit fields', () => {
    expect(parse('{"textPayload":"hello"}').ok).toBe(true);
  });
});

describe('record keys of log entries', () => {
  it('keys project entries by logName project', () => {
    expect(gcpRecordKey(dataAccessEntry(1, 'billing-prod-4821'))).toBe('billing-prod-4821');
    expect(gcpRecordKey(adminActivityEntry(1, 'web-staging-77'))).toBe('web-staging-77');
  });

  it('keys organization entries by organization', () => {
    expect(gcpRecordKey(organizationEntry(1, '123456789012'))).toBe('organizations/123456789012');
  });

  it('falls back to resource project label', () => {
    const entry = dataAccessEntry(2, 'data-lake-9');
    delete entry.logName;
    expect(gcpRecordKey(entry)).toBe('data-lake-9');
  });
});

describe('messageSource', () => {
  it('names the message id', () => {
    expect(messageSource('4711')).toBe('pubsub:4711');
  });
});
