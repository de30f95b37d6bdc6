import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CompactPrincipalEntitlements } from '../model/compact-entitlements.js';
import { effectivePermissionNames, iterateGrants } from '../model/compact-entitlements.js';
import { parseExportText } from '../snapshot/export-documents.js';
import { evaluateAzureEntitlements } from './azure-entitlements.js';
import { readAzureExports } from './azure-export.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function load(...names: string[]) {
  const documents = names.flatMap(
    (name) => parseExportText(name, readFileSync(path.join(fixtures, name), 'utf8')).documents,
  );
  return readAzureExports(documents);
}

const allFiles = [
  'role-definitions.json',
  'role-assignments-cli.json',
  'role-assignments-rest.json',
  'group-members.json',
  'nested-group-members.json',
];

const SUBSCRIPTION = '/subscriptions/11111111-1111-1111-1111-111111111111';
const APP_RG = `${SUBSCRIPTION}/resourcegroups/app-rg`;

function principal(
  principals: readonly CompactPrincipalEntitlements[],
  id: string,
): CompactPrincipalEntitlements {
  const found = principals.find((candidate) => candidate.principal_id === id);
  if (found === undefined) throw new Error(`principal ${id} missing`);
  return found;
}

describe('evaluateAzureEntitlements with a provider catalog', () => {
  const exported = load(...allFiles, 'provider-operations.json');
  const result = evaluateAzureEntitlements(exported, { takenAt: 1_700_000_000_000 });

  it('subtracts notActions from expanded wildcards', () => {
    const alice = principal(result.principals, 'cccccccc-0000-0000-0000-000000000001');
    const control = [...iterateGrants(alice)].filter((grant) => grant.data_action !== true);
    expect(control.map((grant) => grant.permission).sort()).toEqual([
      'microsoft.storage/register/action',
      'microsoft.storage/storageaccounts/listkeys/action',
      'microsoft.storage/storageaccounts/read',
      'microsoft.storage/storageaccounts/write',
    ]);
    expect(control.every((grant) => grant.resource === SUBSCRIPTION)).toBe(true);
    expect(control.every((grant) => !grant.conditional)).toBe(true);
  });

  it('subtracts notDataActions from data actions', () => {
    const alice = principal(result.principals, 'cccccccc-0000-0000-0000-000000000001');
    const data = [...iterateGrants(alice)].filter((grant) => grant.data_action === true);
    expect(data.map((grant) => grant.permission).sort()).toEqual([
      'microsoft.storage/storageaccounts/blobservices/containers/blobs/read',
      'microsoft.storage/storageaccounts/blobservices/containers/blobs/write',
    ]);
  });

  it('gives group members the group grants', () => {
    const expected = [
      'microsoft.compute/virtualmachines/read',
      'microsoft.compute/virtualmachines/start/action',
    ];
    for (const id of [
      'dddddddd-0000-0000-0000-000000000001',
      'cccccccc-0000-0000-0000-000000000005',
      'cccccccc-0000-0000-0000-000000000006',
    ]) {
      const member = principal(result.principals, id);
      expect(effectivePermissionNames(member)).toEqual(expected);
      expect([...iterateGrants(member)].every((grant) => grant.resource === APP_RG)).toBe(true);
    }
    const bob = principal(result.principals, 'cccccccc-0000-0000-0000-000000000005');
    expect(bob.principal_type).toBe('user');
    expect(bob.principal_name).toBe('bob@contoso.example');
  });

  it('expands Owner over the whole catalog', () => {
    const owner = principal(result.principals, 'eeeeeeee-0000-0000-0000-000000000001');
    expect(owner.principal_type).toBe('service-principal');
    expect(effectivePermissionNames(owner)).toHaveLength(8);
    expect(owner.findings).toEqual([
      expect.objectContaining({
        kind: 'admin-equivalent',
        severity: 'critical',
        path: ['eeeeeeee-0000-0000-0000-000000000001', '*', SUBSCRIPTION],
      }),
    ]);
  });

  it('marks conditional assignments and lowers their finding', () => {
    const admin = principal(result.principals, 'cccccccc-0000-0000-0000-000000000002');
    const grants = [...iterateGrants(admin)];
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((grant) => grant.conditional)).toBe(true);
    expect(JSON.parse(grants[0]?.conditions ?? '{}')).toMatchObject({ conditionVersion: '2.0' });
    // User Access Administrator: reads expand, Microsoft.Authorization/* stays a pattern.
    expect(effectivePermissionNames(admin)).toEqual([
      'microsoft.authorization/*',
      'microsoft.compute/virtualmachines/read',
      'microsoft.storage/storageaccounts/read',
      'microsoft.support/*',
    ]);
    expect(admin.findings).toEqual([
      expect.objectContaining({ kind: 'privilege-escalation', severity: 'medium' }),
    ]);
  });

  it('reports role definition writes as escalation', () => {
    const writer = principal(result.principals, 'cccccccc-0000-0000-0000-000000000003');
    expect(writer.findings).toEqual([
      {
        kind: 'privilege-escalation',
        severity: 'high',
        summary: expect.stringContaining('role definitions') as string,
        path: [
          'cccccccc-0000-0000-0000-000000000003',
          'microsoft.authorization/roledefinitions/write',
          APP_RG,
        ],
      },
    ]);
  });

  it('reports Contributor at management group', () => {
    const contributor = principal(result.principals, 'cccccccc-0000-0000-0000-000000000004');
    expect(contributor.findings).toEqual([
      expect.objectContaining({ kind: 'admin-equivalent', severity: 'high' }),
    ]);
    expect(contributor.account_id).toBe('11111111-1111-1111-1111-111111111111');
  });

  it('counts groups from both shapes', () => {
    const nested = principal(result.principals, 'cccccccc-0000-0000-0000-000000000006');
    expect(nested.findings).toEqual([]);
    expect(result.stats.groups).toBe(2);
  });

  it('counts assignments and catalog', () => {
    expect(result.stats).toMatchObject({
      roleAssignments: 6,
      roleDefinitions: 3,
      unknownRoleAssignments: 0,
      conditionalAssignments: 1,
      catalog: 'provider-operations',
      catalogOperations: 11,
    });
    expect(result.problems).toEqual([]);
    expect(result.header.account_id).toBe('11111111-1111-1111-1111-111111111111');
  });
});

