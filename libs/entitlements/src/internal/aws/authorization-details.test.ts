import { InputError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { parseAwsAuthorizationDetails } from './authorization-details.js';
import { parseAwsOrganizationPolicies } from './organization-policies.js';
import { ACCOUNT, group, managedPolicy, policy, role, trust, user } from './test-estate.js';

const readS3 = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });

/** The raw IAM API returns each policy document as URL-encoded JSON text. */
function urlEncoded(document: unknown): string {
  return encodeURIComponent(JSON.stringify(document));
}

describe('parseAwsAuthorizationDetails', () => {
  it('reads CLI documents as objects', () => {
    const details = parseAwsAuthorizationDetails([
      {
        source: 'cli.json',
        value: {
          UserDetailList: [
            user('a', { inline: { read: readS3 }, groups: ['devs'], tags: { team: 'x' } }),
          ],
          GroupDetailList: [group('devs')],
          RoleDetailList: [role('r', trust({ Service: 'ec2.amazonaws.com' }))],
          Policies: [],
        },
      },
    ]);
    expect(details.users[0]?.inlinePolicies[0]?.document.statements[0]?.action).toEqual([
      's3:GetObject',
    ]);
    expect(details.users[0]?.groupNames).toEqual(['devs']);
    expect(details.users[0]?.tags).toEqual({ team: 'x' });
    expect(details.roles[0]?.trustPolicy.statements[0]?.principal).toEqual({
      Service: ['ec2.amazonaws.com'],
    });
    expect(details.groups).toHaveLength(1);
  });

  it('decodes URL-encoded API documents', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/p`;
    const raw = managedPolicy(arn, { v1: readS3 }, 'v1') as {
      PolicyVersionList: { Document: unknown }[];
    };
    for (const version of raw.PolicyVersionList) version.Document = urlEncoded(version.Document);
    const roleEntry = role('r', trust({ AWS: '*' }), { inline: { read: readS3 } }) as Record<
      string,
      unknown
    >;
    roleEntry['AssumeRolePolicyDocument'] = urlEncoded(roleEntry['AssumeRolePolicyDocument']);
    const inline = roleEntry['RolePolicyList'] as { PolicyDocument: unknown }[];
    for (const entry of inline) entry.PolicyDocument = urlEncoded(entry.PolicyDocument);

    const details = parseAwsAuthorizationDetails([
      { source: 'api.json', value: { RoleDetailList: [roleEntry], Policies: [raw] } },
    ]);
    expect(details.policies.get(arn)?.document.statements[0]?.resource).toEqual(['*']);
    expect(details.roles[0]?.trustPolicy.statements[0]?.principal).toEqual({ AWS: ['*'] });
    expect(details.roles[0]?.inlinePolicies[0]?.document.statements[0]?.action).toEqual([
      's3:GetObject',
    ]);
  });

  it('merges paginated pieces', () => {
    const details = parseAwsAuthorizationDetails([
      {
        source: 'page-1.json',
        value: { UserDetailList: [user('a')], IsTruncated: true, Marker: 'm1' },
      },
      {
        source: 'page-2.json',
        value: { UserDetailList: [user('b'), user('a')], RoleDetailList: [], IsTruncated: false },
      },
    ]);
    expect(details.users.map((entry) => entry.name)).toEqual(['a', 'b']);
  });

  it('rejects a page without lists', () => {
    expect(() =>
      parseAwsAuthorizationDetails([{ source: 'x.json', value: { Users: [] } }]),
    ).toThrow(InputError);
  });

  it('names the field of a bad document', () => {
    const entry = user('a', { inline: { bad: policy() } }) as {
      UserPolicyList: { PolicyDocument: unknown }[];
    };
    entry.UserPolicyList[0]!.PolicyDocument = '%7Bnot json';
    expect(() =>
      parseAwsAuthorizationDetails([{ source: 'x.json', value: { UserDetailList: [entry] } }]),
    ).toThrow(
      /x\.json: policy document at UserDetailList\[0\]\.UserPolicyList\[0\]\.PolicyDocument is invalid/,
    );
  });

  it('rejects a policy without default version', () => {
    const raw = managedPolicy(`arn:aws:iam::${ACCOUNT}:policy/p`, { v1: readS3 }, 'v9');
    expect(() =>
      parseAwsAuthorizationDetails([{ source: 'x.json', value: { Policies: [raw] } }]),
    ).toThrow(/Policies\[0\]\.PolicyVersionList is invalid/);
  });
});

describe('parseAwsOrganizationPolicies', () => {
  it('reads describe-policy output', () => {
    const parsed = parseAwsOrganizationPolicies(
      {
        accountId: ACCOUNT,
        serviceControlPolicies: [
          {
            Policy: {
              PolicySummary: { Id: 'p-1', Name: 'deny-leave' },
              Content: JSON.stringify(readS3),
            },
          },
        ],
        resourceControlPolicies: [readS3],
      },
      'org.json',
    );
    expect(parsed.managementAccount).toBe(false);
    expect(parsed.serviceControlPolicies[0]?.name).toBe('scp:deny-leave');
    expect(parsed.resourceControlPolicies[0]?.name).toBe('rcp:0');
  });

  it('rejects a bad account id', () => {
    expect(() => parseAwsOrganizationPolicies({ accountId: '12' }, 'org.json')).toThrow(
      /org\.json: field accountId is invalid: expected a 12-digit AWS account id/,
    );
  });
});
