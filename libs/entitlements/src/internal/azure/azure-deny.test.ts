import { describe, expect, it } from 'vitest';
import { effectivePermissionNames, iterateGrants } from '../model/compact-entitlements.js';
import { evaluateAzureEntitlements } from './azure-entitlements.js';
import { readAzureExports } from './azure-export.js';

const SUB = '/subscriptions/11111111-1111-1111-1111-111111111111';
const USER = 'cccccccc-0000-0000-0000-000000000001';

function exportWithDeny(denyScope: string, childScopes = true) {
  return readAzureExports([
    {
      source: 'export.json',
      value: [
        {
          name: 'aaaaaaaa-0000-0000-0000-000000000001',
          roleName: 'VM Operator',
          permissions: [
            {
              actions: [
                'Microsoft.Compute/virtualMachines/read',
                'Microsoft.Compute/virtualMachines/delete',
              ],
              notActions: [],
              dataActions: [],
              notDataActions: [],
            },
          ],
        },
        {
          principalId: USER,
          principalType: 'User',
          roleDefinitionId: 'aaaaaaaa-0000-0000-0000-000000000001',
          scope: SUB,
        },
        {
          id: `${denyScope}/providers/Microsoft.Authorization/denyAssignments/deny-1`,
          name: 'deny-1',
          type: 'Microsoft.Authorization/denyAssignments',
          properties: {
            denyAssignmentName: 'no deletes',
            scope: denyScope,
            permissions: [
              {
                actions: ['*/delete'],
                notActions: [],
                dataActions: [],
                notDataActions: [],
              },
            ],
            principals: [{ id: '00000000-0000-0000-0000-000000000000', type: 'SystemDefined' }],
            excludePrincipals: [],
            doNotApplyToChildScopes: !childScopes,
          },
        },
      ],
    },
  ]);
}

describe('applyAzureDenyAssignments', () => {
  it('removes denied operations at the scope', () => {
    const result = evaluateAzureEntitlements(exportWithDeny(SUB), { takenAt: 0 });
    const [user] = result.principals;
    expect(effectivePermissionNames(user!)).toEqual(['microsoft.compute/virtualmachines/read']);
  });

  it('marks operations denied below as conditional', () => {
    const result = evaluateAzureEntitlements(exportWithDeny(`${SUB}/resourceGroups/locked`), {
      takenAt: 0,
    });
    const grants = [...iterateGrants(result.principals[0]!)];
    const deleteGrant = grants.find((grant) => grant.permission.endsWith('/delete'));
    const readGrant = grants.find((grant) => grant.permission.endsWith('/read'));
    expect(deleteGrant?.conditional).toBe(true);
    expect(deleteGrant?.conditions).toContain('deny-1');
    expect(readGrant?.conditional).toBe(false);
  });

  it('leaves child scopes alone when asked', () => {
    const result = evaluateAzureEntitlements(exportWithDeny('/', false), { takenAt: 0 });
    expect(effectivePermissionNames(result.principals[0]!)).toHaveLength(2);
  });
});
