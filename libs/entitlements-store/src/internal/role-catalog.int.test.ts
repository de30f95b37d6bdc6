import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { CatalogRole, GcpCustomRolesSupportLevel, RoleCatalog } from '@ciem/entitlements';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRoleCatalog } from './role-catalog-sink.js';

const database = randomName('ciem_role_catalog_test');
const clickhouse = createClickHouse({ url: clickhouseUrl });
const takenAt = Date.UTC(2026, 10, 30, 12, 0, 0, 250);

function gcpRole(index: number): CatalogRole {
  return {
    provider: 'gcp',
    name: `roles/test.role${String(index).padStart(4, '0')}`,
    id: '',
    actions: [`test.things${index}.get`, `test.things${index}.list`],
    not_actions: [],
    data_actions: [],
    not_data_actions: [],
  };
}

// 450 roles are more than one INSERT of `role_catalog`, which takes at most 200 rows.
const catalog: RoleCatalog = {
  azure: [
    {
      provider: 'azure',
      name: 'Reader',
      id: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
      actions: ['*/read'],
      not_actions: [],
      data_actions: [],
      not_data_actions: [],
    },
  ],
  gcp: Array.from({ length: 450 }, (_, index) => gcpRole(index)),
  gcpPermissionSupport: new Map<string, GcpCustomRolesSupportLevel>([
    ['test.things0.get', 'NOT_SUPPORTED'],
    ['test.things0.list', 'TESTING'],
    ['test.things1.get', 'SUPPORTED'],
  ]),
};

beforeAll(async () => {
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
});

afterAll(async () => {
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse.close();
});

describe('writeRoleCatalog', () => {
  it('writes a GCP snapshot catalog', async () => {
    const header = { provider: 'gcp' as const, account_id: 'shop-prod', taken_at: takenAt };
    const written = await writeRoleCatalog(
      { client: clickhouse, database, maxRows: 10_000 },
      header,
      catalog,
      takenAt + 5_000,
    );
    expect(written).toEqual({ roles: 450, permissions: 3 });

    const roles = await clickhouse.query<{
      role_name: string;
      actions: string[];
      taken_at_ms: string;
      snapshot_time: string;
    }>(
      `SELECT role_name, actions, taken_at_ms, toString(snapshot_time) AS snapshot_time FROM ${database}.role_catalog WHERE provider = 'gcp' ORDER BY role_name`,
    );
    expect(roles).toHaveLength(450);
    expect(roles[0]).toEqual({
      role_name: 'roles/test.role0000',
      actions: ['test.things0.get', 'test.things0.list'],
      taken_at_ms: String(takenAt),
      snapshot_time: '2026-11-30 12:00:00',
    });

    const support = await clickhouse.query<{ permission: string; support_level: string }>(
      `SELECT permission, support_level FROM ${database}.gcp_permission_support ORDER BY permission`,
    );
    expect(support).toEqual([
      { permission: 'test.things0.get', support_level: 'NOT_SUPPORTED' },
      { permission: 'test.things0.list', support_level: 'TESTING' },
      { permission: 'test.things1.get', support_level: 'SUPPORTED' },
    ]);
  });

  it('writes Azure roles without levels', async () => {
    const header = { provider: 'azure' as const, account_id: 'tenant-1', taken_at: takenAt };
    const written = await writeRoleCatalog(
      { client: clickhouse, database, maxRows: 10_000 },
      header,
      catalog,
      takenAt + 5_000,
    );
    expect(written).toEqual({ roles: 1, permissions: 0 });
    const roles = await clickhouse.query<{ role_name: string; role_id: string }>(
      `SELECT role_name, role_id FROM ${database}.role_catalog WHERE provider = 'azure'`,
    );
    expect(roles).toEqual([{ role_name: 'Reader', role_id: catalog.azure[0]?.id }]);
  });

  it('writes nothing for AWS', async () => {
    const header = { provider: 'aws' as const, account_id: '111122223333', taken_at: takenAt };
    const written = await writeRoleCatalog(
      { client: clickhouse, database, maxRows: 10_000 },
      header,
      catalog,
      takenAt + 5_000,
    );
    expect(written).toEqual({ roles: 0, permissions: 0 });
  });
});
