import { describe, expect, it } from 'vitest';
import { parseAwsAuthorizationDetails } from './authorization-details.js';
import type { AwsEntitlementsResult } from './evaluate-aws.js';
import { evaluateAwsEntitlements } from './evaluate-aws.js';
import { ACCOUNT, policy, role } from './test-estate.js';

// Trust policies follow the IAM User Guide ("Policy evaluation logic": an explicit Deny
// overrides any Allow; "AWS JSON policy elements: NotPrincipal").
const PARTNER = '444455556666';
const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

function evaluate(...roles: Record<string, unknown>[]): AwsEntitlementsResult {
  return evaluateAwsEntitlements(
    parseAwsAuthorizationDetails([{ source: 'fixture.json', value: { RoleDetailList: roles } }]),
  );
}

function edgesOf(result: AwsEntitlementsResult, name: string) {
  return result.trustEdges
    .filter((edge) => edge.role === roleArn(name))
    .map((edge) => ({
      trustee: edge.trustee,
      kind: edge.trusteeKind,
      actions: edge.actions,
      conditional: edge.conditional,
    }));
}

function findingKinds(result: AwsEntitlementsResult, name: string): string[] {
  const principal = result.principals.find((entry) => entry.principal_id === roleArn(name));
  return (principal?.findings ?? []).map((finding) => `${finding.kind}:${finding.severity}`);
}

const allow = (principal: unknown, action: unknown = 'sts:AssumeRole') => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
});

describe('trust policy Deny statements', () => {
  it('removes an edge that an unconditional Deny covers', () => {
    const result = evaluate(
      role('open', policy(allow('*'), { Effect: 'Deny', Principal: '*', Action: 'sts:*' })),
      role(
        'partner',
        policy(allow({ AWS: `arn:aws:iam::${PARTNER}:root` }), {
          Effect: 'Deny',
          Principal: { AWS: PARTNER },
          Action: 'sts:AssumeRole',
        }),
      ),
    );
    expect(edgesOf(result, 'open')).toEqual([]);
    expect(findingKinds(result, 'open')).toEqual([]);
    expect(edgesOf(result, 'partner')).toEqual([]);
    expect(findingKinds(result, 'partner')).toEqual([]);
  });

  it('makes an edge conditional under a conditional Deny', () => {
    // The usual guardrail: anyone may assume the role, unless outside the organization.
    const result = evaluate(
      role(
        'guarded',
        policy(allow({ AWS: '*' }), {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
        }),
      ),
    );
    expect(edgesOf(result, 'guarded')).toEqual([
      { trustee: '*', kind: 'public', actions: ['sts:AssumeRole'], conditional: true },
    ]);
    expect(findingKinds(result, 'guarded')).toEqual(['public-exposure:medium']);
  });

  it('keeps an edge that a Deny covers only in part', () => {
    const result = evaluate(
      role(
        'partner',
        policy(allow({ AWS: PARTNER }), {
          Effect: 'Deny',
          Principal: { AWS: `arn:aws:iam::${PARTNER}:user/mallory` },
          Action: 'sts:AssumeRole',
        }),
      ),
    );
    expect(edgesOf(result, 'partner')).toEqual([
      {
        trustee: `arn:aws:iam::${PARTNER}:root`,
        kind: 'account',
        actions: ['sts:AssumeRole'],
        conditional: false,
      },
    ]);
  });

  it('narrows a public edge to the principals a Deny with NotPrincipal spares', () => {
    const deployer = `arn:aws:iam::${PARTNER}:role/deployer`;
    const result = evaluate(
      role(
        'target',
        policy(allow('*'), {
          Effect: 'Deny',
          NotPrincipal: { AWS: deployer },
          Action: 'sts:AssumeRole',
        }),
      ),
    );
    expect(edgesOf(result, 'target')).toEqual([
      { trustee: deployer, kind: 'principal', actions: ['sts:AssumeRole'], conditional: false },
    ]);
    expect(findingKinds(result, 'target')).toEqual(['cross-account-exposure:medium']);
  });

  it('removes only the denied actions', () => {
    const provider = `arn:aws:iam::${ACCOUNT}:saml-provider/corp`;
    const result = evaluate(
      role(
        'federated',
        policy(allow({ Federated: provider }, 'sts:AssumeRoleWith*'), {
          Effect: 'Deny',
          Principal: { Federated: provider },
          Action: 'sts:AssumeRoleWithWebIdentity',
        }),
      ),
    );
    expect(edgesOf(result, 'federated')).toEqual([
      {
        trustee: provider,
        kind: 'federated',
        actions: ['sts:AssumeRoleWithSAML'],
        conditional: false,
      },
    ]);
  });

  it('leaves edges of other trustees and actions alone', () => {
    const result = evaluate(
      role(
        'service',
        policy(
          allow({ Service: 'lambda.amazonaws.com' }),
          { Effect: 'Deny', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:*' },
          { Effect: 'Deny', Principal: '*', Action: 's3:*' },
        ),
      ),
    );
    expect(edgesOf(result, 'service')).toEqual([
      {
        trustee: 'lambda.amazonaws.com',
        kind: 'service',
        actions: ['sts:AssumeRole'],
        conditional: false,
      },
    ]);
  });
});

describe('trust policy Allow with NotPrincipal', () => {
  it('trusts anyone but the named principals', () => {
    const result = evaluate(
      role(
        'inverted',
        policy({
          Effect: 'Allow',
          NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:user/blocked` },
          Action: 'sts:AssumeRole',
        }),
      ),
    );
    expect(edgesOf(result, 'inverted')).toEqual([
      { trustee: '*', kind: 'public', actions: ['sts:AssumeRole'], conditional: false },
    ]);
    expect(findingKinds(result, 'inverted')).toEqual(['public-exposure:critical']);
  });
});
