import { evaluateExportDocuments, roleCatalogFromExports } from '@ciem/entitlements';
import type { ExportDocument } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { toGcpPermissionSupportRows, toRoleCatalogRows } from './role-catalog-row.js';

const PROJECT = 'example-project';
const TAKEN_AT = 1_764_892_800_123;
const WRITTEN_AT = 1_764_892_900_999;

// Records in the shapes of IAM `roles.list` (Role: name, title, stage,
// includedPermissions) and `permissions.queryTestablePermissions` (Permission: name,
// customRolesSupportLevel). "Roles and permissions"
// (https://cloud.google.com/iam/docs/roles-overview) names a predefined role
// `roles/SERVICE.IDENTIFIER` and a project-level custom role
// `projects/PROJECT_ID/roles/IDENTIFIER`.
const gcpDocuments: ExportDocument[] = [
  {
    source: 'roles.json',
    value: [
      {
        name: 'roles/storage.objectViewer',
        title: 'Storage Object Viewer',
        stage: 'GA',
        includedPermissions: ['storage.objects.get', 'storage.objects.list'],
      },
      {
        name: `projects/${PROJECT}/roles/publisher`,
        title: 'Publisher',
        stage: 'GA',
        includedPermissions: ['pubsub.topics.publish'],
      },
    ],
  },
  {
    source: 'testable-permissions.json',
    value: {
      permissions: [
        { name: 'storage.objects.list', title: 'List objects', stage: 'GA' },
        {
          name: 'storage.objects.get',
          title: 'Get object',
          stage: 'GA',
          customRolesSupportLevel: 'NOT_SUPPORTED',
        },
        {
          name: 'compute.instances.start',
          title: 'Start instance',
          stage: 'GA',
          customRolesSupportLevel: 'TESTING',
        },
      ],
    },
  },
];

// `az role definition list` output. "List Azure role definitions"
// (https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions-list)
// shows built-in roles with roleType BuiltInRole.
const azureDocuments: ExportDocument[] = [
  {
    source: 'role-definitions.json',
    value: [
      {
        assignableScopes: ['/'],
        id: '/providers/Microsoft.Authorization/roleDefinitions/bbbbbbbb-0000-0000-0000-000000000001',
        name: 'bbbbbbbb-0000-0000-0000-000000000001',
        permissions: [
          {
            actions: ['Microsoft.Storage/storageAccounts/read'],
            notActions: ['Microsoft.Storage/storageAccounts/listKeys/action'],
            dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
            notDataActions: [],
          },
        ],
        roleName: 'Storage Reader',
        roleType: 'BuiltInRole',
        type: 'Microsoft.Authorization/roleDefinitions',
      },
      {
        assignableScopes: ['/subscriptions/sub-1'],
        id: '/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000001',
        name: 'aaaaaaaa-0000-0000-0000-000000000001',
        permissions: [
          { actions: ['Microsoft.Compute/*'], notActions: [], dataActions: [], notDataActions: [] },
        ],
        roleName: 'Ops Custom',
        roleType: 'CustomRole',
        type: 'Microsoft.Authorization/roleDefinitions',
      },
    ],
  },
];

