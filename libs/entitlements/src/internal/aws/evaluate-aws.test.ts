import { describe, expect, it } from 'vitest';
import { iterateGrants } from '../model/compact-entitlements.js';
import type { Grant } from '../model/entitlements.js';
import { parseAwsAuthorizationDetails } from './authorization-details.js';
import type { AwsEntitlementsResult, AwsEvaluationOptions } from './evaluate-aws.js';
import { evaluateAwsEntitlements } from './evaluate-aws.js';
import { parseAwsOrganizationPolicies } from './organization-policies.js';
import {
  ACCOUNT,
  ADMINISTRATOR_ACCESS,
  ADMINISTRATOR_ACCESS_ARN,
  group,
  managedPolicy,
  policy,
  role,
  trust,
  user,
} from './test-estate.js';

const USER_A = `arn:aws:iam::${ACCOUNT}:user/a`;

function evaluate(
  page: Record<string, unknown>,
  options: AwsEvaluationOptions = {},
): AwsEntitlementsResult {
  return evaluateAwsEntitlements(
    parseAwsAuthorizationDetails([{ source: 'fixture.json', value: page }]),
    options,
  );
}

function grantsOf(result: AwsEntitlementsResult, arn: string): Grant[] {
  const principal = result.principals.find((candidate) => candidate.principal_id === arn);
  if (principal === undefined) throw new Error(`no principal ${arn}`);
  return [...iterateGrants(principal)];
}

/** Permissions granted on `resource` with no condition. */
function unconditional(grants: Grant[], resource = '*'): Set<string> {
  return new Set(
    grants
      .filter((grant) => !grant.conditional && grant.resource === resource)
      .map((g) => g.permission),
  );
}

