import { describe, expect, it } from 'vitest';
import { parseArn, parseAssumedRoleArn, partitionOfRegion, roleArnOfAssumedRole } from './arn.js';
import { readCloudTrailTime } from './cloudtrail-time.js';

describe('arn helpers', () => {
  it('parses an ARN with colons', () => {
    expect(parseArn('arn:aws:lambda:us-east-1:123456789012:function:f:live')).toEqual({
      partition: 'aws',
      service: 'lambda',
      region: 'us-east-1',
      account: '123456789012',
      resource: 'function:f:live',
    });
    expect(parseArn('not-an-arn')).toBeUndefined();
  });

  it('derives the role of a session', () => {
    const session = parseAssumedRoleArn('arn:aws-cn:sts::123456789012:assumed-role/Ops/alice');
    expect(session).toEqual({
      partition: 'aws-cn',
      account: '123456789012',
      roleName: 'Ops',
      sessionName: 'alice',
    });
    if (session === undefined) return;
    expect(roleArnOfAssumedRole(session)).toBe('arn:aws-cn:iam::123456789012:role/Ops');
  });

  it('keeps slashes in session names', () => {
    const session = parseAssumedRoleArn('arn:aws:sts::123456789012:assumed-role/Ops/a/b');
    expect(session?.roleName).toBe('Ops');
    expect(session?.sessionName).toBe('a/b');
  });

  it('reads a session ARN without session', () => {
    const session = parseAssumedRoleArn('arn:aws:iam::123456789012:assumed-role/Ops');
    expect(session?.roleName).toBe('Ops');
    expect(session?.sessionName).toBe('');
  });

  it('rejects malformed assumed-role ARNs', () => {
    expect(parseAssumedRoleArn('arn:aws:sts::123456789012:assumed-role/')).toBeUndefined();
    expect(parseAssumedRoleArn('arn:aws:sts::123456789012:role/Ops')).toBeUndefined();
    expect(parseAssumedRoleArn('arn:aws:s3:::assumed-role/Ops/x')).toBeUndefined();
    expect(parseAssumedRoleArn('arn:aws:sts::1:assumed-role/Ops/a\nb')).toBeUndefined();
  });

  it('rejects ARNs with missing parts', () => {
    expect(parseArn('arn:aws:iam::123456789012')).toBeUndefined();
    expect(parseArn('arn::iam::123456789012:root')).toBeUndefined();
    expect(parseArn('arn:aws:::123456789012:root')).toBeUndefined();
    expect(parseArn('arn:aws:iam::123456789012:')?.resource).toBe('');
  });

  it('picks the partition by region', () => {
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('eu-west-1')).toBe('aws');
    expect(partitionOfRegion(undefined)).toBe('aws');
  });
});

describe('readCloudTrailTime', () => {
  it.each([
    ['2024-03-11T09:15:42Z', Date.UTC(2024, 2, 11, 9, 15, 42)],
    ['20131102T010628Z', Date.UTC(2013, 10, 2, 1, 6, 28)],
    ['20131102T010628.25Z', Date.UTC(2013, 10, 2, 1, 6, 28, 250)],
    [1_700_000_000, 1_700_000_000_000],
  ])('reads %j', (value, expected) => {
    expect(readCloudTrailTime({ t: value }, 't')).toBe(expected);
  });

  it.each(['20131302T010628Z', 'soon', ''])('rejects %j', (value) => {
    expect(readCloudTrailTime({ t: value }, 't')).toBeUndefined();
  });
});
