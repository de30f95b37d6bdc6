import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/entitlements.js';
import { parseAwsAuthorizationDetails } from './authorization-details.js';
import type { AwsEntitlementsResult } from './evaluate-aws.js';
import { evaluateAwsEntitlements } from './evaluate-aws.js';
import { ACCOUNT, ADMINISTRATOR_ACCESS, policy, role, trust, user } from './test-estate.js';

const arn = (kind: 'user' | 'role', name: string): string =>
  `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;

function evaluate(page: Record<string, unknown>): AwsEntitlementsResult {
  return evaluateAwsEntitlements(
    parseAwsAuthorizationDetails([{ source: 'fixture.json', value: page }]),
  );
}

function findingsOf(result: AwsEntitlementsResult, id: string): Finding[] {
  return result.principals.find((principal) => principal.principal_id === id)?.findings ?? [];
}

const assume = (resource: string) =>
  policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource });

describe('findAwsRisks', () => {
  it('reports admin-equivalent principals', () => {
    const result = evaluate({
      UserDetailList: [
        user('admin', { inline: { all: ADMINISTRATOR_ACCESS } }),
        user('iam-all', {
          inline: { iam: policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) },
        }),
        user('reader', {
          inline: { read: policy({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }) },
        }),
      ],
    });
    expect(findingsOf(result, arn('user', 'admin')).map((finding) => finding.kind)).toEqual([
      'admin-equivalent',
    ]);
    expect(findingsOf(result, arn('user', 'iam-all')).map((finding) => finding.kind)).toEqual([
      'admin-equivalent',
    ]);
    expect(findingsOf(result, arn('user', 'reader'))).toEqual([]);
  });

  it('finds role chain to admin', () => {
    // A may assume B (B trusts A's account, A's policy allows it); B may assume C (C names
    // B in its trust policy); C holds AdministratorAccess.
    const result = evaluate({
      UserDetailList: [user('a', { inline: { hop: assume(arn('role', 'b')) } })],
      RoleDetailList: [
        role('b', trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), {
          inline: { hop: assume(arn('role', 'c')) },
        }),
        role('c', trust({ AWS: arn('role', 'b') }), { inline: { all: ADMINISTRATOR_ACCESS } }),
      ],
    });
    const chains = findingsOf(result, arn('user', 'a')).filter(
      (finding) => finding.kind === 'privilege-escalation',
    );
    expect(chains.map((finding) => finding.path)).toEqual([
      [arn('user', 'a'), arn('role', 'b'), arn('role', 'c')],
    ]);
    expect(chains[0]?.severity).toBe('high');
    expect(findingsOf(result, arn('role', 'b')).map((finding) => finding.path)).toEqual([
      [arn('role', 'b'), arn('role', 'c')],
    ]);
  });

  it('requires identity permission for account trust', () => {
    const result = evaluate({
      UserDetailList: [user('a')],
      RoleDetailList: [
        role('c', trust({ AWS: ACCOUNT }), { inline: { all: ADMINISTRATOR_ACCESS } }),
      ],
    });
    expect(result.assumeRoleEdges).toEqual([]);
    expect(findingsOf(result, arn('user', 'a'))).toEqual([]);
  });

  it('reports shadow admin escalation methods', () => {
    const result = evaluate({
      UserDetailList: [
        user('versions', {
          inline: {
            p: policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }),
          },
        }),
        user('keys', {
          inline: {
            p: policy({
              Effect: 'Allow',
              Action: 'iam:CreateAccessKey',
              Resource: `arn:aws:iam::${ACCOUNT}:user/*`,
            }),
          },
        }),
        user('own-keys', {
          inline: {
            p: policy({
              Effect: 'Allow',
              Action: 'iam:CreateAccessKey',
              Resource: arn('user', 'own-keys'),
            }),
          },
        }),
      ],
    });
    expect(findingsOf(result, arn('user', 'versions'))).toEqual([
      {
        kind: 'privilege-escalation',
        severity: 'high',
        summary: expect.stringContaining('iam:CreatePolicyVersion'),
        path: [arn('user', 'versions'), 'iam:CreatePolicyVersion', '*'],
      },
    ]);
    const keys = findingsOf(result, arn('user', 'keys'));
    expect(keys).toHaveLength(1);
    expect(keys[0]?.path[1]).toBe('iam:CreateAccessKey');
    expect(keys[0]?.path[2]).not.toBe(arn('user', 'keys'));
    expect(findingsOf(result, arn('user', 'own-keys'))).toEqual([]);
  });

  it('reports PassRole with RunInstances', () => {
    const result = evaluate({
      UserDetailList: [
        user('launcher', {
          inline: {
            p: policy(
              { Effect: 'Allow', Action: 'iam:PassRole', Resource: arn('role', 'ec2-admin') },
              { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
            ),
          },
        }),
      ],
      RoleDetailList: [
        role('ec2-admin', trust({ Service: 'ec2.amazonaws.com' }), {
          inline: { all: ADMINISTRATOR_ACCESS },
        }),
      ],
    });
    expect(findingsOf(result, arn('user', 'launcher')).map((finding) => finding.path)).toEqual([
      [arn('user', 'launcher'), 'iam:PassRole+ec2:RunInstances', arn('role', 'ec2-admin')],
    ]);
  });

  it('reports public and cross-account trust', () => {
    const result = evaluate({
      RoleDetailList: [
        role('open', trust({ AWS: '*' })),
        role('guarded', trust('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } })),
        role('partner', trust({ AWS: 'arn:aws:iam::444455556666:root' })),
        role('service', trust({ Service: 'lambda.amazonaws.com' })),
      ],
    });
    expect(findingsOf(result, arn('role', 'open'))).toEqual([
      expect.objectContaining({
        kind: 'public-exposure',
        severity: 'critical',
        path: ['*', arn('role', 'open')],
      }),
    ]);
    expect(findingsOf(result, arn('role', 'guarded'))).toEqual([
      expect.objectContaining({ kind: 'public-exposure', severity: 'medium' }),
    ]);
    expect(findingsOf(result, arn('role', 'partner'))).toEqual([
      expect.objectContaining({
        kind: 'cross-account-exposure',
        path: ['arn:aws:iam::444455556666:root', arn('role', 'partner')],
      }),
    ]);
    expect(findingsOf(result, arn('role', 'service'))).toEqual([]);
    expect(
      result.trustEdges.find((edge) => edge.role === arn('role', 'service'))?.trusteeKind,
    ).toBe('service');
  });
});
