import { expandAwsActionPattern } from '@ciem/permission-map';
import { describe, expect, it } from 'vitest';
import { analyzeRightsizing } from './analyze.js';
import { AWS_MANAGED_POLICY_MAX_CHARS, KEPT_UNOBSERVABLE_SID, policySize } from './aws-policy.js';
import { RISK_WEIGHTS } from './score.js';
import { summarizeRightsizing } from './summary.js';
import {
  AWS_ACCOUNT,
  DAY_MS,
  WINDOW_END,
  activityRow,
  arnMatches,
  awsAuthorizationDetails,
  awsUser,
  evaluate,
  evaluateAwsPolicies,
  usageRow,
} from './testing/fixtures.js';
import type { IamPolicyJson, RightsizingResult } from './types.js';

const APP = `arn:aws:iam::${AWS_ACCOUNT}:user/app`;
const OLD = `arn:aws:iam::${AWS_ACCOUNT}:user/old`;
const GHOST = `arn:aws:iam::${AWS_ACCOUNT}:user/ghost`;
const ELSEWHERE = 'arn:aws:iam::444455556666:user/elsewhere';

const appPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::data/*',
    },
    {
      Effect: 'Allow',
      Action: [
        'ec2:DescribeInstances',
        'ec2:TerminateInstances',
        'iam:PassRole',
        'iam:CreateAccessKey',
        'dynamodb:GetItem',
      ],
      Resource: '*',
    },
  ],
};
const describeOnly = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }],
};

const principals = evaluate([
  {
    source: 'authorization-details.json',
    value: awsAuthorizationDetails([
      awsUser('app', { app: appPolicy }, { tags: { Team: 'payments' } }),
      awsUser('old', { old: describeOnly }),
      awsUser('ghost', { ghost: describeOnly }),
      awsUser('elsewhere', { elsewhere: describeOnly }, { account: '444455556666' }),
    ]),
  },
]);

const usage = [
  usageRow('aws', AWS_ACCOUNT, APP, 's3:GetObject', {
    count: 5,
    resources: ['arn:aws:s3:::data/a.txt'],
    visibility: 'data-event',
  }),
  usageRow('aws', AWS_ACCOUNT, APP, 'ec2:DescribeInstances', { count: 3 }),
  // A denied-only call is an attempt, not use.
  usageRow('aws', AWS_ACCOUNT, APP, 'ec2:TerminateInstances', { count: 0, denied: 2 }),
  usageRow('aws', AWS_ACCOUNT, OLD, 'ec2:DescribeInstances', { daysAgo: 100 }),
];
const activity = [activityRow('aws', AWS_ACCOUNT, OLD, 100)];

const results = analyzeRightsizing(
  { principals, usage, activity },
  { windowEnd: WINDOW_END, ownership: { accountTeams: { [AWS_ACCOUNT]: 'platform' } } },
);
const byId = new Map(results.map((result) => [result.principal_id, result]));

function resultOf(id: string): RightsizingResult {
  const result = byId.get(id);
  if (result === undefined) throw new Error(`no result for ${id}`);
  return result;
}

describe('analyzeRightsizing on AWS grants', () => {
  it('lists used permissions with counts', () => {
    const app = resultOf(APP);
    expect(app.used.map((entry) => [entry.permission, entry.count])).toEqual([
      ['ec2:DescribeInstances', 3],
      ['s3:GetObject', 5],
    ]);
    expect(app.used[0]?.last_used).toBe(WINDOW_END - DAY_MS);
  });

  it('ranks unused permissions by risk', () => {
    expect(resultOf(APP).unused).toEqual([
      { permission: 'iam:CreateAccessKey', risk: 'escalation', service: 'iam' },
      { permission: 'ec2:TerminateInstances', risk: 'write', service: 'ec2' },
      { permission: 's3:PutObject', risk: 'write', service: 's3' },
    ]);
  });

  it('separates unobservable permissions', () => {
    // iam:PassRole is never logged; dynamodb:GetItem is a data event and the account shows
    // none for DynamoDB, while S3 data events were seen, so s3:PutObject stays observable.
    expect(resultOf(APP).unobservable).toEqual([
      { permission: 'dynamodb:GetItem', reason: 'data-event-not-enabled' },
      { permission: 'iam:PassRole', reason: 'not-logged' },
    ]);
    expect(resultOf(APP).recommendation.removes).not.toContain('iam:PassRole');
    expect(resultOf(APP).recommendation.removes).not.toContain('dynamodb:GetItem');
  });

  it('names services without use', () => {
    expect(resultOf(APP).unused_services).toEqual(['dynamodb', 'iam']);
  });

  it('scores by the documented formula', () => {
    const app = resultOf(APP);
    const weightedGranted =
      RISK_WEIGHTS.list + RISK_WEIGHTS.read + RISK_WEIGHTS.escalation + 2 * RISK_WEIGHTS.write;
    const weightedUnused = RISK_WEIGHTS.escalation + 2 * RISK_WEIGHTS.write;
    expect(app.score_inputs.weighted_granted).toBe(weightedGranted);
    expect(app.score_inputs.weighted_unused).toBe(weightedUnused);
    expect(app.score_inputs.idle_days).toBe(1);
    const expected = 100 * (0.8 * (weightedUnused / weightedGranted) + 0.2 * (1 / 90));
    expect(app.score).toBeCloseTo(expected, 0);
  });

  it('builds the replacement policy', () => {
    const app = resultOf(APP);
    expect(app.recommendation.kind).toBe('aws-policy');
    expect(app.recommendation.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::data/a.txt' },
        {
          Sid: KEPT_UNOBSERVABLE_SID,
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'iam:PassRole'],
          Resource: '*',
        },
      ],
    });
    expect(app.recommendation.removes).toEqual([
      'ec2:TerminateInstances',
      'iam:CreateAccessKey',
      's3:PutObject',
    ]);
  });

  it('policy evaluates to observed use only', () => {
    const app = resultOf(APP);
    const grants = evaluateAwsPolicies([
      app.recommendation.document as unknown as Record<string, unknown>,
    ]);
    expect(grants.get('s3:GetObject')?.some((p) => arnMatches(p, 'arn:aws:s3:::data/a.txt'))).toBe(
      true,
    );
    expect(grants.get('ec2:DescribeInstances')).toEqual(['*']);
    for (const removed of app.recommendation.removes) expect(grants.has(removed)).toBe(false);
    expect([...grants.keys()].sort()).toEqual([
      'dynamodb:GetItem',
      'ec2:DescribeInstances',
      'iam:PassRole',
      's3:GetObject',
    ]);
  });

  it('marks idle principal inactive', () => {
    const old = resultOf(OLD);
    expect(old.status).toBe('inactive');
    expect(old.last_activity).toBe(WINDOW_END - 100 * DAY_MS);
    expect(old.recommendation.kind).toBe('remove-principal');
    expect(old.recommendation.removes).toEqual(['ec2:DescribeInstances']);
    expect(old.score).toBe(100);
  });

  it('marks unseen principal never-used', () => {
    const ghost = resultOf(GHOST);
    expect(ghost.status).toBe('never-used');
    expect(ghost.last_activity).toBeNull();
    expect(ghost.recommendation.kind).toBe('remove-principal');
    expect(ghost.confidence.inputs.account_has_data).toBe(true);
  });

  it('zero confidence without account data', () => {
    const elsewhere = resultOf(ELSEWHERE);
    expect(elsewhere.confidence.value).toBe(0);
    expect(elsewhere.confidence.inputs.account_has_data).toBe(false);
    expect(elsewhere.window.days_observed).toBe(0);
  });

  it('confidence reflects unobservable share', () => {
    const app = resultOf(APP);
    expect(app.confidence.inputs.window_coverage).toBe(1);
    expect(app.confidence.inputs.unobservable_share).toBeCloseTo(2 / 7, 4);
    expect(app.confidence.value).toBeCloseTo(1 - 0.5 * (2 / 7), 2);
  });

  it('assigns teams from tags first', () => {
    expect(resultOf(APP).team).toBe('payments');
    expect(resultOf(OLD).team).toBe('platform');
    expect(resultOf(ELSEWHERE).team).toBeNull();
  });

  it('window coverage follows account data', () => {
    const short = analyzeRightsizing(
      {
        principals,
        usage: [usageRow('aws', AWS_ACCOUNT, APP, 'ec2:DescribeInstances', { firstDaysAgo: 30 })],
      },
      { windowEnd: WINDOW_END },
    );
    const app = short.find((result) => result.principal_id === APP);
    expect(app?.window.days_observed).toBe(30);
    expect(app?.confidence.inputs.window_coverage).toBeCloseTo(30 / 90, 4);
  });

  it('own events cover renamed accounts', () => {
    // The usage names the account differently from the grants (as GCP logs name a project
    // by id and IAM exports by number): the principal's own events still count.
    const renamed = analyzeRightsizing(
      {
        principals,
        usage: [usageRow('aws', 'renamed-account', APP, 'ec2:DescribeInstances')],
      },
      { windowEnd: WINDOW_END },
    );
    const app = renamed.find((result) => result.principal_id === APP);
    expect(app?.status).toBe('active');
    expect(app?.window.days_observed).toBe(90);
    expect(app?.confidence.value).toBeGreaterThan(0);
  });

  it('logs shorter than window lower confidence', () => {
    // 14 days of logs that stopped 20 days before the window end: 14 of 90 days observed.
    const first = WINDOW_END - 34 * DAY_MS;
    const last = WINDOW_END - 20 * DAY_MS - 1;
    const short = analyzeRightsizing(
      {
        principals,
        usage: [
          {
            ...usageRow('aws', AWS_ACCOUNT, APP, 'ec2:DescribeInstances'),
            first_seen: first,
            last_seen: last,
          },
        ],
      },
      { windowEnd: WINDOW_END },
    );
    const app = short.find((result) => result.principal_id === APP);
    expect(app?.window).toMatchObject({
      days: 90,
      days_observed: 14,
      first_event: first,
      last_event: last,
    });
    expect(app?.confidence.inputs.window_coverage).toBeCloseTo(14 / 90, 4);
    expect(app?.confidence.value).toBeLessThan(resultOf(APP).confidence.value);
    const window = summarizeRightsizing(short).window;
    expect(window).toEqual({
      start: WINDOW_END - 90 * DAY_MS,
      end: WINDOW_END,
      days: 90,
      first_event: first,
      last_event: last,
      days_observed: 14,
    });
  });
});

describe('recommendAwsPolicy size limit', () => {
  // Every ec2:Describe* action used: the policy fits only with the ec2:Describe* wildcard.
  it('compresses to fully used wildcards', () => {
    const actions = expandAwsActionPattern('ec2:Describe*');
    const wide = evaluate([
      {
        source: 'wide.json',
        value: awsAuthorizationDetails([
          awsUser('wide', {
            wide: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: ['ec2:*'], Resource: '*' }],
            },
          }),
        ]),
      },
    ]);
    const wideId = `arn:aws:iam::${AWS_ACCOUNT}:user/wide`;
    const [result] = analyzeRightsizing(
      {
        principals: wide,
        usage: actions.map((action) => usageRow('aws', AWS_ACCOUNT, wideId, action)),
      },
      { windowEnd: WINDOW_END },
    );
    const document = result?.recommendation.document as IamPolicyJson;
    expect(JSON.stringify(actions).length).toBeGreaterThan(AWS_MANAGED_POLICY_MAX_CHARS);
    expect(policySize(document)).toBeLessThanOrEqual(AWS_MANAGED_POLICY_MAX_CHARS);
    expect(document.Statement[0]?.Action).toContain('ec2:Describe*');
    expect(result?.recommendation.notes?.length).toBe(1);
    expect(result?.recommendation.removes).toContain('ec2:TerminateInstances');
  });

  it('splits policy over the limit', () => {
    // Every other EC2 action: no Verb* group is complete, so nothing can be compressed.
    const used = expandAwsActionPattern('ec2:*').filter((_, index) => index % 2 === 0);
    const wide = evaluate([
      {
        source: 'wide.json',
        value: awsAuthorizationDetails([
          awsUser('wide', {
            wide: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: ['ec2:*'], Resource: '*' }],
            },
          }),
        ]),
      },
    ]);
    const wideId = `arn:aws:iam::${AWS_ACCOUNT}:user/wide`;
    const [result] = analyzeRightsizing(
      {
        principals: wide,
        usage: used.map((action) => usageRow('aws', AWS_ACCOUNT, wideId, action)),
      },
      { windowEnd: WINDOW_END },
    );
    const documents = [
      result?.recommendation.document,
      ...(result?.recommendation.additional_documents ?? []),
    ] as IamPolicyJson[];
    expect(documents.length).toBeGreaterThan(1);
    for (const document of documents) {
      expect(policySize(document)).toBeLessThanOrEqual(AWS_MANAGED_POLICY_MAX_CHARS);
    }
    expect(result?.recommendation.notes?.some((note) => note.includes('split'))).toBe(true);
    const grants = evaluateAwsPolicies(documents as unknown as Record<string, unknown>[]);
    expect([...grants.keys()].sort()).toEqual([...used].sort());
  });
});

describe('recommendAwsPolicy with nothing to keep', () => {
  // IAM rejects a policy whose Statement list is empty with MalformedPolicyDocument
  // (https://github.com/otterize/intents-operator/pull/481), so no document is proposed.
  it('proposes no empty policy', () => {
    const denied = `arn:aws:iam::${AWS_ACCOUNT}:user/denied`;
    const [result] = analyzeRightsizing(
      {
        principals: evaluate([
          {
            source: 'denied.json',
            value: awsAuthorizationDetails([
              awsUser('denied', {
                stop: {
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: 'ec2:StopInstances', Resource: '*' }],
                },
              }),
            ]),
          },
        ]),
        // Only denied calls: the principal is active but used none of its grants.
        usage: [
          usageRow('aws', AWS_ACCOUNT, denied, 'ec2:TerminateInstances', { count: 0, denied: 3 }),
        ],
        activity: [activityRow('aws', AWS_ACCOUNT, denied, 1)],
      },
      { windowEnd: WINDOW_END },
    );
    expect(result?.status).toBe('active');
    expect(result?.recommendation.kind).toBe('aws-policy');
    expect(result?.recommendation.document).toBeNull();
    expect(result?.recommendation.removes).toEqual(['ec2:StopInstances']);
    expect(result?.recommendation.notes?.[0]).toContain('detach');
  });
});

describe('recommendAwsPolicy resources', () => {
  const READER = `arn:aws:iam::${AWS_ACCOUNT}:user/reader`;

  /** Analyzes user `reader`, allowed s3:GetObject and s3:PutObject on `data/*`, with `usage`. */
  function analyzeReader(usage: Parameters<typeof analyzeRightsizing>[0]['usage']) {
    const [result] = analyzeRightsizing(
      {
        principals: evaluate([
          {
            source: 'reader.json',
            value: awsAuthorizationDetails([
              awsUser('reader', {
                read: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: ['s3:GetObject', 's3:PutObject'],
                      Resource: 'arn:aws:s3:::data/*',
                    },
                  ],
                },
              }),
            ]),
          },
        ]),
        usage,
      },
      { windowEnd: WINDOW_END },
    );
    return result;
  }

  // The usage names the bucket as well as the object. The grant covers only objects, so the
  // replacement must not name the bucket for s3:GetObject.
  it('keeps only resources the grant covers', () => {
    const result = analyzeReader([
      usageRow('aws', AWS_ACCOUNT, READER, 's3:GetObject', {
        resources: ['arn:aws:s3:::data', 'arn:aws:s3:::data/a.txt'],
        visibility: 'data-event',
      }),
    ]);
    expect((result?.recommendation.document as IamPolicyJson).Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::data/a.txt' },
    ]);
  });

  it('lists no more resources than fit', () => {
    // Ten days of reads, each day of 19 objects: the ARNs alone exceed the size limit.
    const objects = Array.from(
      { length: 190 },
      (_, index) =>
        `arn:aws:s3:::data/reports/2026/daily-report-${String(index).padStart(4, '0')}.csv`,
    );
    const usage = Array.from({ length: 10 }, (_, day) =>
      usageRow('aws', AWS_ACCOUNT, READER, 's3:GetObject', {
        daysAgo: day + 1,
        resources: objects.slice(day * 19, day * 19 + 19),
        visibility: 'data-event',
      }),
    );
    const result = analyzeReader(usage);
    expect(JSON.stringify(objects).length).toBeGreaterThan(AWS_MANAGED_POLICY_MAX_CHARS);

    const documents = [
      result?.recommendation.document,
      ...(result?.recommendation.additional_documents ?? []),
    ] as IamPolicyJson[];
    for (const document of documents) {
      expect(policySize(document)).toBeLessThanOrEqual(AWS_MANAGED_POLICY_MAX_CHARS);
    }

    const grants = evaluateAwsPolicies(documents as unknown as Record<string, unknown>[]);
    for (const object of objects) {
      expect(grants.get('s3:GetObject')?.some((pattern) => arnMatches(pattern, object))).toBe(true);
    }
    expect(grants.has('s3:PutObject')).toBe(false);
    expect(result?.recommendation.notes?.some((note) => note.includes('s3:GetObject'))).toBe(true);
  });

  it('falls back to granted resources', () => {
    const result = analyzeReader([
      usageRow('aws', AWS_ACCOUNT, READER, 's3:GetObject', {
        resources: ['arn:aws:s3:::data'],
        visibility: 'data-event',
      }),
    ]);
    expect((result?.recommendation.document as IamPolicyJson).Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::data/*' },
    ]);
  });
});

describe('classifyRisk from findings', () => {
  it('path permissions rank as escalation', () => {
    // ec2:RunInstances is a write, unless a finding path names it as an escalation step.
    const [app] = analyzeRightsizing(
      {
        principals: [
          {
            provider: 'aws',
            account_id: AWS_ACCOUNT,
            principal_id: APP,
            principal_type: 'user',
            principal_name: 'app',
            tags: {},
            grants: [
              {
                permission: 'ec2:RunInstances',
                resource: '*',
                conditional: false,
                via: 'inline:app',
              },
              {
                permission: 'ec2:StopInstances',
                resource: '*',
                conditional: false,
                via: 'inline:app',
              },
              {
                permission: 'ec2:DescribeInstances',
                resource: '*',
                conditional: false,
                via: 'inline:app',
              },
            ],
            findings: [
              {
                kind: 'privilege-escalation',
                severity: 'high',
                summary: 'an instance can run as an admin role',
                path: [
                  APP,
                  'iam:PassRole+ec2:RunInstances',
                  `arn:aws:iam::${AWS_ACCOUNT}:role/admin`,
                ],
              },
            ],
          },
        ],
        usage: [usageRow('aws', AWS_ACCOUNT, APP, 'ec2:DescribeInstances')],
      },
      { windowEnd: WINDOW_END },
    );
    expect(app?.unused).toEqual([
      { permission: 'ec2:RunInstances', risk: 'escalation', service: 'ec2' },
      { permission: 'ec2:StopInstances', risk: 'write', service: 'ec2' },
    ]);
    expect(app?.findings[0]?.kind).toBe('privilege-escalation');
  });
});

describe('AWS recommendations from conditional grants', () => {
  const SECURE = { Bool: { 'aws:SecureTransport': 'true' } };
  const IN_VPC = { StringEquals: { 'aws:SourceVpc': 'vpc-111' } };

  /** Analyzes one user whose inline policy has `statements`, with use of each action given. */
  function recommend(statements: Record<string, unknown>[], used: string[]) {
    const user = `arn:aws:iam::${AWS_ACCOUNT}:user/guarded`;
    const principals = evaluate([
      {
        source: 'guarded.json',
        value: awsAuthorizationDetails([
          awsUser('guarded', { guarded: { Version: '2012-10-17', Statement: statements } }),
        ]),
      },
    ]);
    const [result] = analyzeRightsizing(
      { principals, usage: used.map((action) => usageRow('aws', AWS_ACCOUNT, user, action)) },
      { windowEnd: WINDOW_END },
    );
    return result?.recommendation;
  }

  it('keeps the Condition of a permission granted under one', () => {
    // The policy before the change grants s3:GetObject over TLS only; so must the new one.
    const recommendation = recommend(
      [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: SECURE },
        { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:StopInstances'], Resource: '*' },
      ],
      ['s3:GetObject', 'ec2:DescribeInstances'],
    );
    const statements = (recommendation?.document as IamPolicyJson).Statement;
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: '*',
      Condition: SECURE,
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['ec2:DescribeInstances'],
      Resource: '*',
    });
    expect(recommendation?.notes).toBeUndefined();
  });

  it('grants without a Condition a permission also granted without one', () => {
    const recommendation = recommend(
      [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: SECURE },
        { Effect: 'Allow', Action: ['s3:GetObject', 'ec2:StopInstances'], Resource: '*' },
      ],
      ['s3:GetObject'],
    );
    expect((recommendation?.document as IamPolicyJson).Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' },
    ]);
  });

  it('keeps the Condition only on resources granted under it', () => {
    // Free on one bucket and over TLS only on another: the new policy must not drop the
    // condition on the second bucket, nor add it on the first.
    const recommendation = recommend(
      [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public/*' },
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::secret/*',
          Condition: SECURE,
        },
        { Effect: 'Allow', Action: 'ec2:StopInstances', Resource: '*' },
      ],
      ['s3:GetObject'],
    );
    const statements = (recommendation?.document as IamPolicyJson).Statement;
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::public/*',
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::secret/*',
      Condition: SECURE,
    });
    expect(recommendation?.notes).toBeUndefined();
  });

  it('drops a Condition a grant on every resource makes moot', () => {
    const recommendation = recommend(
      [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::secret/*',
          Condition: SECURE,
        },
        { Effect: 'Allow', Action: 'ec2:StopInstances', Resource: '*' },
      ],
      ['s3:GetObject'],
    );
    const statements = (recommendation?.document as IamPolicyJson).Statement;
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: ['*', 'arn:aws:s3:::secret/*'],
    });
    expect(statements.some((statement) => statement.Condition !== undefined)).toBe(false);
  });

  it('names a permission whose different conditions it cannot restate', () => {
    const recommendation = recommend(
      [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: SECURE },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: IN_VPC },
        { Effect: 'Allow', Action: 'ec2:StopInstances', Resource: '*' },
      ],
      ['s3:GetObject'],
    );
    expect(recommendation?.notes).toHaveLength(1);
    expect(recommendation?.notes?.[0]).toContain('s3:GetObject');
  });
});
