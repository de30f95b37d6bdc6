import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFile, classifyFiles } from './input-files.js';

// Small files in the providers' documented formats.
const cloudTrailRecord = {
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' },
  eventTime: '2024-05-01T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'ListBuckets',
  eventID: 'e-1',
};
const authorizationDetails = {
  UserDetailList: [
    {
      UserName: 'alice',
      UserId: 'AIDAEXAMPLE',
      Arn: 'arn:aws:iam::111122223333:user/alice',
      UserPolicyList: [],
      AttachedManagedPolicies: [],
      GroupList: [],
    },
  ],
  GroupDetailList: [],
  RoleDetailList: [],
  Policies: [],
};
const roleAssignments = [
  {
    principalId: '00000000-0000-4000-8000-000000000001',
    principalType: 'User',
    roleDefinitionId:
      '/subscriptions/00000000-0000-4000-8000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
    scope: '/subscriptions/00000000-0000-4000-8000-0000000000aa',
  },
];
// Azure Activity Log records carry `properties` too, as role assignments do.
const azureActivity = {
  time: '2024-05-01T10:00:00Z',
  resourceId: '/SUBSCRIPTIONS/00000000-0000-4000-8000-0000000000AA',
  operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
  category: 'Administrative',
  properties: { statusCode: 'Created' },
};
const gcpPolicyLine = {
  name: '//cloudresourcemanager.googleapis.com/projects/shop',
  asset_type: 'cloudresourcemanager.googleapis.com/Project',
  iam_policy: { bindings: [{ role: 'roles/viewer', members: ['user:a@example.com'] }] },
};
const groundTruth = { seed: '1', start: '2024-01-01T00:00:00.000Z', principals: [], attacks: [] };

describe('classifyFile', () => {
  let dir: string;
  const file = async (name: string, content: string | Buffer): Promise<string> => {
    const full = path.join(dir, name);
    await writeFile(full, content);
    return full;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ciem-input-files-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads CloudTrail deliveries as logs', async () => {
    const plain = await file('trail.json', JSON.stringify({ Records: [cloudTrailRecord] }));
    const zipped = await file(
      'trail.json.gz',
      gzipSync(JSON.stringify({ Records: [cloudTrailRecord] })),
    );
    expect(await classifyFile(plain)).toBe('log');
    expect(await classifyFile(zipped)).toBe('log');
  });

  it('reads Azure activity NDJSON as logs', async () => {
    const lines = `${JSON.stringify(azureActivity)}\n${JSON.stringify(azureActivity)}\n`;
    expect(await classifyFile(await file('activity.ndjson', lines))).toBe('log');
  });

  it('recognizes each provider export', async () => {
    const aws = await file('authorization-details.json', JSON.stringify(authorizationDetails));
    const azure = await file('role-assignments.json', JSON.stringify(roleAssignments, null, 2));
    const gcp = await file('iam-policies.ndjson', `${JSON.stringify(gcpPolicyLine)}\n`);
    expect(await classifyFile(aws)).toBe('grants');
    expect(await classifyFile(azure)).toBe('grants');
    expect(await classifyFile(gcp)).toBe('grants');
  });

  it('keeps exports with unknown records', async () => {
    // Predefined GCP roles as `gcloud iam roles list --format=json` lines: a deprecated role
    // may list no permissions at all.
    const lines = [
      { name: 'roles/viewer', title: 'Viewer', includedPermissions: ['compute.instances.get'] },
      { name: 'roles/old', title: 'Old', stage: 'DEPRECATED', etag: 'AA==' },
    ];
    const roles = await file('roles.ndjson', lines.map((line) => JSON.stringify(line)).join('\n'));
    expect(await classifyFile(roles)).toBe('grants');
  });

  it('rejects REST examples holding logs', async () => {
    // An ARM REST example of the Activity Log: `responses` as in RBAC examples, with the
    // activity records nested in `body.value`.
    const example = {
      parameters: { 'api-version': '2015-04-01' },
      responses: {
        200: {
          body: {
            value: [
              {
                ...azureActivity,
                operationName: { value: 'Microsoft.Resources/checkPolicyCompliance/read' },
              },
            ],
          },
        },
      },
    };
    const logs = await file('GetActivityLogs.json', JSON.stringify(example));
    expect(await classifyFile(logs)).toBe('unknown');
  });

  it('recognizes the simulator ground truth', async () => {
    const truth = await file('ground-truth.json', JSON.stringify(groundTruth, null, 2));
    expect(await classifyFile(truth)).toBe('simulator');
  });

  it('keeps a log among export lines', async () => {
    // One CloudTrail record after an export line: the file holds a log record, so it is
    // read as a log and no record is lost.
    const mixed = `${JSON.stringify(gcpPolicyLine)}\n${JSON.stringify(cloudTrailRecord)}\n`;
    expect(await classifyFile(await file('mixed.ndjson', mixed))).toBe('log');
  });

  it('leaves unknown and broken files unknown', async () => {
    const other = await file('other.json', JSON.stringify({ hello: 'world' }));
    const broken = await file('broken.json', '{"UserDetailList": [');
    expect(await classifyFile(other)).toBe('unknown');
    expect(await classifyFile(broken)).toBe('unknown');
  });

  it('sorts many files by kind', async () => {
    const log = await file('a-trail.json', JSON.stringify({ Records: [cloudTrailRecord] }));
    const grants = await file('b-details.json', JSON.stringify(authorizationDetails));
    const truth = await file('c-truth.json', JSON.stringify(groundTruth));
    const other = await file('d-other.json', '{"x":1}');
    expect(await classifyFiles([log, grants, truth, other])).toEqual({
      log: [log],
      grants: [grants],
      simulator: [truth],
      unknown: [other],
    });
  });
});
