import type { ExportDocument } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { analyzeRightsizing } from './analyze.js';
import { azureOperationsFromExports, candidateRolesFromExports } from './candidate-roles.js';
import { SUBSCRIPTION, WINDOW_END, evaluate, usageRow } from './testing/fixtures.js';
import type { AzureRoleDefinitionJson, RightsizingResult } from './types.js';

const SCOPE = `/subscriptions/${SUBSCRIPTION}`;
const APP = 'dddddddd-0000-0000-0000-000000000001';
const OPS = 'dddddddd-0000-0000-0000-000000000002';

function roleDefinition(
  name: string,
  guid: string,
  roleType: 'BuiltInRole' | 'CustomRole',
  actions: string[],
  dataActions: string[] = [],
): Record<string, unknown> {
  const prefix = roleType === 'BuiltInRole' ? '' : SCOPE;
  return {
    assignableScopes: [roleType === 'BuiltInRole' ? '/' : SCOPE],
    id: `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    permissions: [{ actions, notActions: [], dataActions, notDataActions: [] }],
    roleName: name,
    roleType,
    type: 'Microsoft.Authorization/roleDefinitions',
  };
}

const definitions = [
  roleDefinition(
    'App Operator',
    'aaaaaaaa-0000-0000-0000-000000000001',
    'CustomRole',
    [
      'Microsoft.Compute/virtualMachines/*',
      'Microsoft.Storage/storageAccounts/read',
      'Microsoft.Storage/storageAccounts/delete',
    ],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
  ),
  roleDefinition('Ops Custom', 'aaaaaaaa-0000-0000-0000-000000000002', 'CustomRole', [
    'Microsoft.Compute/virtualMachines/read',
    'Microsoft.Compute/virtualMachines/start/action',
    'Microsoft.Compute/virtualMachines/deallocate/action',
    'Microsoft.Compute/virtualMachines/restart/action',
  ]),
  roleDefinition('VM Starter', 'bbbbbbbb-0000-0000-0000-000000000001', 'BuiltInRole', [
    'Microsoft.Compute/virtualMachines/read',
    'Microsoft.Compute/virtualMachines/start/action',
  ]),
  roleDefinition('VM Contributor', 'bbbbbbbb-0000-0000-0000-000000000002', 'BuiltInRole', [
    'Microsoft.Compute/virtualMachines/*',
  ]),
];

function assignment(principal: string, name: string, definitionIndex: number): unknown {
  const definition = definitions[definitionIndex] as { id: string; roleName: string };
  const guid = `cccccccc-0000-0000-0000-00000000000${definitionIndex}`;
  return {
    id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    principalId: principal,
    principalName: name,
    principalType: 'User',
    roleDefinitionId: definition.id,
    roleDefinitionName: definition.roleName,
    scope: SCOPE,
    type: 'Microsoft.Authorization/roleAssignments',
  };
}

const documents: ExportDocument[] = [
  { source: 'role-definitions.json', value: definitions },
  {
    source: 'role-assignments.json',
    value: [assignment(APP, 'app@contoso.example', 0), assignment(OPS, 'ops@contoso.example', 1)],
  },
];
const results = analyzeRightsizing(
  {
    principals: evaluate(documents),
    usage: [
      usageRow('azure', SUBSCRIPTION, APP, 'microsoft.compute/virtualmachines/start/action', {
        count: 4,
      }),
      usageRow('azure', SUBSCRIPTION, OPS, 'microsoft.compute/virtualmachines/start/action'),
    ],
  },
  { windowEnd: WINDOW_END, candidateRoles: candidateRolesFromExports(documents) },
);

function resultOf(id: string): RightsizingResult {
  const result = results.find((entry) => entry.principal_id === id);
  if (result === undefined) throw new Error(`no result for ${id}`);
  return result;
}

describe('analyzeRightsizing on Azure grants', () => {
  it('reports wildcard grant partially used', () => {
    expect(resultOf(APP).used).toEqual([
      {
        permission: 'microsoft.compute/virtualmachines/*',
        last_used: WINDOW_END - 86_400_000,
        count: 4,
        partially_used: true,
        matched: ['microsoft.compute/virtualmachines/start/action'],
      },
    ]);
  });

  it('splits unused from unobservable', () => {
    const app = resultOf(APP);
    expect(app.unused).toEqual([
      {
        permission: 'microsoft.storage/storageaccounts/delete',
        risk: 'write',
        service: 'microsoft.storage',
      },
    ]);
    // The reads of `virtualMachines/*` are never logged, so they are unobservable too.
    expect(app.unobservable).toEqual([
      { permission: 'microsoft.compute/virtualmachines/*/read', reason: 'not-logged' },
      { permission: 'microsoft.compute/virtualmachines/read', reason: 'not-logged' },
      {
        permission: 'microsoft.storage/storageaccounts/blobservices/containers/blobs/read',
        reason: 'data-event-not-enabled',
      },
      { permission: 'microsoft.storage/storageaccounts/read', reason: 'not-logged' },
    ]);
  });

  it('builds custom role of used operations', () => {
    const app = resultOf(APP);
    expect(app.recommendation.kind).toBe('azure-custom-role');
    const expected: AzureRoleDefinitionJson = {
      Name: 'Least privilege for app@contoso.example',
      IsCustom: true,
      Description:
        'Operations app@contoso.example used in the analysis window, and granted operations whose use the logs cannot show.',
      Actions: [
        'microsoft.compute/virtualmachines/*/read',
        'microsoft.compute/virtualmachines/read',
        'microsoft.compute/virtualmachines/start/action',
        'microsoft.storage/storageaccounts/read',
      ],
      NotActions: [],
      DataActions: ['microsoft.storage/storageaccounts/blobservices/containers/blobs/read'],
      NotDataActions: [],
      AssignableScopes: [SCOPE],
    };
    expect(app.recommendation.document).toEqual(expected);
    expect(app.recommendation.removes).toEqual(['microsoft.storage/storageaccounts/delete']);
  });

  it('prefers built-in role without extras', () => {
    const ops = resultOf(OPS);
    expect(ops.recommendation.kind).toBe('azure-builtin-role');
    const document = ops.recommendation.document as AzureRoleDefinitionJson;
    expect(document.Name).toBe('VM Starter');
    expect(document.IsCustom).toBe(false);
    expect(ops.recommendation.removes).toEqual([
      'microsoft.compute/virtualmachines/deallocate/action',
      'microsoft.compute/virtualmachines/restart/action',
    ]);
    expect(ops.recommendation.alternatives?.map((entry) => entry.kind)).toEqual([
      'azure-custom-role',
    ]);
  });

  it('offers built-in role with extras as alternative', () => {
    const [ops] = analyzeRightsizing(
      {
        principals: evaluate(documents).filter((principal) => principal.principal_id === OPS),
        usage: [
          usageRow('azure', SUBSCRIPTION, OPS, 'microsoft.compute/virtualmachines/start/action'),
        ],
      },
      {
        windowEnd: WINDOW_END,
        // Without VM Starter, only VM Contributor covers the use, and it adds two operations.
        candidateRoles: candidateRolesFromExports(documents).filter(
          (role) => role.name !== 'VM Starter',
        ),
        maxExtraPermissions: 1,
      },
    );
    expect(ops?.recommendation.kind).toBe('azure-custom-role');
    expect(ops?.recommendation.alternatives?.[0]?.kind).toBe('azure-builtin-role');
    expect(ops?.recommendation.alternatives?.[0]?.extra_permissions).toEqual([
      'microsoft.compute/virtualmachines/deallocate/action',
      'microsoft.compute/virtualmachines/restart/action',
    ]);
  });

  it('expands partly used wildcard with catalog', () => {
    const azureOperations = azureOperationsFromExports(documents);
    const [app] = analyzeRightsizing(
      {
        principals: evaluate(documents).filter((principal) => principal.principal_id === APP),
        usage: [
          usageRow('azure', SUBSCRIPTION, APP, 'microsoft.compute/virtualmachines/start/action'),
        ],
      },
      { windowEnd: WINDOW_END, ...(azureOperations === undefined ? {} : { azureOperations }) },
    );
    // The role definitions name four virtual machine operations; start was used and read is
    // never logged, so deallocate and restart are unused beside the storage delete.
    expect(app?.recommendation.removes).toEqual([
      'microsoft.compute/virtualmachines/deallocate/action',
      'microsoft.compute/virtualmachines/restart/action',
      'microsoft.storage/storageaccounts/delete',
    ]);
    expect(app?.unobservable.map((entry) => entry.permission)).toContain(
      'microsoft.compute/virtualmachines/read',
    );
    // The catalog and the wildcard's read patterns both name virtualMachines/read.
    const names = app?.unobservable.map((entry) => entry.permission) ?? [];
    expect(names).toEqual([...new Set(names)]);
  });

  it('skips operations the role excludes', () => {
    const base = roleDefinition(
      'Contributor Like',
      'aaaaaaaa-0000-0000-0000-000000000009',
      'CustomRole',
      ['*'],
    ) as Record<string, unknown> & { id: string };
    const contributor = {
      ...base,
      permissions: [
        {
          actions: ['*'],
          notActions: ['Microsoft.Authorization/*/Write'],
          dataActions: [],
          notDataActions: [],
        },
      ],
    };
    const names = roleDefinition('Names', 'aaaaaaaa-0000-0000-0000-000000000008', 'CustomRole', [
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Compute/virtualMachines/delete',
    ]);
    const withExclusion: ExportDocument[] = [
      { source: 'role-definitions.json', value: [contributor, names] },
      {
        source: 'role-assignments.json',
        value: [
          {
            ...(assignment(APP, 'app@contoso.example', 0) as Record<string, unknown>),
            roleDefinitionId: contributor.id,
            roleDefinitionName: 'Contributor Like',
          },
        ],
      },
    ];
    const azureOperations = azureOperationsFromExports(withExclusion);
    const [app] = analyzeRightsizing(
      {
        principals: evaluate(withExclusion),
        usage: [
          usageRow('azure', SUBSCRIPTION, APP, 'microsoft.compute/virtualmachines/start/action'),
        ],
      },
      { windowEnd: WINDOW_END, ...(azureOperations === undefined ? {} : { azureOperations }) },
    );
    // The role's notActions remove roleAssignments/write from `*`, so it is not granted.
    expect(app?.recommendation.removes).toEqual(['microsoft.compute/virtualmachines/delete']);
  });
});

