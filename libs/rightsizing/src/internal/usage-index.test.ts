import { describe, expect, it } from 'vitest';
import { DAY_MS, WINDOW_END, usageRow } from './testing/fixtures.js';
import { indexUsage, principalKey } from './usage-index.js';

const A = 'arn:aws:iam::111122223333:user/a';
const B = 'arn:aws:iam::111122223333:user/b';
const START = WINDOW_END - 90 * DAY_MS;

describe('indexUsage', () => {
  it('merges interleaved rows per principal', () => {
    // Daily rows of two principals, out of order and in two accounts.
    const rows = [
      usageRow('aws', '111122223333', A, 's3:GetObject', { count: 2, daysAgo: 5 }),
      usageRow('aws', '111122223333', B, 's3:GetObject', { count: 1, daysAgo: 1 }),
      usageRow('aws', '444455556666', A, 'S3:GETOBJECT', { count: 3, daysAgo: 2 }),
      usageRow('aws', '111122223333', A, 'ec2:DescribeInstances', { count: 0, daysAgo: 9 }),
    ];
    const index = indexUsage(rows, [], START, WINDOW_END, 20);

    const a = index.uses.get(principalKey('aws', A));
    expect(a?.get('s3:getobject')?.count).toBe(5);
    expect(a?.get('s3:getobject')?.last_used).toBe(WINDOW_END - 2 * DAY_MS);
    // A row with no allowed call is activity, not use.
    expect(a?.has('ec2:describeinstances')).toBe(false);
    expect(index.lastActivity.get(principalKey('aws', A))).toBe(WINDOW_END - 2 * DAY_MS);
    expect(index.lastActivity.get(principalKey('aws', B))).toBe(WINDOW_END - DAY_MS);
    expect([...index.accounts.keys()].sort()).toEqual([
      'aws\u0000111122223333',
      'aws\u0000444455556666',
    ]);
  });

  it('ignores use outside window', () => {
    const rows = [
      usageRow('aws', '111122223333', A, 's3:GetObject', { daysAgo: 100, firstDaysAgo: 120 }),
    ];
    const index = indexUsage(rows, [], START, WINDOW_END, 20);
    expect(index.uses.get(principalKey('aws', A))).toBeUndefined();
    expect(index.lastActivity.get(principalKey('aws', A))).toBe(WINDOW_END - 100 * DAY_MS);
    expect(index.accounts.get('aws\u0000111122223333')?.has_data_in_window).toBe(false);
  });

  it('records data-event coverage per service', () => {
    const rows = [
      usageRow('aws', '111122223333', A, 's3:GetObject', { visibility: 'data-event', count: 0 }),
    ];
    const index = indexUsage(rows, [], START, WINDOW_END, 20);
    expect([...index.dataEventServices]).toEqual(['aws\u0000111122223333\u0000s3']);
  });
});
