import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ExportDocument } from '@ciem/entitlements';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRoleCatalog, seedSnapshot } from '../testing/seed.js';
import { listLatestSnapshots } from './analysis-inputs.js';
import { readRoleCatalog } from './role-catalog.js';

const database = randomName('ciem_rightsizing_catalog_test');
const clickhouse = createClickHouse({ url: clickhouseUrl });
const DAY = 86_400_000;
const latest = Date.UTC(2026, 10, 30);
const older = latest - 7 * DAY;
const project = 'shop-prod';

// IAM `roles.list` and `permissions.queryTestablePermissions` output; the roles and
// levels are set for the test.
function gcpExports(roleName: string, level: string): ExportDocument[] {
  return [
    {
      source: 'roles.json',
      value: [
        {
          name: roleName,
          title: 'Test role',
          stage: 'GA',
          includedPermissions: ['storage.objects.get', 'storage.objects.list'],
        },
      ],
    },
    {
      source: 'testable-permissions.json',
      value: {
        permissions: [{ name: 'storage.objects.get', stage: 'GA', customRolesSupportLevel: level }],
      },
    },
  ];
}

// `az role definition list` output for one built-in role.
const azureExports: ExportDocument[] = [
  {
    source: 'role-definitions.json',
    value: [
      {
        assignableScopes: ['/'],
        id: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
        name: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
        permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
        roleName: 'Reader',
        roleType: 'BuiltInRole',
        type: 'Microsoft.Authorization/roleDefinitions',
      },
    ],
  },
];

beforeAll(async () => {
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  const gcp = { provider: 'gcp' as const, account_id: project };
  await seedRoleCatalog(
    clickhouse,
    database,
    { ...gcp, taken_at: older },
    gcpExports('roles/old.viewer', 'NOT_SUPPORTED'),
  );
  await seedRoleCatalog(
    clickhouse,
    database,
    { ...gcp, taken_at: latest },
    gcpExports('roles/storage.objectViewer', 'TESTING'),
  );
  // Written twice: the read must return each role once.
  await seedRoleCatalog(
    clickhouse,
    database,
    { ...gcp, taken_at: latest },
    gcpExports('roles/storage.objectViewer', 'TESTING'),
  );
  await seedRoleCatalog(
    clickhouse,
    database,
    { provider: 'azure', account_id: 'tenant-1', taken_at: latest },
    azureExports,
  );
});

afterAll(async () => {
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse.close();
});

describe('readRoleCatalog', () => {
  it('reads the given snapshots only', async () => {
    const { candidateRoles, gcpCustomRoleSupport } = await readRoleCatalog(clickhouse, database, [
      { provider: 'azure', account_id: 'tenant-1', taken_at_ms: latest },
      { provider: 'gcp', account_id: project, taken_at_ms: latest },
    ]);
    expect(candidateRoles).toEqual([
      {
        provider: 'azure',
        name: 'Reader',
        id: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
        actions: ['*/read'],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
      },
      {
        provider: 'gcp',
        name: 'roles/storage.objectViewer',
        actions: ['storage.objects.get', 'storage.objects.list'],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
      },
    ]);
    expect(gcpCustomRoleSupport).toEqual(new Map([['storage.objects.get', 'TESTING']]));
  });

  it('reads catalog of multi-subscription snapshot', async () => {
    // An Azure snapshot's header names the tenant, but each entitlement row names the
    // principal's subscription, so the snapshots listed carry subscription ids.
    const tenantDatabase = randomName('ciem_rightsizing_catalog_tenant');
    await clickhouse.ensureDatabase(tenantDatabase);
    try {
      await runMigrations({ client: clickhouse, database: tenantDatabase });
      const header = { provider: 'azure' as const, account_id: 'tenant-1', taken_at: latest };
      await seedSnapshot(clickhouse, tenantDatabase, header, [
        {
          provider: 'azure',
          account_id: 'sub-1',
          principal_id: 'cccccccc-0000-0000-0000-000000000001',
          principal_type: 'user',
          principal_name: 'alice@contoso.example',
          tags: {},
          grants: [
            {
              permission: 'microsoft.compute/virtualmachines/read',
              resource: '/subscriptions/sub-1',
              conditional: false,
              via: 'assignment-1',
            },
          ],
          findings: [],
        },
      ]);
      await seedRoleCatalog(clickhouse, tenantDatabase, header, azureExports);

      const snapshots = await listLatestSnapshots(clickhouse, tenantDatabase);
      expect(snapshots).toEqual([{ provider: 'azure', account_id: 'sub-1', taken_at_ms: latest }]);
      const { candidateRoles } = await readRoleCatalog(clickhouse, tenantDatabase, snapshots);
      expect(candidateRoles.map((role) => role.name)).toEqual(['Reader']);
    } finally {
      await clickhouse.command(`DROP DATABASE IF EXISTS ${tenantDatabase}`);
    }
  });

  it('reads nothing for AWS snapshots', async () => {
    const inputs = await readRoleCatalog(clickhouse, database, [
      { provider: 'aws', account_id: '111122223333', taken_at_ms: latest },
    ]);
    expect(inputs.candidateRoles).toEqual([]);
    expect(inputs.gcpCustomRoleSupport).toBeUndefined();
  });

  it('reads nothing without catalog rows', async () => {
    const inputs = await readRoleCatalog(clickhouse, database, [
      { provider: 'gcp', account_id: 'other-project', taken_at_ms: latest - DAY },
    ]);
    expect(inputs.candidateRoles).toEqual([]);
    expect(inputs.gcpCustomRoleSupport).toBeUndefined();
  });
});