describe('evaluateAwsEntitlements statements', () => {
  it('expands NotAction with Allow', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            'not-iam': policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
          },
        }),
      ],
    });
    const granted = unconditional(grantsOf(result, USER_A));
    expect(granted.has('s3:GetObject')).toBe(true);
    expect(granted.has('ec2:RunInstances')).toBe(true);
    expect(granted.has('iam:CreateUser')).toBe(false);
    expect([...granted].some((action) => action.startsWith('iam:'))).toBe(false);
  });

  it('lets explicit Deny beat Allow', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            s3: policy(
              { Effect: 'Allow', Action: 's3:*', Resource: '*' },
              { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
            ),
          },
        }),
      ],
    });
    const grants = grantsOf(result, USER_A);
    expect(unconditional(grants).has('s3:GetObject')).toBe(true);
    expect(grants.some((grant) => grant.permission === 's3:DeleteBucket')).toBe(false);
  });

  it('compares actions case-insensitively', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            mixed: policy(
              { Effect: 'Allow', Action: ['S3:getobject', 'S3:PUTOBJECT'], Resource: '*' },
              { Effect: 'Deny', Action: 's3:putObject', Resource: '*' },
            ),
          },
        }),
      ],
    });
    expect([...unconditional(grantsOf(result, USER_A))]).toEqual(['s3:GetObject']);
  });

  it('applies Deny with NotAction', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            'only-iam': policy(
              { Effect: 'Allow', Action: '*', Resource: '*' },
              { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' },
            ),
          },
        }),
      ],
    });
    const granted = unconditional(grantsOf(result, USER_A));
    expect(granted.has('iam:CreateUser')).toBe(true);
    expect(granted.has('s3:GetObject')).toBe(false);
    expect([...granted].every((action) => action.startsWith('iam:'))).toBe(true);
  });

  it('keeps Resource patterns per grant', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            bucket: policy({
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: ['arn:aws:s3:::logs/*', 'arn:aws:s3:::data/*'],
            }),
          },
        }),
      ],
    });
    const grants = grantsOf(result, USER_A);
    expect(grants).toEqual([
      {
        permission: 's3:GetObject',
        resource: 'arn:aws:s3:::logs/*',
        conditional: false,
        via: 'inline:bucket',
      },
      {
        permission: 's3:GetObject',
        resource: 'arn:aws:s3:::data/*',
        conditional: false,
        via: 'inline:bucket',
      },
    ]);
  });

  it('marks NotResource grants conditional', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            'all-but-secret': policy({
              Effect: 'Allow',
              Action: 's3:GetObject',
              NotResource: 'arn:aws:s3:::secret/*',
            }),
          },
        }),
      ],
    });
    const [grant] = grantsOf(result, USER_A);
    expect(grant?.resource).toBe('*');
    expect(grant?.conditional).toBe(true);
    expect(JSON.parse(grant?.conditions ?? '{}')).toEqual({
      NotResource: ['arn:aws:s3:::secret/*'],
    });
  });

  it('limits grant for narrower Deny', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            read: policy(
              { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' },
              { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' },
            ),
          },
        }),
      ],
    });
    const grants = grantsOf(result, USER_A);
    expect(unconditional(grants)).toEqual(new Set(['s3:ListBucket']));
    const limited = grants.find((grant) => grant.permission === 's3:GetObject');
    expect(limited?.resource).toBe('*');
    expect(limited?.conditional).toBe(true);
    expect(JSON.parse(limited?.conditions ?? '{}')).toEqual({
      LimitedBy: [
        {
          kind: 'identity',
          effect: 'Deny',
          via: 'inline:read',
          Resource: ['arn:aws:s3:::secret/*'],
        },
      ],
    });
  });

  it('ignores Deny on disjoint resource', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            read: policy(
              { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' },
              { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' },
            ),
          },
        }),
      ],
    });
    expect(unconditional(grantsOf(result, USER_A), 'arn:aws:s3:::logs/*')).toEqual(
      new Set(['s3:GetObject']),
    );
  });

  it('removes grant under broader Deny', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            read: policy(
              { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/2024/*' },
              { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::logs/*' },
            ),
          },
        }),
      ],
    });
    expect(grantsOf(result, USER_A)).toEqual([]);
  });

  it('applies Deny with NotResource', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            guard: policy(
              { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
              { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::private/*' },
              { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::public/*' },
            ),
          },
        }),
      ],
    });
    const grants = grantsOf(result, USER_A);
    // The deny reaches every resource but public/*: GetObject on * survives only for
    // public/*, so it stays conditional; PutObject on private/* is denied outright.
    expect(grants.map((grant) => [grant.permission, grant.resource, grant.conditional])).toEqual([
      ['s3:GetObject', '*', true],
    ]);
    expect(JSON.parse(grants[0]?.conditions ?? '{}').LimitedBy[0].NotResource).toEqual([
      'arn:aws:s3:::public/*',
    ]);
  });

  it('keeps conditions of Allow statements', () => {
    const condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            mfa: policy({
              Effect: 'Allow',
              Action: 'ec2:StopInstances',
              Resource: '*',
              Condition: condition,
            }),
          },
        }),
      ],
    });
    const [grant] = grantsOf(result, USER_A);
    expect(grant?.permission).toBe('ec2:StopInstances');
    expect(grant?.conditional).toBe(true);
    expect(JSON.parse(grant?.conditions ?? '{}')).toEqual({ Condition: condition });
  });

  it('marks conditionally denied grants conditional', () => {
    const condition = { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            regions: policy(
              { Effect: 'Allow', Action: ['ec2:RunInstances', 'ec2:StopInstances'], Resource: '*' },
              { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: condition },
            ),
          },
        }),
      ],
    });
    const grants = grantsOf(result, USER_A);
    expect(unconditional(grants)).toEqual(new Set(['ec2:StopInstances']));
    const run = grants.find((grant) => grant.permission === 'ec2:RunInstances');
    expect(run?.conditional).toBe(true);
    expect(JSON.parse(run?.conditions ?? '{}').LimitedBy[0].Condition).toEqual(condition);
  });
});

describe('evaluateAwsEntitlements policy sources', () => {
  it('intersects identity with permissions boundary', () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/s3-only`;
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            broad: policy({
              Effect: 'Allow',
              Action: ['s3:GetObject', 'ec2:RunInstances'],
              Resource: '*',
            }),
          },
          boundary: boundaryArn,
        }),
      ],
      Policies: [
        managedPolicy(
          boundaryArn,
          { v1: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) },
          'v1',
        ),
      ],
    });
    expect(unconditional(grantsOf(result, USER_A))).toEqual(new Set(['s3:GetObject']));
  });

  it('grants nothing the boundary alone allows', () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/everything`;
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: { one: policy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }) },
          boundary: boundaryArn,
        }),
      ],
      Policies: [managedPolicy(boundaryArn, { v1: ADMINISTRATOR_ACCESS }, 'v1')],
    });
    expect(unconditional(grantsOf(result, USER_A))).toEqual(new Set(['sqs:SendMessage']));
  });

  it('inherits group policies for users', () => {
    const groupPolicy = `arn:aws:iam::${ACCOUNT}:policy/read-queues`;
    const result = evaluate({
      UserDetailList: [user('a', { groups: ['devs'] })],
      GroupDetailList: [
        group('devs', {
          inline: { send: policy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }) },
          attached: [groupPolicy],
        }),
      ],
      Policies: [
        managedPolicy(
          groupPolicy,
          { v1: policy({ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' }) },
          'v1',
        ),
      ],
    });
    const grants = grantsOf(result, USER_A);
    expect(grants.find((grant) => grant.permission === 'sqs:SendMessage')?.via).toBe(
      'inline:devs/send',
    );
    expect(grants.find((grant) => grant.permission === 'sqs:ReceiveMessage')?.via).toBe(
      groupPolicy,
    );
    expect(grants).toHaveLength(2);
  });

  it('uses managed policy default version', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/versioned`;
    const result = evaluate({
      UserDetailList: [user('a', { attached: [arn] })],
      Policies: [
        managedPolicy(
          arn,
          {
            v1: ADMINISTRATOR_ACCESS,
            v2: policy({ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }),
          },
          'v2',
        ),
      ],
    });
    expect(grantsOf(result, USER_A)).toEqual([
      { permission: 'sns:Publish', resource: '*', conditional: false, via: arn },
    ]);
  });

  it('counts unresolved managed policies', () => {
    const result = evaluate({
      UserDetailList: [user('a', { attached: [ADMINISTRATOR_ACCESS_ARN] })],
    });
    expect(grantsOf(result, USER_A)).toEqual([]);
    expect(result.stats.unresolvedPolicyArns).toEqual([ADMINISTRATOR_ACCESS_ARN]);
  });

  it('limits grants with SCPs', () => {
    const organization = parseAwsOrganizationPolicies(
      {
        accountId: ACCOUNT,
        serviceControlPolicies: [
          {
            Name: 'allow-s3-ec2',
            Content: JSON.stringify(
              policy({ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*' }),
            ),
          },
          policy({ Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*' }),
        ],
      },
      'org.json',
    );
    const page = {
      UserDetailList: [user('a', { inline: { all: ADMINISTRATOR_ACCESS } })],
    };
    const limited = unconditional(
      grantsOf(evaluate(page, { organizationPolicies: [organization] }), USER_A),
    );
    expect(limited.has('s3:GetObject')).toBe(true);
    expect(limited.has('ec2:RunInstances')).toBe(true);
    expect(limited.has('ec2:TerminateInstances')).toBe(false);
    expect(limited.has('iam:CreateUser')).toBe(false);

    const management = { ...organization, managementAccount: true };
    const exempt = unconditional(
      grantsOf(evaluate(page, { organizationPolicies: [management] }), USER_A),
    );
    expect(exempt.has('iam:CreateUser')).toBe(true);
    expect(exempt.has('ec2:TerminateInstances')).toBe(true);
  });

  it('exempts service-linked roles from SCPs', () => {
    const organization = parseAwsOrganizationPolicies(
      {
        accountId: ACCOUNT,
        serviceControlPolicies: [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
      },
      'org.json',
    );
    const result = evaluate(
      {
        RoleDetailList: [
          role('AWSServiceRoleForSupport', trust({ Service: 'support.amazonaws.com' }), {
            path: '/aws-service-role/support.amazonaws.com/',
            inline: { support: policy({ Effect: 'Allow', Action: 'support:*', Resource: '*' }) },
          }),
        ],
      },
      { organizationPolicies: [organization] },
    );
    const arn = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`;
    expect(unconditional(grantsOf(result, arn)).has('support:DescribeCases')).toBe(true);
  });

  it('reads tags of users and roles', () => {
    const result = evaluate({ UserDetailList: [user('a', { tags: { team: 'payments' } })] });
    expect(result.principals[0]?.tags).toEqual({ team: 'payments' });
  });
});

describe('evaluateAwsEntitlements resource limits', () => {
  // An entity may perform only the actions both its identity policies and its boundary
  // allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html),
  // so each bucket the boundary names keeps the identity policy's grant.
  it('keeps every boundary resource pattern', () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/two-buckets`;
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: { read: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
          boundary: boundaryArn,
        }),
      ],
      Policies: [
        managedPolicy(
          boundaryArn,
          {
            v1: policy({
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'],
            }),
          },
          'v1',
        ),
      ],
    });
    const grants = grantsOf(result, USER_A);
    expect(unconditional(grants, 'arn:aws:s3:::a/*')).toEqual(new Set(['s3:GetObject']));
    expect(unconditional(grants, 'arn:aws:s3:::b/*')).toEqual(new Set(['s3:GetObject']));
    expect(grants).toHaveLength(2);
  });

  // "IAM policy elements: Variables and tags" (IAM User Guide,
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
  // a variable is replaced by a value of the request, so `home/${aws:username}/*` is
  // `home/alice/*` for user alice.
  it('limits grant by Deny with policy variable', () => {
    const result = evaluate({
      UserDetailList: [
        user('alice', {
          inline: {
            own: policy(
              { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/alice/*' },
              {
                Effect: 'Deny',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::home/${aws:username}/*',
              },
            ),
          },
        }),
      ],
    });
    const grants = grantsOf(result, `arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(unconditional(grants, 'arn:aws:s3:::home/alice/*')).toEqual(new Set());
    for (const grant of grants) {
      expect(grant.conditional).toBe(true);
      expect(JSON.parse(grant.conditions ?? '{}').LimitedBy?.[0]?.effect).toBe('Deny');
    }
  });

  it('keeps grant under boundary with policy variable', () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/own-home`;
    const result = evaluate({
      UserDetailList: [
        user('alice', {
          inline: {
            own: policy({
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::home/alice/*',
            }),
          },
          boundary: boundaryArn,
        }),
      ],
      Policies: [
        managedPolicy(
          boundaryArn,
          {
            v1: policy({
              Effect: 'Allow',
              Action: 's3:*',
              Resource: 'arn:aws:s3:::home/${aws:username}/*',
            }),
          },
          'v1',
        ),
      ],
    });
    const grants = grantsOf(result, `arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(grants.map((grant) => [grant.permission, grant.resource])).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::home/alice/*'],
    ]);
    expect(grants[0]?.conditional).toBe(true);
  });
});

describe('evaluateAwsEntitlements actions missing from catalog', () => {
  // `*` in Action matches every action (IAM JSON policy elements reference, "Action"), also
  // one newer than the action catalog.
  const NEW_ACTION = 'newservice:StartThing';

  it('removes them under Deny on every action', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            lockout: policy(
              { Effect: 'Allow', Action: NEW_ACTION, Resource: '*' },
              { Effect: 'Deny', Action: '*', Resource: '*' },
            ),
          },
        }),
      ],
    });
    expect(grantsOf(result, USER_A)).toEqual([]);
    expect(result.stats.unknownActions).toEqual([NEW_ACTION.toLowerCase()]);
  });

  it('keeps them under SCP allowing every action', () => {
    const organization = parseAwsOrganizationPolicies(
      {
        accountId: ACCOUNT,
        serviceControlPolicies: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })],
      },
      'org.json',
    );
    const result = evaluate(
      {
        UserDetailList: [
          user('a', {
            inline: { new: policy({ Effect: 'Allow', Action: NEW_ACTION, Resource: '*' }) },
          }),
        ],
      },
      { organizationPolicies: [organization] },
    );
    expect(unconditional(grantsOf(result, USER_A))).toEqual(new Set([NEW_ACTION.toLowerCase()]));
  });

  it('matches them with service wildcards', () => {
    const result = evaluate({
      UserDetailList: [
        user('a', {
          inline: {
            new: policy(
              { Effect: 'Allow', Action: [NEW_ACTION, 's3:GetObject'], Resource: '*' },
              { Effect: 'Deny', Action: 'newservice:Start*', Resource: '*' },
            ),
          },
        }),
      ],
    });
    expect(unconditional(grantsOf(result, USER_A))).toEqual(new Set(['s3:GetObject']));
  });
});

describe('evaluateAwsEntitlements sharing', () => {
  it('shares grant groups between principals', () => {
    const result = evaluate(
      {
        UserDetailList: [
          user('a', { attached: [ADMINISTRATOR_ACCESS_ARN] }),
          user('b', { attached: [ADMINISTRATOR_ACCESS_ARN] }),
        ],
      },
      { managedPolicies: new Map([[ADMINISTRATOR_ACCESS_ARN, parseAdmin()]]) },
    );
    const [a, b] = result.principals;
    expect(a?.grant_groups).toBe(b?.grant_groups);
    expect(result.stats.distinctCombinations).toBe(1);
  });
});

function parseAdmin() {
  return parseAwsAuthorizationDetails([
    {
      source: 'admin',
      value: {
        Policies: [managedPolicy(ADMINISTRATOR_ACCESS_ARN, { v1: ADMINISTRATOR_ACCESS }, 'v1')],
      },
    },
  ]).policies.get(ADMINISTRATOR_ACCESS_ARN)!.document;
}
