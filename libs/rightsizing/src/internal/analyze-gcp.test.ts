import type { ExportDocument } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { analyzeRightsizing } from './analyze.js';
import { candidateRolesFromExports, gcpCustomRoleSupportFromExports } from './candidate-roles.js';
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

// "Roles and permissions" (https://cloud.google.com/iam/docs/roles-overview): a role's
// permissions are those its definition includes, so without the definition they are unknown.
// "Configure Data Access audit logs"
// (https://cloud.google.com/logging/docs/audit/configure-data-access): Data Access audit logs
// are disabled by default for all services except some BigQuery services, so whether an
// unknown permission's use is logged is unknown too. The role can be neither called unused
// nor removed.
describe('GCP binding of a role the export does not define', () => {
  const mixed = `serviceAccount:mixed@${GCP_PROJECT}.iam.gserviceaccount.com`;
  const exports = projectExports([
    { role: 'roles/storage.objectViewer', members: [mixed] },
    { role: 'roles/compute.instanceAdmin', members: [mixed] },
    { role: 'roles/legacyThing', members: [mixed] },
  ]);
  // The object read is explained by roles/storage.objectViewer, so no use is left for
  // roles/legacyThing.
  const [result] = analyzeRightsizing(
    {
      principals: evaluate(exports, ['CIEM_ENTITLEMENTS_UNKNOWN_ROLE']),
      usage: [
        usageRow('gcp', GCP_PROJECT, mixed, 'storage.objects.get', { visibility: 'data-event' }),
        usageRow('gcp', GCP_PROJECT, mixed, 'compute.instances.start'),
      ],
    },
    { windowEnd: WINDOW_END, candidateRoles: candidateRolesFromExports(exports) },
  );

  it('reports role as not assessable', () => {
    expect(result?.unused.map((entry) => entry.permission)).not.toContain('roles/legacyThing');
    expect(result?.unobservable).toContainEqual({
      permission: 'roles/legacyThing',
      reason: 'role-not-defined',
    });
  });

  it('keeps role out of removals', () => {
    expect(result?.recommendation.removes).not.toContain('roles/legacyThing');
    for (const alternative of result?.recommendation.alternatives ?? []) {
      expect(alternative.extra_permissions).not.toContain('roles/legacyThing');
    }
  });

  it('keeps role name out of custom role', () => {
    const documents = [
      result?.recommendation.document,
      ...(result?.recommendation.alternatives ?? []).map((alternative) => alternative.document),
    ];
    for (const document of documents) {
      if (document !== null && document !== undefined && 'includedPermissions' in document) {
        expect(document.includedPermissions).not.toContain('roles/legacyThing');
      }
    }
  });

  it('notes why role is kept', () => {
    const notes = result?.recommendation.notes ?? [];
    expect(notes.some((note) => note.includes('roles/legacyThing'))).toBe(true);
  });
});

