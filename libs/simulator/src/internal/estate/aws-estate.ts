import { AWS_GROUPS } from '../catalog/aws-catalog.js';
import { awsManagedPolicy, awsManagedPolicyArn, isActionAllowed } from '../catalog/aws-policies.js';
import type { AwsPolicyDocument, AwsStatement } from '../catalog/aws-policies.js';
import type { ApiCall, PermissionGroup } from '../catalog/types.js';
import { Prng } from '../prng.js';
import {
  activityWindowFor,
  coverageOf,
  humanIps,
  personName,
  profileFor,
  workloadIps,
} from './common.js';
import type { AwsAccount, AwsCustomerPolicy, AwsIamGroup, Principal } from './model.js';

interface AwsArchetype {
  readonly name: string;
  readonly kind: 'user' | 'role';
  readonly assumedBy?: 'user' | 'service' | 'web-identity' | 'cross-account';
  readonly service?: string;
  readonly uses: readonly string[];
  readonly broadGroups?: readonly string[];
  readonly broadManaged?: readonly string[];
  readonly broadInline?: readonly string[];
}

/** Archetypes in the order they are dealt out; the first ones matter for small estates. */
const ARCHETYPES: readonly AwsArchetype[] = [
  {
    name: 'platform-admin',
    kind: 'user',
    uses: [
      'ec2-read',
      'ec2-write',
      'iam-read',
      'iam-admin',
      'cloudtrail-read',
      's3-read',
      'sts-assume',
    ],
    broadGroups: ['Admins'],
  },
  {
    name: 'lambda-worker',
    kind: 'role',
    assumedBy: 'service',
    service: 'lambda.amazonaws.com',
    uses: ['dynamodb-read', 'dynamodb-write', 'sqs', 'kms-use', 'ssm-read'],
    broadManaged: [
      'AWSLambdaBasicExecutionRole',
      'AmazonDynamoDBFullAccess',
      'AmazonSQSFullAccess',
      'AmazonSSMReadOnlyAccess',
      'AmazonS3FullAccess',
    ],
    broadInline: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
  },
  {
    name: 'developer',
    kind: 'user',
    uses: [
      's3-read',
      's3-write',
      'lambda-read',
      'lambda-write',
      'dynamodb-read',
      'ec2-read',
      'sts-assume',
    ],
    broadGroups: ['Developers'],
  },
  {
    name: 'admin-role',
    kind: 'role',
    assumedBy: 'user',
    uses: ['iam-read', 'ec2-read', 'ec2-write', 'cloudtrail-read', 's3-read'],
    broadManaged: ['AdministratorAccess'],
  },
  {
    name: 'ci-deployer',
    kind: 'role',
    assumedBy: 'web-identity',
    uses: ['ecr-pull', 'ecr-push', 'lambda-read', 'lambda-write', 's3-read', 's3-write'],
    broadManaged: ['PowerUserAccess'],
  },
  {
    name: 'analyst',
    kind: 'user',
    uses: ['s3-read', 'dynamodb-read', 'kms-use'],
    broadGroups: ['Analysts'],
    broadInline: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
  },
  {
    name: 'app-instance',
    kind: 'role',
    assumedBy: 'service',
    service: 'ec2.amazonaws.com',
    uses: ['s3-read', 's3-write', 'ssm-read', 'secrets-read'],
    broadManaged: [
      'AmazonS3FullAccess',
      'AmazonSSMReadOnlyAccess',
      'SecretsManagerReadWrite',
      'CloudWatchLogsFullAccess',
    ],
  },
  {
    name: 'auditor',
    kind: 'user',
    uses: ['iam-read', 'cloudtrail-read', 'ec2-read', 'kms-read'],
    broadGroups: ['Auditors'],
  },
  {
    name: 'security-audit',
    kind: 'role',
    assumedBy: 'cross-account',
    uses: ['iam-read', 'cloudtrail-read', 'ec2-read'],
    broadManaged: ['ReadOnlyAccess'],
  },
];

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

const GROUP_POLICIES: Record<string, { managed: string[]; customer: string[] }> = {
  Admins: { managed: ['AdministratorAccess'], customer: [] },
  Developers: { managed: ['PowerUserAccess'], customer: ['DenyLoggingChanges'] },
  Analysts: { managed: ['ReadOnlyAccess', 'AmazonS3FullAccess'], customer: [] },
  Auditors: { managed: ['ReadOnlyAccess', 'AWSCloudTrail_ReadOnlyAccess'], customer: [] },
};

const DENY_LOGGING_CHANGES: AwsPolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyAuditTrailChanges',
      Effect: 'Deny',
      Action: [
        'cloudtrail:StopLogging',
        'cloudtrail:DeleteTrail',
        'cloudtrail:UpdateTrail',
        'cloudtrail:PutEventSelectors',
        'logs:DeleteLogGroup',
      ],
      Resource: '*',
    },
  ],
};