// The Activity Log records create, update, delete and action operations, never reads
// ("Azure Activity Log event schema", Administrative category,
// https://docs.azure.cn/en-us/azure-monitor/platform/activity-log-schema). So the read
// operations a wildcard grants stay unobservable, and a replacement role must keep them.
// `*/read` and `Microsoft.Network/*/read` are valid action strings
// (https://learn.microsoft.com/powershell/module/az.resources/new-azroledefinition).
describe('analyzeRightsizing on Azure wildcard reads', () => {
  const READER = 'dddddddd-0000-0000-0000-000000000003';

  function analyzeGrant(actions: string[], used: string[]): RightsizingResult | undefined {
    const definition = roleDefinition(
      'Wide Custom',
      'aaaaaaaa-0000-0000-0000-000000000007',
      'CustomRole',
      actions,
    ) as { id: string; roleName: string };
    const wide: ExportDocument[] = [
      { source: 'role-definitions.json', value: [definition] },
      {
        source: 'role-assignments.json',
        value: [
          {
            ...(assignment(READER, 'reader@contoso.example', 0) as Record<string, unknown>),
            roleDefinitionId: definition.id,
            roleDefinitionName: definition.roleName,
          },
        ],
      },
    ];
    const [result] = analyzeRightsizing(
      {
        principals: evaluate(wide),
        usage: used.map((permission) => usageRow('azure', SUBSCRIPTION, READER, permission)),
      },
      { windowEnd: WINDOW_END },
    );
    return result;
  }

  it('keeps reads of unused star', () => {
    const result = analyzeGrant(
      ['Microsoft.Compute/virtualMachines/start/action', '*'],
      ['microsoft.compute/virtualmachines/start/action'],
    );
    expect(result?.unused.map((entry) => entry.permission)).toEqual(['*']);
    expect(result?.unobservable).toEqual([{ permission: '*/read', reason: 'not-logged' }]);
    const document = result?.recommendation.document as AzureRoleDefinitionJson;
    expect(document.Actions).toEqual(['*/read', 'microsoft.compute/virtualmachines/start/action']);
    expect(result?.recommendation.removes).toEqual(['*']);
  });

  it('keeps reads of partly used star', () => {
    const result = analyzeGrant(['*'], ['microsoft.compute/virtualmachines/start/action']);
    expect(result?.unobservable).toEqual([{ permission: '*/read', reason: 'not-logged' }]);
  });

  it('keeps reads of unused namespace wildcard', () => {
    const result = analyzeGrant(
      ['Microsoft.Compute/virtualMachines/start/action', 'Microsoft.Storage/*'],
      ['microsoft.compute/virtualmachines/start/action'],
    );
    expect(result?.unused.map((entry) => entry.permission)).toEqual(['microsoft.storage/*']);
    expect(result?.unobservable).toEqual([
      { permission: 'microsoft.storage/*/read', reason: 'not-logged' },
    ]);
    const document = result?.recommendation.document as AzureRoleDefinitionJson;
    expect(document.Actions).toEqual([
      'microsoft.compute/virtualmachines/start/action',
      'microsoft.storage/*/read',
    ]);
    expect(result?.recommendation.removes).toEqual(['microsoft.storage/*']);
  });

  it('keeps reads of resource type wildcard', () => {
    const result = analyzeGrant(
      ['Microsoft.Compute/virtualMachines/*'],
      ['microsoft.compute/virtualmachines/start/action'],
    );
    // `virtualMachines/*/read` misses `virtualMachines/read` itself, so both are kept.
    expect(result?.unobservable).toEqual([
      { permission: 'microsoft.compute/virtualmachines/*/read', reason: 'not-logged' },
      { permission: 'microsoft.compute/virtualmachines/read', reason: 'not-logged' },
    ]);
  });

  it('derives nothing from write wildcard', () => {
    const result = analyzeGrant(
      ['Microsoft.Compute/*/write', '*/read'],
      ['microsoft.compute/virtualmachines/write'],
    );
    expect(result?.unobservable).toEqual([{ permission: '*/read', reason: 'not-logged' }]);
  });

  it('skips reads another read grant covers', () => {
    const result = analyzeGrant(
      ['Microsoft.Compute/virtualMachines/*', '*/read'],
      ['microsoft.compute/virtualmachines/start/action'],
    );
    expect(result?.unobservable).toEqual([{ permission: '*/read', reason: 'not-logged' }]);
  });
});

