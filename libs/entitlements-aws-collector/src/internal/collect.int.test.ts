import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  evaluateAwsEntitlements,
  parseAwsAuthorizationDetails,
  toPrincipalEntitlements,
  type AwsEntitlementsResult,
  type PrincipalEntitlements,
} from '@ciem/entitlements';
import { repoRoot } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAwsAuthorizationDetails, createAwsIamClient } from './collect.js';

// moto in server mode on loopback only; the SDK must never look for real credentials or the
// instance metadata endpoint.
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
const MOTO_PORT = process.env['CIEM_LOCAL_MOTO_PORT'] ?? '5000';
const ENDPOINT = `http://127.0.0.1:${MOTO_PORT}`;
const testDirectory = path.dirname(fileURLToPath(import.meta.url));

// A random account per run keeps this estate apart from other suites and earlier runs on
// the same moto server, which selects the account from the x-moto-account-id header.
const ACCOUNT = String(100_000_000_000 + Math.floor(Math.random() * 800_000_000_000));

function motoClient(): IAMClient {
  const client = createAwsIamClient({
    endpoint: ENDPOINT,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined) request.headers['x-moto-account-id'] = ACCOUNT;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

const doc = (...statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

async function createEstate(client: IAMClient): Promise<void> {
  await client.send(
    new CreatePolicyCommand({
      PolicyName: 'app-read',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::app/*',
      }),
    }),
  );
  await client.send(
    new CreatePolicyVersionCommand({
      PolicyArn: policyArn('app-read'),
      SetAsDefault: true,
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::app', 'arn:aws:s3:::app/*'],
      }),
    }),
  );
  await client.send(
    new CreatePolicyCommand({
      PolicyName: 'boundary-s3-sqs',
      PolicyDocument: doc({ Effect: 'Allow', Action: ['s3:*', 'sqs:*'], Resource: '*' }),
    }),
  );
  await client.send(
    new CreatePolicyCommand({
      PolicyName: 'iam-versions',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: 'iam:CreatePolicyVersion',
        Resource: `arn:aws:iam::${ACCOUNT}:policy/*`,
      }),
    }),
  );

  await client.send(new CreateGroupCommand({ GroupName: 'devs' }));
  await client.send(
    new PutGroupPolicyCommand({
      GroupName: 'devs',
      PolicyName: 'send',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }),
    }),
  );
  await client.send(
    new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: policyArn('app-read') }),
  );

  // moto 5 ignores a user's PermissionsBoundary (CreateUser drops it and
  // GetAccountAuthorizationDetails returns none), so the boundary sits on a role below.
  await client.send(
    new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'payments' }] }),
  );
  await client.send(
    new PutUserPolicyCommand({
      UserName: 'alice',
      PolicyName: 'deny-delete',
      PolicyDocument: doc(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
      ),
    }),
  );
  await client.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));

  await client.send(new CreateUserCommand({ UserName: 'bob' }));
  await client.send(
    new PutUserPolicyCommand({
      UserName: 'bob',
      PolicyName: 'hop',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: roleArn('deployer'),
      }),
    }),
  );
  await client.send(
    new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: policyArn('iam-versions') }),
  );

  const trust = (principal: string): string =>
    doc({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' });
  await client.send(
    new CreateRoleCommand({
      RoleName: 'deployer',
      AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:root`),
    }),
  );
  await client.send(
    new PutRolePolicyCommand({
      RoleName: 'deployer',
      PolicyName: 'hop',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: roleArn('admin'),
      }),
    }),
  );
  await client.send(
    new CreateRoleCommand({
      RoleName: 'admin',
      AssumeRolePolicyDocument: trust(roleArn('deployer')),
      Tags: [{ Key: 'owner', Value: 'platform' }],
    }),
  );
  await client.send(
    new PutRolePolicyCommand({
      RoleName: 'admin',
      PolicyName: 'all',
      PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    }),
  );
  await client.send(
    new CreateRoleCommand({
      RoleName: 'ci',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'codebuild.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
      PermissionsBoundary: policyArn('boundary-s3-sqs'),
    }),
  );
  await client.send(
    new PutRolePolicyCommand({
      RoleName: 'ci',
      PolicyName: 'build',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['s3:PutObject', 'ec2:RunInstances'],
        Resource: '*',
      }),
    }),
  );
  await client.send(
    new CreateRoleCommand({
      RoleName: 'partner',
      AssumeRolePolicyDocument: trust('arn:aws:iam::444455556666:root'),
    }),
  );
  await client.send(
    new PutRolePolicyCommand({
      RoleName: 'partner',
      PolicyName: 'describe',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: 'ec2:Describe*',
        Resource: '*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
    }),
  );
}

/** Expanded principals keyed by id, grants sorted, for comparison. */
function comparable(result: AwsEntitlementsResult): Map<string, PrincipalEntitlements> {
  const byId = new Map<string, PrincipalEntitlements>();
  for (const principal of result.principals) {
    const expanded = toPrincipalEntitlements(principal);
    expanded.grants.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expanded.findings.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    byId.set(principal.principal_id, expanded);
  }
  return byId;
}

describe('collectAwsAuthorizationDetails against moto', () => {
  let client: IAMClient;

  beforeAll(() => {
    // Idempotent: installs and starts moto only when it is not already running.
    execFileSync('bash', [path.join(repoRoot, 'deploy/local/moto.sh'), 'install'], {
      stdio: 'inherit',
    });
    execFileSync('bash', [path.join(repoRoot, 'deploy/local/moto.sh'), 'start'], {
      stdio: 'inherit',
    });
    client = motoClient();
  });

  afterAll(() => {
    client?.destroy();
  });

  it('matches the same estate read from file', async () => {
    await createEstate(client);

    const pages = await collectAwsAuthorizationDetails({ client, pageSize: 2, sourceName: 'moto' });
    // moto 5 returns the whole estate in one page and ignores MaxItems, so the Marker
    // loop is tested with a fake sender in collect.test.ts.
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const collected = parseAwsAuthorizationDetails(pages);
    const fromApi = comparable(evaluateAwsEntitlements(collected));

    const text = readFileSync(
      path.join(testDirectory, 'fixtures', 'estate.cli.json'),
      'utf8',
    ).replaceAll('ACCOUNT_ID', ACCOUNT);
    const fromFile = comparable(
      evaluateAwsEntitlements(
        parseAwsAuthorizationDetails([{ source: 'estate.cli.json', value: JSON.parse(text) }]),
      ),
    );

    expect([...fromApi.keys()].sort()).toEqual([...fromFile.keys()].sort());
    for (const [id, expected] of fromFile) {
      expect(fromApi.get(id), id).toEqual(expected);
    }
    // Known results of the estate. Alice keeps s3 except DeleteBucket and gets sqs from her
    // group. The boundary leaves role ci s3 but not ec2. Bob reaches admin through deployer.
    const alice = fromFile.get(`arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(alice?.grants.some((grant) => grant.permission === 's3:DeleteBucket')).toBe(false);
    expect(alice?.grants.some((grant) => grant.permission === 's3:GetObject')).toBe(true);
    expect(fromFile.get(roleArn('ci'))?.grants.map((grant) => grant.permission)).toEqual([
      's3:PutObject',
    ]);
    expect(alice?.grants.some((grant) => grant.permission === 'sqs:SendMessage')).toBe(true);
    expect(alice?.tags).toEqual({ team: 'payments' });
    const bob = fromFile.get(`arn:aws:iam::${ACCOUNT}:user/bob`);
    expect(bob?.findings.map((finding) => finding.path)).toContainEqual([
      `arn:aws:iam::${ACCOUNT}:user/bob`,
      roleArn('deployer'),
      roleArn('admin'),
    ]);
  });
});