const awsId = (rng: Prng, prefix: string): string =>
  prefix + rng.chars(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');

export function buildAwsAccounts(rng: Prng, count: number, teams: readonly string[]): AwsAccount[] {
  const accounts: AwsAccount[] = [];
  for (let i = 0; i < count; i++) {
    const team = teams[i % teams.length] as string;
    const id = String(rng.between(1, 9)) + rng.chars(11, '0123456789');
    const alias = `${team}-${i === 0 ? 'prod' : i === 1 ? 'staging' : `env${i}`}`;
    const regions = ['us-east-1', ...rng.shuffled(REGIONS.slice(1)).slice(0, 1 + (i % 2))];
    const groups: AwsIamGroup[] = Object.entries(GROUP_POLICIES).map(([name, policies]) => ({
      name,
      groupId: awsId(rng, 'AGPA'),
      managedPolicyNames: policies.managed,
      customerPolicyNames: policies.customer,
    }));
    const customerPolicies: AwsCustomerPolicy[] = [
      {
        name: 'DenyLoggingChanges',
        policyId: awsId(rng, 'ANPA'),
        document: DENY_LOGGING_CHANGES,
        previousDocuments: [],
      },
    ];
    const buckets = [0, 1, 2].map(
      (n) => `${alias}-${['data', 'artifacts', 'logs'][n]}-${rng.hex(6)}`,
    );
    accounts.push({
      id,
      alias,
      team,
      regions,
      groups,
      customerPolicies,
      trailName: 'management-events',
      buckets,
    });
  }
  return accounts;
}

interface BuildContext {
  readonly seed: string;
  readonly days: number;
  readonly start: number;
  readonly usedNames: Set<string>;
}

/** Builds `count` AWS principals spread over the accounts, with grants and behaviour. */
export function buildAwsPrincipals(
  context: BuildContext,
  accounts: AwsAccount[],
  count: number,
  teams: readonly string[],
): Principal[] {
  const principals: Principal[] = [];
  for (let i = 0; i < count; i++) {
    const rng = new Prng(context.seed, 'aws-principal', i);
    const archetype = ARCHETYPES[i % ARCHETYPES.length] as AwsArchetype;
    const account = accounts[Math.floor(i / ARCHETYPES.length) % accounts.length] as AwsAccount;
    const profile = profileFor(i + 1);
    principals.push(
      buildOne(context, rng, i, archetype, account, accounts, profile, teams, principals),
    );
  }
  return principals;
}

function buildOne(
  context: BuildContext,
  rng: Prng,
  index: number,
  archetype: AwsArchetype,
  account: AwsAccount,
  accounts: AwsAccount[],
  requestedProfile: Principal['profile'],
  teams: readonly string[],
  earlier: Principal[],
): Principal {
  const teamIndex = (index * 5 + 1) % teams.length;
  const team = teams[teamIndex] as string;
  const human = archetype.kind === 'user';
  const name = human
    ? personName(rng, context.usedNames)
    : `${team}-${archetype.name}-${rng.hex(4)}`;
  const usedGroups = archetype.uses.map((id) => groupById(`aws:${id}`));
  const broad =
    requestedProfile !== 'right-sized' && (requestedProfile !== 'dormant' || index % 2 === 0);

  const inlinePolicies: Array<{ name: string; document: AwsPolicyDocument }> = [];
  const managedPolicyArns: string[] = [];
  const groupNames: string[] = [];
  const statements: AwsStatement[] = [];

  if (broad) {
    for (const groupName of archetype.broadGroups ?? []) {
      groupNames.push(groupName);
      const policies = GROUP_POLICIES[groupName];
      if (!policies) continue;
      for (const policyName of policies.managed)
        statements.push(...awsManagedPolicy(policyName).document.Statement);
      if (policies.customer.includes('DenyLoggingChanges'))
        statements.push(...DENY_LOGGING_CHANGES.Statement);
    }
    for (const policyName of archetype.broadManaged ?? []) {
      const policy = awsManagedPolicy(policyName);
      managedPolicyArns.push(awsManagedPolicyArn(policy));
      statements.push(...policy.document.Statement);
    }
    if (archetype.broadInline) {
      const document: AwsPolicyDocument = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'UseDataKeys',
            Effect: 'Allow',
            Action: [...archetype.broadInline],
            Resource: '*',
          },
        ],
      };
      inlinePolicies.push({ name: 'kms-data-keys', document });
      statements.push(...document.Statement);
    }
  } else {
    // A least-privilege customer managed policy: one statement per group, exact actions.
    const policyName = `${name}-least-privilege`;
    const document: AwsPolicyDocument = {
      Version: '2012-10-17',
      Statement: usedGroups.map((group) => ({
        Sid: group.id
          .replace('aws:', '')
          .replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
        Effect: 'Allow' as const,
        Action: uniquePermissions([group]),
        Resource: '*',
      })),
    };
    const previous: AwsPolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: uniquePermissions(usedGroups.slice(0, 1)), Resource: '*' },
      ],
    };
    account.customerPolicies.push({
      name: policyName,
      policyId: awsId(rng, 'ANPA'),
      document,
      previousDocuments: [previous],
    });
    managedPolicyArns.push(`arn:aws:iam::${account.id}:policy/${policyName}`);
    statements.push(...document.Statement);
  }

  const isAllowed = (call: ApiCall): boolean =>
    call.permissions.every((permission) => isActionAllowed(statements, permission));
  const isAnyAllowed = (call: ApiCall): boolean =>
    call.permissions.some((permission) => isActionAllowed(statements, permission));
  const { covered, denied } = coverageOf(AWS_GROUPS, isAllowed, isAnyAllowed);

  const isRole = archetype.kind === 'role';
  const arn = `arn:aws:iam::${account.id}:${isRole ? 'role' : 'user'}/${name}`;
  const assumers =
    archetype.assumedBy === 'user'
      ? earlier.filter(
          (p) =>
            p.aws?.kind === 'user' &&
            p.aws.accountId === account.id &&
            p.usedGroups.some((g) => g.id === 'aws:sts-assume'),
        )
      : [];
  const trustedAccount =
    archetype.assumedBy === 'cross-account'
      ? (accounts.find((a) => a.id !== account.id) ?? account)
      : undefined;
  const window = activityWindowFor(requestedProfile, context.days, index);
  const rate = Math.min(8, rng.pareto(0.6, 1.6));

  return {
    provider: 'aws',
    key: `aws:${account.id}:${name}`,
    id: arn,
    name,
    type: isRole ? 'IAMRole' : 'IAMUser',
    archetype: archetype.name,
    team,
    home: account.id,
    human,
    profile: requestedProfile,
    window,
    rate,
    utcOffsetHours: human ? rng.pick([-8, -5, 0, 1, 2, 5.5]) : 0,
    ips: human ? humanIps(rng, teamIndex) : workloadIps(rng),
    userAgents: human ? HUMAN_AGENTS : WORKLOAD_AGENTS,
    regions: account.regions,
    usedGroups,
    coveredGroupIds: covered,
    deniedCalls: denied,
    isAllowed,
    aws: {
      kind: archetype.kind,
      accountId: account.id,
      arn,
      uniqueId: awsId(rng, isRole ? 'AROA' : 'AIDA'),
      name,
      accessKeyId: isRole ? undefined : awsId(rng, 'AKIA').slice(0, 20),
      console: human,
      mfa: human && index % 4 !== 3,
      assumedBy: archetype.assumedBy,
      servicePrincipal: archetype.service,
      assumers,
      trustedAccountId: trustedAccount?.id,
      trustPolicy: isRole ? trustPolicyFor(archetype, account, trustedAccount?.id) : undefined,
      groupNames,
      managedPolicyArns,
      inlinePolicies,
      statements,
      tags: [
        { Key: 'team', Value: team },
        { Key: 'archetype', Value: archetype.name },
      ],
      createDate:
        new Date(context.start - (30 + rng.int(600)) * 86_400_000).toISOString().slice(0, 19) + 'Z',
    },
  };
}