// "Understand Azure role definitions", AssignableScopes: a custom role lists management
// groups, subscriptions or resource groups, and a role assignable at a resource group can
// be assigned to any resource in it
// (http://www.webkkk.net/MicrosoftDocs/azure-docs/commit/514cf413a7e9d4c243d359c42539f4c5e2b4f672).
describe('analyzeRightsizing on a resource-scoped assignment', () => {
  it('lists the resource group as assignable scope', () => {
    const storageAccount = `${SCOPE}/resourceGroups/data-rg/providers/Microsoft.Storage/storageAccounts/salesdata`;
    const definition = roleDefinition(
      'Storage Keys',
      'aaaaaaaa-0000-0000-0000-000000000006',
      'CustomRole',
      [
        'Microsoft.Storage/storageAccounts/listKeys/action',
        'Microsoft.Storage/storageAccounts/delete',
      ],
    ) as { id: string; roleName: string };
    const scoped: ExportDocument[] = [
      { source: 'role-definitions.json', value: [definition] },
      {
        source: 'role-assignments.json',
        value: [
          {
            ...(assignment(APP, 'app@contoso.example', 0) as Record<string, unknown>),
            id: `${storageAccount}/providers/Microsoft.Authorization/roleAssignments/cccccccc-0000-0000-0000-000000000009`,
            roleDefinitionId: definition.id,
            roleDefinitionName: definition.roleName,
            scope: storageAccount,
          },
        ],
      },
    ];
    const [app] = analyzeRightsizing(
      {
        principals: evaluate(scoped),
        usage: [
          usageRow('azure', SUBSCRIPTION, APP, 'microsoft.storage/storageaccounts/listkeys/action'),
        ],
      },
      { windowEnd: WINDOW_END },
    );
    const document = app?.recommendation.document as AzureRoleDefinitionJson;
    expect(document.AssignableScopes).toEqual([`${SCOPE}/resourcegroups/data-rg`]);
  });
});

