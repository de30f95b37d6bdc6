/**
 * Deterministic generator of GetAccountAuthorizationDetails estates (AWS CLI shape) for the
 * expansion benchmark. The mix: AWS managed AdministratorAccess, ReadOnlyAccess and
 * PowerUserAccess (documents written here after the shape AWS publishes, abridged), 300
 * customer policies with wildcards, denies and conditions, 60 groups, 3 permissions
 * boundaries, and a unique inline policy on about a third of the principals. The same
 * size and seed always give the same estate.
 */

export const BENCH_ACCOUNT = '123456789012';

type Document = Record<string, unknown>;

/** mulberry32, a small seedable pseudo-random generator. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)] as T;
}

const policy = (...statements: Document[]): Document => ({
  Version: '2012-10-17',
  Statement: statements,
});

const AWS_MANAGED: Record<string, Document> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': policy({
    Effect: 'Allow',
    Action: '*',
    Resource: '*',
  }),
  'arn:aws:iam::aws:policy/ReadOnlyAccess': policy({
    Effect: 'Allow',
    Action: ['*:Describe*', '*:Get*', '*:List*', '*:BatchGet*', '*:Lookup*', '*:View*'],
    Resource: '*',
  }),
  'arn:aws:iam::aws:policy/PowerUserAccess': policy(
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: [
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeOrganization',
        'account:ListRegions',
      ],
      Resource: '*',
    },
  ),
};

const SERVICES = [
  's3',
  'ec2',
  'lambda',
  'dynamodb',
  'sqs',
  'sns',
  'kms',
  'logs',
  'cloudwatch',
  'rds',
  'ecr',
  'ecs',
  'secretsmanager',
  'ssm',
  'glue',
  'athena',
  'kinesis',
  'states',
  'events',
  'iam',
];
const VERBS = ['Get*', 'List*', 'Describe*', 'Put*', 'Create*', 'Delete*', 'Update*', '*'];

function customerPolicy(next: () => number, index: number): Document {
  const statements: Document[] = [];
  const count = 1 + Math.floor(next() * 3);
  for (let statement = 0; statement < count; statement += 1) {
    const service = pick(next, SERVICES);
    const actions = [
      `${service}:${pick(next, VERBS)}`,
      `${pick(next, SERVICES)}:${pick(next, VERBS)}`,
    ];
    const resource =
      next() < 0.5 ? '*' : `arn:aws:${service}:*:${BENCH_ACCOUNT}:app-${index % 40}-*`;
    const entry: Document = { Effect: 'Allow', Action: actions, Resource: resource };
    if (next() < 0.15)
      entry['Condition'] = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    statements.push(entry);
  }
  if (next() < 0.25) {
    statements.push({ Effect: 'Deny', Action: `${pick(next, SERVICES)}:Delete*`, Resource: '*' });
  }
  return policy(...statements);
}

const BOUNDARIES: Record<string, Document> = {
  [`arn:aws:iam::${BENCH_ACCOUNT}:policy/boundary-no-iam`]: policy(
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: ['iam:*', 'organizations:*'], Resource: '*' },
  ),
  [`arn:aws:iam::${BENCH_ACCOUNT}:policy/boundary-data`]: policy({
    Effect: 'Allow',
    Action: ['s3:*', 'dynamodb:*', 'glue:*', 'athena:*', 'kms:Decrypt'],
    Resource: '*',
  }),
  [`arn:aws:iam::${BENCH_ACCOUNT}:policy/boundary-compute`]: policy({
    Effect: 'Allow',
    Action: ['ec2:*', 'lambda:*', 'ecs:*', 'ecr:*', 'logs:*', 'cloudwatch:*'],
    Resource: '*',
  }),
};

function managedEntry(arn: string, document: Document): Document {
  return {
    PolicyName: arn.split('/').pop(),
    Arn: arn,
    Path: '/',
    DefaultVersionId: 'v1',
    PolicyVersionList: [{ Document: document, VersionId: 'v1', IsDefaultVersion: true }],
  };
}

const attached = (arns: string[]): Document[] =>
  arns.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn }));

/** Generates an estate of `principals` users and roles (40 % users) in one CLI page. */
export function generateAwsEstate(principals: number, seed = 42): Document {
  const next = random(seed);
  const customerArns: string[] = [];
  const policies: Document[] = [];
  for (const [arn, document] of Object.entries(AWS_MANAGED))
    policies.push(managedEntry(arn, document));
  for (const [arn, document] of Object.entries(BOUNDARIES))
    policies.push(managedEntry(arn, document));
  for (let index = 0; index < 300; index += 1) {
    const arn = `arn:aws:iam::${BENCH_ACCOUNT}:policy/team-${index}`;
    customerArns.push(arn);
    policies.push(managedEntry(arn, customerPolicy(next, index)));
  }

  const groups: Document[] = [];
  for (let index = 0; index < 60; index += 1) {
    groups.push({
      GroupName: `group-${index}`,
      Arn: `arn:aws:iam::${BENCH_ACCOUNT}:group/group-${index}`,
      GroupPolicyList: [],
      AttachedManagedPolicies: attached([pick(next, customerArns), pick(next, customerArns)]),
    });
  }

  const awsManagedArns = Object.keys(AWS_MANAGED);
  const boundaryArns = Object.keys(BOUNDARIES);
  const users: Document[] = [];
  const roles: Document[] = [];
  for (let index = 0; index < principals; index += 1) {
    const arns: string[] = [];
    const draw = next();
    if (draw < 0.1) arns.push(awsManagedArns[0] as string);
    else if (draw < 0.35) arns.push(awsManagedArns[1] as string);
    else if (draw < 0.45) arns.push(awsManagedArns[2] as string);
    const customerCount = 1 + Math.floor(next() * 3);
    for (let count = 0; count < customerCount; count += 1) arns.push(pick(next, customerArns));

    const inline =
      next() < 0.33
        ? [{ PolicyName: `own-${index}`, PolicyDocument: customerPolicy(next, index) }]
        : [];
    const boundary =
      next() < 0.2
        ? {
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: pick(next, boundaryArns),
            },
          }
        : {};
    const tags = [{ Key: 'team', Value: `team-${index % 25}` }];

    if (index % 5 < 2) {
      const name = `user-${index}`;
      users.push({
        UserName: name,
        Arn: `arn:aws:iam::${BENCH_ACCOUNT}:user/${name}`,
        UserPolicyList: inline,
        GroupList: next() < 0.6 ? [`group-${Math.floor(next() * 60)}`] : [],
        AttachedManagedPolicies: attached(arns),
        ...boundary,
        Tags: tags,
      });
    } else {
      const name = `role-${index}`;
      const trustDraw = next();
      const principal =
        trustDraw < 0.9
          ? {
              Service: pick(next, [
                'ec2.amazonaws.com',
                'lambda.amazonaws.com',
                'ecs-tasks.amazonaws.com',
              ]),
            }
          : trustDraw < 0.97
            ? { AWS: `arn:aws:iam::${BENCH_ACCOUNT}:role/role-${Math.floor(next() * principals)}` }
            : { AWS: 'arn:aws:iam::210987654321:root' };
      roles.push({
        RoleName: name,
        Arn: `arn:aws:iam::${BENCH_ACCOUNT}:role/${name}`,
        AssumeRolePolicyDocument: policy({
          Effect: 'Allow',
          Principal: principal,
          Action: 'sts:AssumeRole',
        }),
        RolePolicyList: inline,
        AttachedManagedPolicies: attached(arns),
        InstanceProfileList: [],
        ...boundary,
        Tags: tags,
      });
    }
  }
  return {
    UserDetailList: users,
    GroupDetailList: groups,
    RoleDetailList: roles,
    Policies: policies,
  };
}
