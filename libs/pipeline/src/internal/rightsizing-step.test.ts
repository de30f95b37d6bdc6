import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatRightsizingTop, runEmbedded } from '../index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const ACCOUNT = '111122223333';

function user(name: string, actions: string[]): Record<string, unknown> {
  return {
    Path: '/',
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    CreateDate: '2024-01-01T00:00:00+00:00',
    UserPolicyList: [
      {
        PolicyName: name,
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
        },
      },
    ],
    GroupList: [],
    AttachedManagedPolicies: [],
    Tags: [{ Key: 'team', Value: 'identity' }],
  };
}

describe('runEmbedded with grants', () => {
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-rightsizing-step-'));
  });

  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('writes recommendations and reports', async () => {
    // In the CloudTrail fixture alice lists a bucket (s3:ListBucket) and is denied
    // iam:CreateUser, which is an attempt and not use. bob appears in no log.
    const grants = path.join(workDir, 'authorization-details.json');
    await writeFile(
      grants,
      JSON.stringify({
        UserDetailList: [
          user('alice', ['s3:ListBucket', 'iam:CreateUser', 'iam:DeleteUser']),
          user('bob', ['iam:ListUsers']),
        ],
        GroupDetailList: [],
        RoleDetailList: [],
        Policies: [],
      }),
    );
    const outputDir = path.join(workDir, 'out');
    const summary = await runEmbedded({
      inputs: [path.join(fixtures, 'cloudtrail-delivery.json')],
      outputDir,
      grants: [grants],
      now: () => Date.UTC(2024, 4, 2),
    });

    const lines = (await readFile(path.join(outputDir, 'recommendations.ndjson'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.principal_id, line.status])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:user/alice`, 'active'],
      [`arn:aws:iam::${ACCOUNT}:user/bob`, 'never-used'],
    ]);
    const alice = lines[0] as { recommendation: { removes: string[] }; window: { end: number } };
    expect(alice.recommendation.removes).toEqual(['iam:CreateUser', 'iam:DeleteUser']);
    // The window ends just after the last event read, not at the clock.
    expect(alice.window.end).toBe(Date.parse('2024-05-01T09:16:00Z') + 1);

    const overview = JSON.parse(
      await readFile(path.join(outputDir, 'recommendations.json'), 'utf8'),
    ) as { accounts: { key: string; principals: number }[]; teams: { key: string }[] };
    expect(overview.accounts).toMatchObject([{ key: `aws:${ACCOUNT}`, principals: 2 }]);
    expect(overview.teams.map((team) => team.key)).toEqual(['identity']);
    expect((await readdir(path.join(outputDir, 'reports'))).length).toBeGreaterThan(0);

    expect(summary.rightsizing?.top.map((entry) => entry.status)).toEqual(['never-used', 'active']);
    const printed = formatRightsizingTop(summary.rightsizing ?? ({} as never));
    expect(printed).toContain('remove the principal');
    expect(printed).toContain('remove 2: iam:CreateUser, iam:DeleteUser');
  });

  // IAM v1 `Permission.CustomRolesSupportLevel`: a NOT_SUPPORTED permission is not supported
  // for custom role use
  // (https://cloud.google.com/java/docs/reference/google-iam-admin/3.24.0/com.google.iam.admin.v1.Permission.CustomRolesSupportLevel).
  // The level of compute.instances.create is set for the test.
  it('passes GCP support levels from files', async () => {
    const deployer = 'serviceAccount:deployer@demo-project.iam.gserviceaccount.com';
    const policies = path.join(workDir, 'iam-policies.ndjson');
    await writeFile(
      policies,
      `${JSON.stringify({
        name: '//cloudresourcemanager.googleapis.com/projects/demo-project',
        asset_type: 'cloudresourcemanager.googleapis.com/Project',
        iam_policy: { bindings: [{ role: 'roles/compute.instanceAdmin', members: [deployer] }] },
      })}\n`,
    );
    const roles = path.join(workDir, 'roles.json');
    await writeFile(
      roles,
      JSON.stringify([
        {
          name: 'roles/compute.instanceAdmin',
          title: 'Compute Instance Admin',
          stage: 'GA',
          includedPermissions: ['compute.instances.create', 'compute.instances.delete'],
        },
      ]),
    );
    const testable = path.join(workDir, 'testable-permissions.json');
    await writeFile(
      testable,
      JSON.stringify({
        permissions: [
          {
            name: 'compute.instances.create',
            title: 'Create instance',
            stage: 'GA',
            customRolesSupportLevel: 'NOT_SUPPORTED',
          },
          { name: 'compute.instances.delete', title: 'Delete instance', stage: 'GA' },
        ],
      }),
    );
    const outputDir = path.join(workDir, 'out');
    await runEmbedded({
      inputs: [path.join(fixtures, 'gcp-audit.json')],
      outputDir,
      grants: [policies, roles, testable],
      now: () => Date.UTC(2024, 4, 2),
    });

    const lines = (await readFile(path.join(outputDir, 'recommendations.ndjson'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const result = lines.find((line) => line.principal_id === deployer) as
      | {
          recommendation: {
            notes?: string[];
            alternatives?: { kind: string; document: { includedPermissions?: string[] } }[];
          };
        }
      | undefined;
    const custom = result?.recommendation.alternatives?.find(
      (alternative) => alternative.kind === 'gcp-custom-role',
    );
    expect(custom?.document.includedPermissions).toEqual([]);
    const notes = result?.recommendation.notes ?? [];
    expect(
      notes.some(
        (note) =>
          note.includes('NOT_SUPPORTED') &&
          note.includes('compute.instances.create') &&
          note.includes('create no custom role'),
      ),
    ).toBe(true);
  });
});