// "Azure custom roles", custom role properties: `Name` had at most 128 characters
// (http://www.webkkk.net/MicrosoftDocs/azure-docs/commit/d8e9b73a7cf113b9e21bfb75b74328b02ace644e)
// and has at most 512 since June 2022
// (http://www.webkkk.net/MicrosoftDocs/azure-docs/commit/050a60f61ceb020c81943426b83ead0785d335b8).
// The recommendation keeps within the older limit, so it is valid under both.
describe('analyzeRightsizing on a long principal name', () => {
  it('keeps custom role name within limit', () => {
    const longName = `${'deployment-automation-'.repeat(4)}service@contoso.example`;
    const named: ExportDocument[] = [
      { source: 'role-definitions.json', value: definitions },
      { source: 'role-assignments.json', value: [assignment(APP, longName, 0)] },
    ];
    const [app] = analyzeRightsizing(
      {
        principals: evaluate(named),
        usage: [
          usageRow('azure', SUBSCRIPTION, APP, 'microsoft.compute/virtualmachines/start/action'),
        ],
      },
      { windowEnd: WINDOW_END },
    );
    const document = app?.recommendation.document as AzureRoleDefinitionJson;
    expect(app?.recommendation.kind).toBe('azure-custom-role');
    expect(document.Name.length).toBeLessThanOrEqual(128);
    expect(document.Name.startsWith('Least privilege for deployment-automation-')).toBe(true);
  });
});