// IAM v1 `Permission.CustomRolesSupportLevel`
// (https://cloud.google.com/java/docs/reference/google-iam-admin/3.24.0/com.google.iam.admin.v1.Permission.CustomRolesSupportLevel):
// a NOT_SUPPORTED permission is not supported for custom role use, so a custom role that
// includes it cannot be created. TESTING means the permission is still being tested for custom
// role use, and "Create and manage custom roles"
// (https://cloud.google.com/iam/docs/creating-custom-roles) lists the permissions available
// for custom roles with `customRolesSupportLevel!=NOT_SUPPORTED`, which includes TESTING. A
// permission without the field is SUPPORTED. The levels below are set for the test.
describe('GCP custom role support levels', () => {
  const app = `serviceAccount:support@${GCP_PROJECT}.iam.gserviceaccount.com`;
  const publisher = `serviceAccount:publisher@${GCP_PROJECT}.iam.gserviceaccount.com`;
  const testablePermissions = {
    permissions: [
      { name: 'compute.instances.list', title: 'List instances', stage: 'GA' },
      {
        name: 'compute.instances.start',
        title: 'Start instance',
        stage: 'GA',
        customRolesSupportLevel: 'TESTING',
      },
      {
        name: 'storage.objects.get',
        title: 'Get object',
        stage: 'GA',
        customRolesSupportLevel: 'NOT_SUPPORTED',
      },
      {
        name: 'pubsub.topics.publish',
        title: 'Publish to topic',
        stage: 'GA',
        customRolesSupportLevel: 'NOT_SUPPORTED',
      },
      { name: 'storage.buckets.create', title: 'Create bucket', stage: 'GA' },
    ],
  };
  const exports: ExportDocument[] = [
    ...projectExports([
      { role: 'roles/storage.admin', members: [app] },
      { role: 'roles/compute.instanceAdmin', members: [app] },
      { role: `projects/${GCP_PROJECT}/roles/publisher`, members: [publisher] },
      { role: 'roles/storage.admin', members: [publisher] },
    ]),
    {
      source: 'custom-roles.json',
      value: [
        {
          name: `projects/${GCP_PROJECT}/roles/publisher`,
          title: 'Publisher',
          stage: 'GA',
          includedPermissions: ['pubsub.topics.publish'],
        },
      ],
    },
    { source: 'testable-permissions.json', value: testablePermissions },
  ];
  const usage = [
    usageRow('gcp', GCP_PROJECT, app, 'storage.objects.get', { visibility: 'data-event' }),
    usageRow('gcp', GCP_PROJECT, app, 'compute.instances.start'),
    usageRow('gcp', GCP_PROJECT, publisher, 'pubsub.topics.publish', { visibility: 'data-event' }),
    usageRow('gcp', GCP_PROJECT, publisher, 'storage.buckets.create'),
    // Another principal's object write shows that DATA_WRITE logs are on for storage.
    usageRow(
      'gcp',
      GCP_PROJECT,
      `serviceAccount:uploader@${GCP_PROJECT}.iam.gserviceaccount.com`,
      'storage.objects.create',
      { visibility: 'data-event' },
    ),
  ];
  const analyzeWith = (withLevels: boolean): RightsizingResult[] => {
    const support = gcpCustomRoleSupportFromExports(exports);
    return analyzeRightsizing(
      { principals: evaluate(exports), usage },
      {
        windowEnd: WINDOW_END,
        candidateRoles: candidateRolesFromExports(exports),
        maxExtraPermissions: 0,
        ...(withLevels && support !== undefined ? { gcpCustomRoleSupport: support } : {}),
      },
    );
  };
  const checked = analyzeWith(true);

  it('leaves unsupported permission out', () => {
    const result = resultOf(checked, app);
    expect(result.recommendation.kind).toBe('gcp-custom-role');
    expect((result.recommendation.document as GcpCustomRoleJson).includedPermissions).toEqual([
      'compute.instances.list',
      'compute.instances.start',
    ]);
  });

  it('covers unsupported permission with predefined role', () => {
    const result = resultOf(checked, app);
    const expected: GcpRoleSetJson = {
      roles: ['roles/storage.objectViewer'],
      extra_permissions: 1,
      approximate: true,
    };
    expect(result.recommendation.additional_documents).toEqual([expected]);
    // roles/storage.objectViewer grants storage.objects.list again, so it is not removed.
    expect(result.recommendation.removes).not.toContain('storage.objects.list');
    expect(result.recommendation.removes).toContain('storage.objects.delete');
    const notes = result.recommendation.notes ?? [];
    expect(
      notes.some(
        (note) =>
          note.includes('NOT_SUPPORTED') &&
          note.includes('storage.objects.get') &&
          note.includes('roles/storage.objectViewer'),
      ),
    ).toBe(true);
  });

  it('keeps testing permission with note', () => {
    const result = resultOf(checked, app);
    const notes = result.recommendation.notes ?? [];
    expect(
      notes.some((note) => note.includes('TESTING') && note.includes('compute.instances.start')),
    ).toBe(true);
  });

  it('names unsupported permission without cover', () => {
    const result = resultOf(checked, publisher);
    const document = result.recommendation.document as GcpCustomRoleJson;
    expect(document.includedPermissions).toEqual(['storage.buckets.create']);
    expect(result.recommendation.additional_documents).toBeUndefined();
    const notes = result.recommendation.notes ?? [];
    expect(
      notes.some(
        (note) => note.includes('pubsub.topics.publish') && note.includes('no predefined role'),
      ),
    ).toBe(true);
  });

  it('says when levels are missing', () => {
    const unchecked = resultOf(analyzeWith(false), app);
    const alternative = unchecked.recommendation.alternatives?.[0];
    const custom =
      unchecked.recommendation.kind === 'gcp-custom-role'
        ? unchecked.recommendation.document
        : alternative?.document;
    expect((custom as GcpCustomRoleJson).includedPermissions).toEqual([
      'compute.instances.list',
      'compute.instances.start',
      'storage.objects.get',
    ]);
    const notes = unchecked.recommendation.notes ?? [];
    expect(notes.some((note) => note.includes('customRolesSupportLevel'))).toBe(true);
  });
});

