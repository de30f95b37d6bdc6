import type { ExportDocument } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { analyzeRightsizing } from './analyze.js';
import { candidateRolesFromExports } from './candidate-roles.js';
import { GCP_PROJECT, WINDOW_END, evaluate, usageRow } from './testing/fixtures.js';
import type { GcpCustomRoleJson, GcpRoleSetJson, RightsizingResult } from './types.js';

const APP = `serviceAccount:app@${GCP_PROJECT}.iam.gserviceaccount.com`;
const LEGACY = `serviceAccount:legacy@${GCP_PROJECT}.iam.gserviceaccount.com`;

const roles = [
  {
    name: 'roles/storage.objectViewer',
    title: 'Storage Object Viewer',
    stage: 'GA',
    includedPermissions: ['storage.objects.get', 'storage.objects.list'],
  },
  {
    name: 'roles/storage.admin',
    title: 'Storage Admin',
    stage: 'GA',
    includedPermissions: [
      'storage.buckets.create',
      'storage.buckets.delete',
      'storage.buckets.setIamPolicy',
      'storage.objects.delete',
      'storage.objects.get',
      'storage.objects.list',
    ],
  },
  {
    name: 'roles/compute.instanceAdmin',
    title: 'Compute Instance Admin',
    stage: 'GA',
    includedPermissions: [
      'compute.instances.list',
      'compute.instances.start',
      'compute.instances.stop',
    ],
  },
];

/** Builds the exports of the project with `bindings` in its IAM policy, and the roles. */
function projectExports(bindings: unknown[]): ExportDocument[] {
  return [
    {
      source: 'iam-policies.ndjson',
      line: 1,
      value: {
        name: `//cloudresourcemanager.googleapis.com/projects/${GCP_PROJECT}`,
        asset_type: 'cloudresourcemanager.googleapis.com/Project',
        iam_policy: { bindings },
      },
    },
    { source: 'roles.json', value: roles },
  ];
}

const documents = projectExports([
  { role: 'roles/storage.admin', members: [APP] },
  { role: 'roles/compute.instanceAdmin', members: [APP] },
  { role: 'roles/legacyThing', members: [LEGACY] },
]);

const principals = evaluate(documents, ['CIEM_ENTITLEMENTS_UNKNOWN_ROLE']);
const usage = [
  usageRow('gcp', GCP_PROJECT, APP, 'storage.objects.get', { visibility: 'data-event' }),
  usageRow('gcp', GCP_PROJECT, APP, 'compute.instances.start'),
  usageRow('gcp', GCP_PROJECT, LEGACY, 'pubsub.topics.publish'),
  // Another principal's object write shows that DATA_WRITE logs are on for storage.
  usageRow(
    'gcp',
    GCP_PROJECT,
    `serviceAccount:uploader@${GCP_PROJECT}.iam.gserviceaccount.com`,
    'storage.objects.create',
    { visibility: 'data-event' },
  ),
];

function analyze(maxExtraPermissions?: number): RightsizingResult[] {
  return analyzeRightsizing(
    { principals, usage },
    {
      windowEnd: WINDOW_END,
      candidateRoles: candidateRolesFromExports(documents),
      ...(maxExtraPermissions === undefined ? {} : { maxExtraPermissions }),
    },
  );
}

function resultOf(results: RightsizingResult[], id: string): RightsizingResult {
  const result = results.find((entry) => entry.principal_id === id);
  if (result === undefined) throw new Error(`no result for ${id}`);
  return result;
}