// Blob, queue, table and file services each have their own diagnostic setting, with the
// categories StorageRead, StorageWrite and StorageDelete enabled one by one ("Supported logs
// for Microsoft.Storage/storageAccounts/blobServices",
// https://learn.microsoft.com/en-us/azure/azure-monitor/reference/supported-logs/microsoft-storage-storageaccounts-blobservices-logs).
describe('analyzeRightsizing on Azure Storage resource logs', () => {
  const BLOBS = 'microsoft.storage/storageaccounts/blobservices/containers/blobs';
  const WRITER = 'dddddddd-0000-0000-0000-000000000004';

  function analyzeBlobRole(usage: ReturnType<typeof usageRow>[]): RightsizingResult | undefined {
    const definition = roleDefinition(
      'Blob Data Custom',
      'aaaaaaaa-0000-0000-0000-000000000005',
      'CustomRole',
      [],
      [`${BLOBS}/read`, `${BLOBS}/write`, `${BLOBS}/delete`, `${BLOBS}/move/action`],
    ) as { id: string; roleName: string };
    const blobDocuments: ExportDocument[] = [
      { source: 'role-definitions.json', value: [definition] },
      {
        source: 'role-assignments.json',
        value: [
          {
            ...(assignment(WRITER, 'writer@contoso.example', 0) as Record<string, unknown>),
            roleDefinitionId: definition.id,
            roleDefinitionName: definition.roleName,
          },
        ],
      },
    ];
    const [result] = analyzeRightsizing(
      { principals: evaluate(blobDocuments), usage },
      { windowEnd: WINDOW_END },
    );
    return result;
  }

  it('blob writes leave reads unobservable', () => {
    const result = analyzeBlobRole([
      usageRow('azure', SUBSCRIPTION, WRITER, `${BLOBS}/write`, { visibility: 'data-event' }),
    ]);
    expect(result?.unused).toEqual([]);
    expect(result?.unobservable).toEqual([
      { permission: `${BLOBS}/delete`, reason: 'data-event-not-enabled' },
      { permission: `${BLOBS}/move/action`, reason: 'data-event-not-enabled' },
      { permission: `${BLOBS}/read`, reason: 'data-event-not-enabled' },
    ]);
  });

  it('all three categories make actions observable', () => {
    const other = 'dddddddd-0000-0000-0000-000000000005';
    const result = analyzeBlobRole([
      usageRow('azure', SUBSCRIPTION, WRITER, `${BLOBS}/write`, { visibility: 'data-event' }),
      usageRow('azure', SUBSCRIPTION, other, `${BLOBS}/read`, { visibility: 'data-event' }),
      usageRow('azure', SUBSCRIPTION, other, `${BLOBS}/delete`, { visibility: 'data-event' }),
    ]);
    expect(result?.unobservable).toEqual([]);
    expect(result?.unused.map((entry) => entry.permission)).toEqual([
      `${BLOBS}/delete`,
      `${BLOBS}/move/action`,
      `${BLOBS}/read`,
    ]);
  });
});

