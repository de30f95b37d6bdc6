import { describe, expect, it } from 'vitest';
import { parseLogName } from './log-name.js';

describe('parseLogName', () => {
  it('decodes an audit log name', () => {
    expect(parseLogName('projects/p-1/logs/cloudaudit.googleapis.com%2Factivity')).toEqual({
      containerKind: 'projects',
      containerId: 'p-1',
      logId: 'cloudaudit.googleapis.com/activity',
      auditLogType: 'activity',
    });
  });

  it('reads billing accounts in any case', () => {
    const parts = parseLogName(
      ' BillingAccounts/A-B/Logs/cloudaudit.googleapis.com%2Fdata_access ',
    );
    expect(parts?.containerKind).toBe('billingAccounts');
    expect(parts?.containerId).toBe('A-B');
    expect(parts?.auditLogType).toBe('data_access');
  });

  it('keeps other logs without audit type', () => {
    const parts = parseLogName('folders/123/logs/syslog');
    expect(parts?.logId).toBe('syslog');
    expect(parts?.auditLogType).toBeUndefined();
  });

  it('keeps a stray percent sign', () => {
    expect(parseLogName('projects/p/logs/a%zz')?.logId).toBe('a%zz');
  });

  it('rejects names of other forms', () => {
    for (const name of [
      'folders//logs/x',
      'organizations/1/logs/',
      'projects/p/q/logs/x',
      'project/p/logs/x',
      '/p/logs/x',
      'projects/p/logsx/y',
      'projects/p/logs/x\ny',
    ]) {
      expect(parseLogName(name), name).toBeUndefined();
    }
  });

  it('returns the same parts twice', () => {
    const name = 'organizations/42/logs/cloudaudit.googleapis.com%2Fpolicy';
    expect(parseLogName(name)).toEqual(parseLogName(name));
    expect(parseLogName(name)?.auditLogType).toBe('policy');
  });

  it('decodes other escapes like decodeURIComponent', () => {
    expect(parseLogName('projects/p/logs/a%2fb')?.logId).toBe('a/b');
    expect(parseLogName('projects/p/logs/a%2Fb%2Fc')?.logId).toBe('a/b/c');
    expect(parseLogName('projects/p/logs/a%20b')?.logId).toBe('a b');
    expect(parseLogName('projects/p/logs/a%2Fb%zz')?.logId).toBe('a%2Fb%zz');
    expect(parseLogName('projects/p/logs/a%2')?.logId).toBe('a%2');
  });
});