describe('roleCatalogFromExports', () => {
  const catalog = roleCatalogFromExports([...gcpDocuments, ...azureDocuments]);

  it('keeps GCP predefined roles only', () => {
    expect(catalog.gcp).toEqual([
      {
        provider: 'gcp',
        name: 'roles/storage.objectViewer',
        actions: ['storage.objects.get', 'storage.objects.list'],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
      },
    ]);
  });

  it('keeps Azure built-in roles lower-cased', () => {
    expect(catalog.azure).toEqual([
      {
        provider: 'azure',
        name: 'Storage Reader',
        id: '/providers/Microsoft.Authorization/roleDefinitions/bbbbbbbb-0000-0000-0000-000000000001',
        actions: ['microsoft.storage/storageaccounts/read'],
        not_actions: ['microsoft.storage/storageaccounts/listkeys/action'],
        data_actions: ['microsoft.storage/storageaccounts/blobservices/containers/blobs/read'],
        not_data_actions: [],
      },
    ]);
  });

  it('reads GCP support levels', () => {
    expect(catalog.gcpPermissionSupport.get('storage.objects.get')).toBe('NOT_SUPPORTED');
    expect(catalog.gcpPermissionSupport.get('compute.instances.start')).toBe('TESTING');
    // A Permission without customRolesSupportLevel has the enum's default state, SUPPORTED
    // (https://cloud.google.com/java/docs/reference/google-iam-admin/3.24.0/com.google.iam.admin.v1.Permission.CustomRolesSupportLevel).
    expect(catalog.gcpPermissionSupport.get('storage.objects.list')).toBe('SUPPORTED');
  });

  it('is empty without documents', () => {
    const empty = roleCatalogFromExports([]);
    expect(empty.azure).toEqual([]);
    expect(empty.gcp).toEqual([]);
    expect(empty.gcpPermissionSupport.size).toBe(0);
  });

  it('matches the evaluation catalog', () => {
    const documents = [...gcpDocuments, ...azureDocuments];
    const evaluation = evaluateExportDocuments(documents, { takenAt: TAKEN_AT });
    expect(evaluation.catalog).toEqual(roleCatalogFromExports(documents));
    expect(evaluation.catalog.gcp.length).toBeGreaterThan(0);
    expect(evaluation.catalog.azure.length).toBeGreaterThan(0);
  });
});

describe('toRoleCatalogRows', () => {
  const catalog = roleCatalogFromExports([...gcpDocuments, ...azureDocuments]);

  it('maps a GCP role to a row', () => {
    const header = { provider: 'gcp' as const, account_id: PROJECT, taken_at: TAKEN_AT };
    expect([...toRoleCatalogRows(header, catalog, WRITTEN_AT)]).toEqual([
      {
        provider: 'gcp',
        account_id: PROJECT,
        taken_at_ms: TAKEN_AT,
        snapshot_time: 1_764_892_800,
        role_name: 'roles/storage.objectViewer',
        role_id: '',
        actions: ['storage.objects.get', 'storage.objects.list'],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
        written_at: 1_764_892_900,
      },
    ]);
  });

  it('writes Azure roles for Azure only', () => {
    const header = { provider: 'azure' as const, account_id: 'tenant-1', taken_at: TAKEN_AT };
    const rows = [...toRoleCatalogRows(header, catalog, WRITTEN_AT)];
    expect(rows.map((row) => row.role_name)).toEqual(['Storage Reader']);
    expect(rows[0]?.provider).toBe('azure');
    expect(rows[0]?.account_id).toBe('tenant-1');
  });

  it('writes nothing for AWS', () => {
    const header = { provider: 'aws' as const, account_id: '111122223333', taken_at: TAKEN_AT };
    expect([...toRoleCatalogRows(header, catalog, WRITTEN_AT)]).toEqual([]);
  });
});

describe('toGcpPermissionSupportRows', () => {
  const catalog = roleCatalogFromExports(gcpDocuments);

  it('maps levels sorted by permission', () => {
    const header = { provider: 'gcp' as const, account_id: PROJECT, taken_at: TAKEN_AT };
    const common = {
      account_id: PROJECT,
      taken_at_ms: TAKEN_AT,
      snapshot_time: 1_764_892_800,
      written_at: 1_764_892_900,
    };
    expect([...toGcpPermissionSupportRows(header, catalog, WRITTEN_AT)]).toEqual([
      { ...common, permission: 'compute.instances.start', support_level: 'TESTING' },
      { ...common, permission: 'storage.objects.get', support_level: 'NOT_SUPPORTED' },
      { ...common, permission: 'storage.objects.list', support_level: 'SUPPORTED' },
    ]);
  });

  it('writes nothing for Azure', () => {
    const header = { provider: 'azure' as const, account_id: 'tenant-1', taken_at: TAKEN_AT };
    expect([...toGcpPermissionSupportRows(header, catalog, WRITTEN_AT)]).toEqual([]);
  });
});