// "Pub/Sub audit logging" (https://cloud.google.com/pubsub/docs/audit-logging): no Data
// Access audit logs for message operations such as Publish, Subscribe and Acknowledge.
// "Cloud Bigtable API audit logging" (https://cloud.google.com/bigtable/docs/audit-logging):
// ReadRows is DATA_READ, MutateRows checks bigtable.tables.mutateRows - DATA_WRITE.
describe('GCP data-plane grants never removed unseen', () => {
  const worker = `serviceAccount:worker@${GCP_PROJECT}.iam.gserviceaccount.com`;
  const reader = `serviceAccount:reader@${GCP_PROJECT}.iam.gserviceaccount.com`;
  const exports: ExportDocument[] = [
    {
      source: 'iam-policies.ndjson',
      line: 1,
      value: {
        name: `//cloudresourcemanager.googleapis.com/projects/${GCP_PROJECT}`,
        asset_type: 'cloudresourcemanager.googleapis.com/Project',
        iam_policy: {
          bindings: [{ role: `projects/${GCP_PROJECT}/roles/worker`, members: [worker] }],
        },
      },
    },
    {
      source: 'roles.json',
      value: [
        {
          name: `projects/${GCP_PROJECT}/roles/worker`,
          title: 'Worker',
          stage: 'GA',
          includedPermissions: [
            'bigtable.tables.mutateRows',
            'bigtable.tables.readRows',
            'pubsub.subscriptions.consume',
            'pubsub.topics.create',
            'pubsub.topics.publish',
          ],
        },
      ],
    },
  ];

  it('reports data-plane grants unobservable', () => {
    const [result] = analyzeRightsizing(
      {
        principals: evaluate(exports),
        usage: [usageRow('gcp', GCP_PROJECT, worker, 'pubsub.topics.create')],
      },
      { windowEnd: WINDOW_END },
    );
    expect(result?.unused).toEqual([]);
    expect(result?.unobservable).toEqual([
      { permission: 'bigtable.tables.mutateRows', reason: 'data-event-not-enabled' },
      { permission: 'bigtable.tables.readRows', reason: 'data-event-not-enabled' },
      { permission: 'pubsub.subscriptions.consume', reason: 'not-logged' },
      { permission: 'pubsub.topics.publish', reason: 'not-logged' },
    ]);
  });

  it('row reads seen leave mutations unobservable', () => {
    const [result] = analyzeRightsizing(
      {
        principals: evaluate(exports),
        usage: [
          usageRow('gcp', GCP_PROJECT, worker, 'pubsub.topics.create'),
          usageRow('gcp', GCP_PROJECT, reader, 'bigtable.tables.readRows', {
            visibility: 'data-event',
          }),
        ],
      },
      { windowEnd: WINDOW_END },
    );
    expect(result?.unused.map((entry) => entry.permission)).toEqual(['bigtable.tables.readRows']);
    expect(result?.unobservable).toContainEqual({
      permission: 'bigtable.tables.mutateRows',
      reason: 'data-event-not-enabled',
    });
  });
});
