import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse } from '@ciem/clickhouse';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName, startChildService } from '@ciem/testing';
import { afterAll, describe, expect, it } from 'vitest';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const exportsDir = mkdtempSync(path.join(tmpdir(), 'ciem-entitlements-catalog-'));
const database = randomName('ciem_entitlements_catalog');
const clickhouse = createClickHouse({ url: clickhouseUrl });
const subscription = '11111111-1111-1111-1111-111111111111';
const readerId =
  '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';

mkdirSync(path.join(exportsDir, 'azure'));
mkdirSync(path.join(exportsDir, 'gcp'));
// `az role definition list` and `az role assignment list` output. Reader is a built-in role
// (roleType BuiltInRole); the custom role is not proposed and so not written.
writeFileSync(
  path.join(exportsDir, 'azure', 'role-definitions.json'),
  JSON.stringify([
    {
      assignableScopes: ['/'],
      id: readerId,
      name: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
      permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
      roleName: 'Reader',
      roleType: 'BuiltInRole',
      type: 'Microsoft.Authorization/roleDefinitions',
    },
    {
      assignableScopes: [`/subscriptions/${subscription}`],
      id: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000001`,
      name: 'aaaaaaaa-0000-0000-0000-000000000001',
      permissions: [
        {
          actions: ['Microsoft.Compute/virtualMachines/read'],
          notActions: [],
          dataActions: [],
          notDataActions: [],
        },
      ],
      roleName: 'VM Lister',
      roleType: 'CustomRole',
      type: 'Microsoft.Authorization/roleDefinitions',
    },
  ]),
);
writeFileSync(
  path.join(exportsDir, 'azure', 'role-assignments.json'),
  JSON.stringify([
    {
      principalId: 'cccccccc-0000-0000-0000-000000000001',
      principalType: 'User',
      principalName: 'alice@contoso.example',
      roleDefinitionId: `/subscriptions/${subscription}${readerId}`,
      roleDefinitionName: 'Reader',
      scope: `/subscriptions/${subscription}`,
    },
  ]),
);
// A Cloud Asset Inventory policy, IAM `roles.list` output and
// `permissions.queryTestablePermissions` output; the level is set for the test.
writeFileSync(
  path.join(exportsDir, 'gcp', 'policies.ndjson'),
  `${JSON.stringify({
    name: '//cloudresourcemanager.googleapis.com/projects/shop-prod',
    asset_type: 'cloudresourcemanager.googleapis.com/Project',
    iam_policy: {
      bindings: [{ role: 'roles/storage.objectViewer', members: ['user:bob@example.com'] }],
    },
  })}\n`,
);
writeFileSync(
  path.join(exportsDir, 'gcp', 'roles.json'),
  JSON.stringify([
    {
      name: 'roles/storage.objectViewer',
      title: 'Storage Object Viewer',
      stage: 'GA',
      includedPermissions: ['storage.objects.get', 'storage.objects.list'],
    },
  ]),
);
writeFileSync(
  path.join(exportsDir, 'gcp', 'testable-permissions.json'),
  JSON.stringify({
    permissions: [
      { name: 'storage.objects.get', stage: 'GA', customRolesSupportLevel: 'NOT_SUPPORTED' },
      { name: 'storage.objects.list', stage: 'GA' },
    ],
  }),
);

afterAll(async () => {
  rmSync(exportsDir, { recursive: true, force: true });
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse.close();
});

describe('entitlements service role catalog', () => {
  it('writes catalog with each snapshot', async () => {
    const service = startChildService(main, {
      CIEM_PROBE_PORT: '0',
      CIEM_ENTITLEMENTS_KAFKA_ENABLED: 'false',
      CIEM_CLICKHOUSE_URL: clickhouseUrl,
      CIEM_CLICKHOUSE_DATABASE: database,
      CIEM_ENTITLEMENTS_AZURE_SOURCE: 'files',
      CIEM_ENTITLEMENTS_AZURE_DIR: path.join(exportsDir, 'azure'),
      CIEM_ENTITLEMENTS_GCP_SOURCE: 'files',
      CIEM_ENTITLEMENTS_GCP_DIR: path.join(exportsDir, 'gcp'),
    });
    const code = await service.exited;
    expect(code, service.otherOutput.join('\n')).toBe(0);
    const finished = service.lines.find((line) => line.msg === 'entitlement collection finished');
    // One Azure role, one GCP role and two GCP support levels.
    expect(finished).toMatchObject({ snapshots: 2, catalogRows: 4 });

    const snapshots = await clickhouse.query<{
      provider: string;
      account_id: string;
      taken_at_ms: string;
    }>(
      `SELECT DISTINCT provider, account_id, taken_at_ms FROM ${database}.entitlements ORDER BY provider`,
    );
    const roles = await clickhouse.query<{
      provider: string;
      account_id: string;
      taken_at_ms: string;
      role_name: string;
      role_id: string;
      actions: string[];
    }>(
      `SELECT provider, account_id, taken_at_ms, role_name, role_id, actions FROM ${database}.role_catalog ORDER BY provider, role_name`,
    );
    const azure = snapshots.find((snapshot) => snapshot.provider === 'azure');
    const gcp = snapshots.find((snapshot) => snapshot.provider === 'gcp');
    expect(roles).toEqual([
      { ...azure, role_name: 'Reader', role_id: readerId, actions: ['*/read'] },
      {
        ...gcp,
        role_name: 'roles/storage.objectViewer',
        role_id: '',
        actions: ['storage.objects.get', 'storage.objects.list'],
      },
    ]);

    const support = await clickhouse.query<{
      account_id: string;
      taken_at_ms: string;
      permission: string;
      support_level: string;
    }>(
      `SELECT account_id, taken_at_ms, permission, support_level FROM ${database}.gcp_permission_support ORDER BY permission`,
    );
    expect(support).toEqual([
      {
        account_id: gcp?.account_id,
        taken_at_ms: gcp?.taken_at_ms,
        permission: 'storage.objects.get',
        support_level: 'NOT_SUPPORTED',
      },
      {
        account_id: gcp?.account_id,
        taken_at_ms: gcp?.taken_at_ms,
        permission: 'storage.objects.list',
        support_level: 'SUPPORTED',
      },
    ]);
  });
});
