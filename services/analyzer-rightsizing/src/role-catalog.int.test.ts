import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import { evaluateExportDocuments } from '@ciem/entitlements';
import type { ExportDocument } from '@ciem/entitlements';
import {
  analyzeRightsizing,
  candidateRolesFromExports,
  gcpCustomRoleSupportFromExports,
} from '@ciem/rightsizing';
import type { GcpCustomRoleJson, GcpRoleSetJson, RightsizingResult } from '@ciem/rightsizing';
import { readPermissionUsage } from '@ciem/rightsizing-store';
import { seedEvents, seedRoleCatalog, seedSnapshot } from '@ciem/rightsizing-store/testing';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseUrl, randomName, startChildService } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const database = randomName('ciem_rightsizing_catalog');
const clickhouse = createClickHouse({ url: clickhouseUrl });

const DAY = 86_400_000;
const WINDOW_DAYS = 30;
const windowEnd = Date.UTC(2026, 10, 30);
const takenAt = windowEnd - DAY;
const project = 'shop-prod';
const reader = `serviceAccount:reader@${project}.iam.gserviceaccount.com`;
const builder = `serviceAccount:builder@${project}.iam.gserviceaccount.com`;
const uploader = `serviceAccount:uploader@${project}.iam.gserviceaccount.com`;

// Predefined roles in the shape of IAM `roles.list` (Role: name, title, stage,
// includedPermissions). The Cloud Storage role reference
// (https://cloud.google.com/java/docs/reference/google-cloud-storage/latest/com.google.cloud.storage.StorageRoles)
// states that roles/storage.objectViewer grants storage.objects.list and
// storage.objects.get, roles/storage.objectAdmin storage.objects.*, and
// roles/storage.admin storage.buckets.* and storage.objects.*. The lists below are
// those roles cut down to the permissions this test uses.
const roles = [
  {
    name: 'roles/storage.objectViewer',
    title: 'Storage Object Viewer',
    stage: 'GA',
    includedPermissions: ['storage.objects.get', 'storage.objects.list'],
  },
  {
    name: 'roles/storage.objectAdmin',
    title: 'Storage Object Admin',
    stage: 'GA',
    includedPermissions: [
      'storage.objects.create',
      'storage.objects.delete',
      'storage.objects.get',
      'storage.objects.list',
    ],
  },
  {
    name: 'roles/storage.admin',
    title: 'Storage Admin',
    stage: 'GA',
    includedPermissions: [
      'storage.buckets.create',
      'storage.buckets.delete',
      'storage.buckets.setIamPolicy',
      'storage.objects.create',
      'storage.objects.delete',
      'storage.objects.get',
      'storage.objects.list',
    ],
  },
];

// IAM `permissions.queryTestablePermissions` output. IAM v1
// `Permission.CustomRolesSupportLevel`
// (https://cloud.google.com/java/docs/reference/google-iam-admin/3.24.0/com.google.iam.admin.v1.Permission.CustomRolesSupportLevel)
// states that a NOT_SUPPORTED permission is not supported in custom roles. The level of
// storage.buckets.create is set for the test.
const testablePermissions = {
  permissions: [
    { name: 'storage.objects.get', title: 'Get object', stage: 'GA' },
    { name: 'storage.objects.list', title: 'List objects', stage: 'GA' },
    {
      name: 'storage.buckets.create',
      title: 'Create bucket',
      stage: 'GA',
      customRolesSupportLevel: 'NOT_SUPPORTED',
    },
  ],
};

// A project's IAM policy as Cloud Asset Inventory exports it.
const documents: ExportDocument[] = [
  {
    source: 'iam-policies.ndjson',
    line: 1,
    value: {
      name: `//cloudresourcemanager.googleapis.com/projects/${project}`,
      asset_type: 'cloudresourcemanager.googleapis.com/Project',
      iam_policy: {
        bindings: [
          { role: 'roles/storage.admin', members: [reader, builder] },
          { role: 'roles/storage.objectViewer', members: [uploader] },
        ],
      },
    },
  },
  { source: 'roles.json', value: roles },
  { source: 'testable-permissions.json', value: testablePermissions },
];

function use(id: string, principal: string, permission: string, daysAgo: number) {
  return {
    id,
    provider: 'gcp' as const,
    account: project,
    principal,
    permission,
    time: windowEnd - daysAgo * DAY,
  };
}

const evaluation = evaluateExportDocuments(documents, { takenAt });

