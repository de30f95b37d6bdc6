import type { PrincipalEntitlements } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { azureOperationsOf } from './azure-operations.js';

function principal(
  provider: PrincipalEntitlements['provider'],
  grants: Array<{ permission: string; data_action?: boolean }>,
): PrincipalEntitlements {
  return {
    provider,
    account_id: 'd4abf932-26b4-42cb-b33d-678f025d17f6',
    principal_id: 'p',
    principal_type: 'user',
    principal_name: 'p',
    tags: {},
    grants: grants.map((grant) => ({ resource: '/', conditional: false, via: 'role', ...grant })),
    findings: [],
  };
}

describe('azureOperationsOf', () => {
  it('collects named Azure operations', () => {
    const operations = azureOperationsOf([
      principal('azure', [
        { permission: '*' },
        { permission: 'Microsoft.Compute/disks/write' },
        { permission: 'Microsoft.Compute/virtualMachines/*' },
        {
          permission: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
          data_action: true,
        },
      ]),
      principal('azure', [{ permission: 'microsoft.compute/disks/write' }]),
      principal('aws', [{ permission: 's3:GetObject' }]),
    ]);
    expect(operations.actions).toEqual(['microsoft.compute/disks/write']);
    expect(operations.dataActions).toEqual([
      'microsoft.storage/storageaccounts/blobservices/containers/blobs/read',
    ]);
  });
});