describe('analyzeRightsizing on GCP grants', () => {
  const app = resultOf(analyze(), APP);

  it('classifies unused and unobservable', () => {
    expect(app.unused).toEqual([
      { permission: 'storage.buckets.setIamPolicy', risk: 'escalation', service: 'storage' },
      { permission: 'compute.instances.stop', risk: 'write', service: 'compute' },
      { permission: 'storage.buckets.create', risk: 'write', service: 'storage' },
      { permission: 'storage.buckets.delete', risk: 'write', service: 'storage' },
      { permission: 'storage.objects.delete', risk: 'write', service: 'storage' },
      { permission: 'storage.objects.list', risk: 'list', service: 'storage' },
    ]);
    // Data Access logs show for storage in the project, not for compute.
    expect(app.unobservable).toEqual([
      { permission: 'compute.instances.list', reason: 'data-event-not-enabled' },
    ]);
  });

  it('covers use with predefined roles', () => {
    expect(app.recommendation.kind).toBe('gcp-predefined-roles');
    const expected: GcpRoleSetJson = {
      roles: ['roles/compute.instanceAdmin', 'roles/storage.objectViewer'],
      extra_permissions: 2,
      approximate: true,
    };
    expect(app.recommendation.document).toEqual(expected);
    expect(app.recommendation.removes).toEqual([
      'storage.buckets.create',
      'storage.buckets.delete',
      'storage.buckets.setIamPolicy',
      'storage.objects.delete',
    ]);
  });

  it('reports custom role as alternative', () => {
    const alternative = app.recommendation.alternatives?.[0];
    expect(alternative?.kind).toBe('gcp-custom-role');
    expect((alternative?.document as GcpCustomRoleJson).includedPermissions).toEqual([
      'compute.instances.list',
      'compute.instances.start',
      'storage.objects.get',
    ]);
  });

  it('prefers custom role past extra limit', () => {
    const strict = resultOf(analyze(1), APP);
    expect(strict.recommendation.kind).toBe('gcp-custom-role');
    expect(strict.recommendation.removes).toEqual([
      'compute.instances.stop',
      'storage.buckets.create',
      'storage.buckets.delete',
      'storage.buckets.setIamPolicy',
      'storage.objects.delete',
      'storage.objects.list',
    ]);
    expect(strict.recommendation.alternatives?.[0]?.extra_permissions).toEqual([
      'compute.instances.stop',
      'storage.objects.list',
    ]);
  });

  it('undefined role counts as partially used', () => {
    const legacy = resultOf(analyze(), LEGACY);
    expect(legacy.used).toEqual([
      {
        permission: 'roles/legacyThing',
        last_used: WINDOW_END - 86_400_000,
        count: 1,
        partially_used: true,
        matched: ['pubsub.topics.publish'],
      },
    ]);
    expect(legacy.recommendation.kind).toBe('none');
  });
});

describe('GCP recommendations from conditional bindings', () => {
  it('notes conditional bindings', () => {
    const guarded = `serviceAccount:guarded@${GCP_PROJECT}.iam.gserviceaccount.com`;
    const conditional = projectExports([
      {
        role: 'roles/storage.admin',
        members: [guarded],
        condition: {
          title: 'office hours',
          expression: 'request.time.getHours("Europe/Berlin") < 18',
        },
      },
    ]);
    const [result] = analyzeRightsizing(
      {
        principals: evaluate(conditional),
        usage: [usageRow('gcp', GCP_PROJECT, guarded, 'storage.objects.get')],
      },
      { windowEnd: WINDOW_END, candidateRoles: candidateRolesFromExports(conditional) },
    );
    const notes = result?.recommendation.notes ?? [];
    expect(notes.some((note) => note.includes('IAM bindings'))).toBe(true);
    expect(notes.some((note) => note.includes('storage.objects.get'))).toBe(true);
  });
});

// "Configure Data Access audit logs" (https://cloud.google.com/logging/docs/audit/configure-data-access):
// ADMIN_READ, DATA_READ and DATA_WRITE are enabled separately. "Cloud Audit Logs with Cloud
// Storage" (https://cloud.google.com/storage/docs/audit-logging): reading an object is
// DATA_READ, and creating or modifying one is DATA_WRITE.
describe('GCP data access log types', () => {
  it('object reads leave writes unobservable', () => {
    const reader = `serviceAccount:reader@${GCP_PROJECT}.iam.gserviceaccount.com`;
    const exports = projectExports([{ role: 'roles/storage.admin', members: [reader] }]);
    const [result] = analyzeRightsizing(
      {
        principals: evaluate(exports),
        usage: [
          usageRow('gcp', GCP_PROJECT, reader, 'storage.objects.get', {
            visibility: 'data-event',
          }),
        ],
      },
      { windowEnd: WINDOW_END },
    );
    expect(result?.unused.map((entry) => entry.permission)).not.toContain('storage.objects.delete');
    expect(result?.unobservable).toContainEqual({
      permission: 'storage.objects.delete',
      reason: 'data-event-not-enabled',
    });
    // Listing objects is DATA_READ like the logged read, so its absence is observable.
    expect(result?.unused.map((entry) => entry.permission)).toContain('storage.objects.list');
  });
});