beforeAll(async () => {
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  for (const snapshot of evaluation.snapshots) {
    await seedSnapshot(clickhouse, database, snapshot.header, snapshot.principals);
    await seedRoleCatalog(clickhouse, database, snapshot.header, documents);
  }
  await seedEvents(clickhouse, database, [
    use('catalog-e1', reader, 'storage.objects.get', 3),
    use('catalog-e2', reader, 'storage.objects.list', 3),
    use('catalog-e3', builder, 'storage.buckets.create', 2),
    use('catalog-e4', builder, 'storage.objects.list', 2),
    // An object write shows that DATA_WRITE audit logs are on for Cloud Storage, so the
    // unused object writes of roles/storage.admin count as unused, not unobservable.
    use('catalog-e5', uploader, 'storage.objects.create', 2),
  ]);
});

afterAll(async () => {
  await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
  await clickhouse.close();
});

/** Runs the analysis of the embedded path on the same exports and usage. */
async function analyzeEmbedded(): Promise<RightsizingResult[]> {
  const usage = await readPermissionUsage(clickhouse, database, {
    windowStart: windowEnd - WINDOW_DAYS * DAY,
    windowEnd,
    historyStart: windowEnd - (WINDOW_DAYS + 90) * DAY,
  });
  const support = gcpCustomRoleSupportFromExports(documents);
  return analyzeRightsizing(
    { principals: evaluation.snapshots.flatMap((snapshot) => [...snapshot.principals]), usage },
    {
      windowEnd,
      windowDays: WINDOW_DAYS,
      candidateRoles: candidateRolesFromExports(documents),
      ...(support === undefined ? {} : { gcpCustomRoleSupport: support }),
    },
  );
}

describe('analyzer-rightsizing role catalog', () => {
  it('recommends GCP predefined role', async () => {
    const service = startChildService(main, {
      CIEM_PROBE_PORT: '0',
      CIEM_RIGHTSIZING_MODE: 'once',
      CIEM_RIGHTSIZING_WINDOW_DAYS: String(WINDOW_DAYS),
      CIEM_RIGHTSIZING_WINDOW_END: new Date(windowEnd).toISOString(),
      CIEM_RIGHTSIZING_KAFKA_ENABLED: 'false',
      CIEM_CLICKHOUSE_URL: clickhouseUrl,
      CIEM_CLICKHOUSE_DATABASE: database,
    });
    const code = await service.exited;
    expect(code, service.otherOutput.join('\n')).toBe(0);

    const rows = await clickhouse.query<{ principal_id: string; recommendation: string }>(
      `SELECT principal_id, recommendation FROM ${database}.recommendations FINAL ORDER BY principal_id`,
    );
    const distributed = new Map(
      rows.map((row) => [row.principal_id, JSON.parse(row.recommendation) as unknown]),
    );
    const embedded = new Map(
      (await analyzeEmbedded()).map((result) => [result.principal_id, result.recommendation]),
    );

    // reader used exactly the permissions of roles/storage.objectViewer.
    const readerRecommendation = distributed.get(reader) as RightsizingResult['recommendation'];
    expect(readerRecommendation.kind).toBe('gcp-predefined-roles');
    const roleSet: GcpRoleSetJson = {
      roles: ['roles/storage.objectViewer'],
      extra_permissions: 0,
      approximate: true,
    };
    expect(readerRecommendation.document).toEqual(roleSet);
    expect(distributed.get(reader)).toEqual(embedded.get(reader));

    // Only roles/storage.admin covers builder's bucket creation, and the custom role
    // offered as the alternative leaves out storage.buckets.create, which is NOT_SUPPORTED.
    const builderRecommendation = distributed.get(builder) as RightsizingResult['recommendation'];
    expect(builderRecommendation.kind).toBe('gcp-predefined-roles');
    expect((builderRecommendation.document as GcpRoleSetJson).roles).toContain(
      'roles/storage.admin',
    );
    const customAlternative = builderRecommendation.alternatives?.[0];
    expect(customAlternative?.kind).toBe('gcp-custom-role');
    expect((customAlternative?.document as GcpCustomRoleJson).includedPermissions).toEqual([
      'storage.objects.list',
    ]);
    expect(distributed.get(builder)).toEqual(embedded.get(builder));

    const finished = service.lines.find((line) => line.msg === 'right-sizing analysis finished');
    expect(finished).toMatchObject({ snapshots: 1, candidateRoles: 3, supportLevels: 3 });
  });
});