function trustPolicyFor(
  archetype: AwsArchetype,
  account: AwsAccount,
  trusted: string | undefined,
): AwsPolicyDocument {
  switch (archetype.assumedBy) {
    case 'service':
      return {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: archetype.service ?? 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      };
    case 'web-identity':
      return {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Federated: `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`,
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: {
                'token.actions.githubusercontent.com:sub': `repo:example-org/${account.alias}:*`,
              },
            },
          },
        ],
      };
    case 'cross-account':
      return {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${trusted}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': `audit-${account.id}` } },
          },
        ],
      };
    default:
      return {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account.id}:root` },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      };
  }
}

function groupById(id: string): PermissionGroup {
  const group = AWS_GROUPS.find((g) => g.id === id);
  if (!group) throw new Error(`unknown AWS permission group ${id}`);
  return group;
}

function uniquePermissions(groups: readonly PermissionGroup[]): string[] {
  const set = new Set<string>();
  for (const group of groups)
    for (const call of group.calls) for (const p of call.permissions) set.add(p);
  return [...set].sort();
}

const HUMAN_AGENTS = [
  'console.amazonaws.com',
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-26-generic exe/x86_64.ubuntu.22 prompt/off',
  'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
];

const WORKLOAD_AGENTS = [
  'aws-sdk-js/3.540.0 ua/2.1 os/linux#5.10.213-223.802.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/client#3.540.0',
  'aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64',
  'aws-sdk-java/2.25.11 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
];