// "Azure custom roles", custom role limits
// (https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles#custom-role-limits):
// a custom role cannot set AssignableScopes to the root scope "/", can define only one
// management group in AssignableScopes, and a custom role with DataActions cannot be
// assigned at the management group scope. Built-in roles are assignable at every scope.
describe('analyzeRightsizing on scopes a custom role cannot have', () => {
  const OTHER_SUBSCRIPTION = '22222222-2222-2222-2222-222222222222';
  const BLOBS = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
  const managementGroup = (name: string): string =>
    `/providers/Microsoft.Management/managementGroups/${name}`;
  const vmOperator = roleDefinition(
    'VM Operator Builtin',
    'bbbbbbbb-0000-0000-0000-000000000010',
    'BuiltInRole',
    [
      'Microsoft.Compute/virtualMachines/read',
      'Microsoft.Compute/virtualMachines/start/action',
      'Microsoft.Compute/virtualMachines/restart/action',
    ],
  ) as { id: string; roleName: string };
  const blobOwner = roleDefinition(
    'Blob Owner Builtin',
    'bbbbbbbb-0000-0000-0000-000000000011',
    'BuiltInRole',
    ['Microsoft.Storage/storageAccounts/read', 'Microsoft.Storage/storageAccounts/delete'],
    [`${BLOBS}/read`, `${BLOBS}/delete`],
  ) as { id: string; roleName: string };

  function assignedAt(
    principal: string,
    definition: { id: string; roleName: string },
    scope: string,
    index: number,
  ): Record<string, unknown> {
    const guid = `eeeeeeee-0000-0000-0000-00000000000${index}`;
    return {
      id: `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
      name: guid,
      principalId: principal,
      principalName: `${principal}@contoso.example`,
      principalType: 'User',
      roleDefinitionId: definition.id,
      roleDefinitionName: definition.roleName,
      scope,
      type: 'Microsoft.Authorization/roleAssignments',
    };
  }

  function analyzeAssignments(
    assignments: Record<string, unknown>[],
    usage: ReturnType<typeof usageRow>[],
  ): RightsizingResult {
    const scoped: ExportDocument[] = [
      { source: 'role-definitions.json', value: [vmOperator, blobOwner] },
      { source: 'role-assignments.json', value: assignments },
    ];
    const [result] = analyzeRightsizing(
      { principals: evaluate(scoped), usage },
      { windowEnd: WINDOW_END },
    );
    if (result === undefined) throw new Error('no result');
    return result;
  }

  it('replaces root scope with used subscription', () => {
    const result = analyzeAssignments(
      [assignedAt(OPS, vmOperator, '/', 1)],
      [usageRow('azure', SUBSCRIPTION, OPS, 'microsoft.compute/virtualmachines/start/action')],
    );
    expect(result.recommendation.kind).toBe('azure-custom-role');
    const document = result.recommendation.document as AzureRoleDefinitionJson;
    expect(document.AssignableScopes).not.toContain('/');
    expect(document.AssignableScopes).toEqual([`/subscriptions/${SUBSCRIPTION}`]);
    const notes = result.recommendation.notes ?? [];
    expect(notes.some((note) => note.includes('root scope'))).toBe(true);
  });

  it('drops management group for data actions', () => {
    const blobResource = `/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/sales/blobServices/default/containers/reports/blobs/q1.csv`;
    const result = analyzeAssignments(
      [assignedAt(APP, blobOwner, managementGroup('contoso-prod'), 1)],
      [
        usageRow('azure', OTHER_SUBSCRIPTION, APP, `${BLOBS}/read`.toLowerCase(), {
          visibility: 'data-event',
          resources: [blobResource],
        }),
      ],
    );
    expect(result.recommendation.kind).toBe('azure-custom-role');
    const document = result.recommendation.document as AzureRoleDefinitionJson;
    expect(document.DataActions).toContain(`${BLOBS}/read`.toLowerCase());
    for (const scope of document.AssignableScopes) {
      expect(scope.toLowerCase()).not.toContain(
        '/providers/microsoft.management/managementgroups/',
      );
    }
    expect(document.AssignableScopes).toEqual([`/subscriptions/${OTHER_SUBSCRIPTION}`]);
    const notes = result.recommendation.notes ?? [];
    expect(
      notes.some((note) => note.includes('DataActions') && note.includes('management group')),
    ).toBe(true);
  });

  it('keeps one management group at most', () => {
    const result = analyzeAssignments(
      [
        assignedAt(OPS, vmOperator, managementGroup('contoso-prod'), 1),
        assignedAt(OPS, vmOperator, managementGroup('contoso-dev'), 2),
      ],
      [usageRow('azure', SUBSCRIPTION, OPS, 'microsoft.compute/virtualmachines/start/action')],
    );
    const document = result.recommendation.document as AzureRoleDefinitionJson;
    const groups = document.AssignableScopes.filter((scope) =>
      scope.toLowerCase().startsWith('/providers/microsoft.management/managementgroups/'),
    );
    expect(groups.length).toBeLessThanOrEqual(1);
    expect(document.AssignableScopes).toContain(`/subscriptions/${SUBSCRIPTION}`);
    const notes = result.recommendation.notes ?? [];
    expect(notes.some((note) => note.includes('one management group'))).toBe(true);
  });

  it('keeps single management group', () => {
    const result = analyzeAssignments(
      [assignedAt(OPS, vmOperator, managementGroup('contoso-prod'), 1)],
      [usageRow('azure', SUBSCRIPTION, OPS, 'microsoft.compute/virtualmachines/start/action')],
    );
    const document = result.recommendation.document as AzureRoleDefinitionJson;
    expect(document.AssignableScopes).toEqual([managementGroup('contoso-prod').toLowerCase()]);
  });
});