describe('evaluateAzureEntitlements without a catalog', () => {
  const result = evaluateAzureEntitlements(load(...allFiles), { takenAt: 0 });

  it('keeps wildcards cut by notActions conditional', () => {
    const alice = principal(result.principals, 'cccccccc-0000-0000-0000-000000000001');
    const grants = [...iterateGrants(alice)];
    expect(grants).toEqual([
      {
        permission: 'microsoft.storage/*',
        resource: SUBSCRIPTION,
        conditional: true,
        conditions: JSON.stringify({ notActions: ['microsoft.storage/storageaccounts/delete'] }),
        via: '/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000001',
      },
      {
        permission: 'microsoft.storage/storageaccounts/blobservices/containers/blobs/*',
        resource: SUBSCRIPTION,
        conditional: true,
        conditions: JSON.stringify({
          notDataActions: [
            'microsoft.storage/storageaccounts/blobservices/containers/blobs/delete',
          ],
        }),
        via: '/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000001',
        data_action: true,
      },
    ]);
  });

  it('keeps Owner as the star pattern', () => {
    const owner = principal(result.principals, 'eeeeeeee-0000-0000-0000-000000000001');
    expect(effectivePermissionNames(owner)).toEqual(['*']);
    expect(result.stats.catalog).toBe('none');
  });

  it('expands against role definitions when asked', () => {
    const derived = evaluateAzureEntitlements(load(...allFiles), {
      takenAt: 0,
      catalogFromRoleDefinitions: true,
    });
    const starter = principal(derived.principals, 'cccccccc-0000-0000-0000-000000000005');
    expect(effectivePermissionNames(starter)).toEqual([
      'microsoft.compute/virtualmachines/read',
      'microsoft.compute/virtualmachines/start/action',
    ]);
    const owner = principal(derived.principals, 'eeeeeeee-0000-0000-0000-000000000001');
    // Owner's `*` meets the operations the three custom roles name, notActions included.
    expect(effectivePermissionNames(owner)).toEqual([
      'microsoft.authorization/roledefinitions/read',
      'microsoft.authorization/roledefinitions/write',
      'microsoft.compute/virtualmachines/read',
      'microsoft.compute/virtualmachines/start/action',
      'microsoft.storage/storageaccounts/delete',
    ]);
  });
});

describe('evaluateAzureEntitlements problems', () => {
  it('reports unknown roles and keeps the id', () => {
    const exported = readAzureExports([
      {
        source: 'assignments.json',
        value: [
          {
            principalId: 'CCCCCCCC-0000-0000-0000-000000000009',
            principalType: 'User',
            roleDefinitionId:
              '/providers/Microsoft.Authorization/roleDefinitions/ffffffff-0000-0000-0000-000000000000',
            scope: '/subscriptions/22222222-2222-2222-2222-222222222222',
          },
          { principalType: 'User', roleDefinitionId: 'x', scope: '/' },
        ],
      },
    ]);
    const result = evaluateAzureEntitlements(exported, { takenAt: 0 });
    expect(result.stats.unknownRoleAssignments).toBe(1);
    expect(result.problems.map((problem) => [problem.code, problem.record, problem.field])).toEqual(
      [
        ['CIEM_ENTITLEMENTS_INVALID_RECORD', '[1]', 'principalId'],
        [
          'CIEM_ENTITLEMENTS_UNKNOWN_ROLE',
          '/subscriptions/22222222-2222-2222-2222-222222222222#cccccccc-0000-0000-0000-000000000009#/providers/Microsoft.Authorization/roleDefinitions/ffffffff-0000-0000-0000-000000000000',
          'roleDefinitionId',
        ],
      ],
    );
    const [only] = result.principals;
    expect(only?.principal_id).toBe('cccccccc-0000-0000-0000-000000000009');
    expect(effectivePermissionNames(only as CompactPrincipalEntitlements)).toEqual([
      '/providers/microsoft.authorization/roledefinitions/ffffffff-0000-0000-0000-000000000000',
    ]);
  });
});
