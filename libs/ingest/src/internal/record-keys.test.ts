import { describe, expect, it } from 'vitest';
import { azureRecordKey, cloudTrailRecordKey, gcpRecordKey } from './record-keys.js';

describe('cloudTrailRecordKey', () => {
  it('uses recipientAccountId first', () => {
    const record = { recipientAccountId: '111122223333', userIdentity: { accountId: '999' } };
    expect(cloudTrailRecordKey(record)).toBe('111122223333');
  });

  it('falls back to userIdentity.accountId', () => {
    expect(cloudTrailRecordKey({ userIdentity: { accountId: '444455556666' } })).toBe(
      '444455556666',
    );
  });

  it('returns null without an account', () => {
    expect(cloudTrailRecordKey({ eventName: 'GetObject' })).toBeNull();
    expect(cloudTrailRecordKey('not an object')).toBeNull();
    expect(cloudTrailRecordKey(undefined)).toBeNull();
  });
});

describe('azureRecordKey', () => {
  const subscription = '0B1F6471-1BF0-4DDA-AEC3-CB9272F09590';

  it('reads the REST subscriptionId field', () => {
    expect(azureRecordKey({ subscriptionId: subscription })).toBe(subscription.toLowerCase());
  });

  it('reads the diagnostic resourceId path', () => {
    const record = {
      resourceId: `/SUBSCRIPTIONS/${subscription}/RESOURCEGROUPS/RG1/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1`,
    };
    expect(azureRecordKey(record)).toBe(subscription.toLowerCase());
  });

  it('reads the REST event id path', () => {
    const record = {
      id: `/subscriptions/${subscription}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa1/events/abc/ticks/638000000000000000`,
    };
    expect(azureRecordKey(record)).toBe(subscription.toLowerCase());
  });

  it('returns null for tenant-level records', () => {
    expect(azureRecordKey({ resourceId: '/providers/Microsoft.aadiam' })).toBeNull();
  });
});

describe('gcpRecordKey', () => {
  it('takes the project from logName', () => {
    const record = {
      logName: 'projects/my-project-42/logs/cloudaudit.googleapis.com%2Factivity',
      resource: { labels: { project_id: 'other' } },
    };
    expect(gcpRecordKey(record)).toBe('my-project-42');
  });

  it('keeps organization parents whole', () => {
    const record = { logName: 'organizations/123456789/logs/cloudaudit.googleapis.com%2Factivity' };
    expect(gcpRecordKey(record)).toBe('organizations/123456789');
  });

  it('falls back to resource labels', () => {
    expect(gcpRecordKey({ resource: { labels: { project_id: 'labelled-project' } } })).toBe(
      'labelled-project',
    );
  });

  it('returns null without a project', () => {
    expect(gcpRecordKey({ logName: 'weird' })).toBeNull();
  });
});
