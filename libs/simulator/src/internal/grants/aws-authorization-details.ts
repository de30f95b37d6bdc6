import { AWS_MANAGED_POLICIES, awsManagedPolicyArn } from '../catalog/aws-policies.js';
import type { AwsAccount, Estate, Principal } from '../estate/model.js';
import { Prng } from '../prng.js';

/**
 * Builds `aws iam get-account-authorization-details` output for one account, in the CLI's
 * shape: policy documents decoded to JSON objects, `Policies[]` with every managed policy
 * attached anywhere in the account and its `PolicyVersionList`.
 */
export function buildAuthorizationDetails(
  estate: Estate,
  account: AwsAccount,
): Record<string, unknown> {
  const rng = new Prng(estate.seed, 'authorization-details', account.id);
  const created = (daysBefore: number): string =>
    new Date(estate.start - daysBefore * 86_400_000).toISOString().slice(0, 19) + '+00:00';
  const principals = estate.principals.filter((p) => p.aws?.accountId === account.id);
  const users = principals.filter((p) => p.aws?.kind === 'user');
  const roles = principals.filter((p) => p.aws?.kind === 'role');
  const attached = (arns: readonly string[]) =>
    arns.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }));
  const groupPolicyArns = (name: string): string[] => {
    const group = account.groups.find((g) => g.name === name);
    if (!group) return [];
    return [
      ...group.managedPolicyNames.map((n) =>
        awsManagedPolicyArn(
          AWS_MANAGED_POLICIES.find((p) => p.name === n) ?? {
            name: n,
            path: '/',
            document: { Version: '2012-10-17', Statement: [] },
          },
        ),
      ),
      ...group.customerPolicyNames.map((n) => `arn:aws:iam::${account.id}:policy/${n}`),
    ];
  };

  const UserDetailList = users.map((p) => {
    const aws = p.aws as NonNullable<Principal['aws']>;
    return {
      Path: '/',
      UserName: aws.name,
      UserId: aws.uniqueId,
      Arn: aws.arn,
      CreateDate: aws.createDate.replace('Z', '+00:00'),
      UserPolicyList: aws.inlinePolicies.map((i) => ({
        PolicyName: i.name,
        PolicyDocument: i.document,
      })),
      GroupList: [...aws.groupNames],
      AttachedManagedPolicies: attached(aws.managedPolicyArns),
      Tags: [...aws.tags],
    };
  });

  const GroupDetailList = account.groups.map((group) => ({
    Path: '/',
    GroupName: group.name,
    GroupId: group.groupId,
    Arn: `arn:aws:iam::${account.id}:group/${group.name}`,
    CreateDate: created(700),
    GroupPolicyList: [],
    AttachedManagedPolicies: attached(groupPolicyArns(group.name)),
  }));

  const RoleDetailList = roles.map((p) => {
    const aws = p.aws as NonNullable<Principal['aws']>;
    const path = aws.assumedBy === 'service' ? '/service-role/' : '/';
    return {
      Path: path,
      RoleName: aws.name,
      RoleId: aws.uniqueId,
      Arn: aws.arn,
      CreateDate: aws.createDate.replace('Z', '+00:00'),
      AssumeRolePolicyDocument: aws.trustPolicy,
      InstanceProfileList:
        aws.servicePrincipal === 'ec2.amazonaws.com'
          ? [
              {
                Path: '/',
                InstanceProfileName: aws.name,
                InstanceProfileId: `AIPA${rng.chars(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
                Arn: `arn:aws:iam::${account.id}:instance-profile/${aws.name}`,
                CreateDate: aws.createDate.replace('Z', '+00:00'),
                Roles: [],
              },
            ]
          : [],
      RolePolicyList: aws.inlinePolicies.map((i) => ({
        PolicyName: i.name,
        PolicyDocument: i.document,
      })),
      AttachedManagedPolicies: attached(aws.managedPolicyArns),
      Tags: [...aws.tags],
      RoleLastUsed: {},
    };
  });

  // Every managed policy referenced in the account, AWS managed first, sorted by ARN.
  const referenced = new Set<string>();
  for (const list of [...UserDetailList, ...GroupDetailList, ...RoleDetailList]) {
    for (const policy of list.AttachedManagedPolicies) referenced.add(policy.PolicyArn);
  }
  const Policies: Array<Record<string, unknown>> = [];
  for (const policy of AWS_MANAGED_POLICIES) {
    const arn = awsManagedPolicyArn(policy);
    if (!referenced.has(arn)) continue;
    Policies.push({
      PolicyName: policy.name,
      PolicyId: `ANPA${new Prng('aws-managed-policy', policy.name).chars(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
      Arn: arn,
      Path: policy.path,
      DefaultVersionId: 'v1',
      AttachmentCount: countAttachments(arn, UserDetailList, GroupDetailList, RoleDetailList),
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: '2015-02-06T18:39:46+00:00',
      UpdateDate: '2015-02-06T18:39:46+00:00',
      PolicyVersionList: [
        {
          Document: policy.document,
          VersionId: 'v1',
          IsDefaultVersion: true,
          CreateDate: '2015-02-06T18:39:46+00:00',
        },
      ],
    });
  }
  for (const policy of account.customerPolicies) {
    const arn = `arn:aws:iam::${account.id}:policy/${policy.name}`;
    const versions = [policy.document, ...policy.previousDocuments];
    Policies.push({
      PolicyName: policy.name,
      PolicyId: policy.policyId,
      Arn: arn,
      Path: '/',
      DefaultVersionId: `v${versions.length}`,
      AttachmentCount: countAttachments(arn, UserDetailList, GroupDetailList, RoleDetailList),
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: created(400),
      UpdateDate: created(60),
      PolicyVersionList: versions.map((document, i) => ({
        Document: document,
        VersionId: `v${versions.length - i}`,
        IsDefaultVersion: i === 0,
        CreateDate: created(i === 0 ? 60 : 400),
      })),
    });
  }
  return { UserDetailList, GroupDetailList, RoleDetailList, Policies };
}

function countAttachments(
  arn: string,
  ...lists: Array<Array<{ AttachedManagedPolicies: Array<{ PolicyArn: string }> }>>
): number {
  let count = 0;
  for (const list of lists)
    for (const item of list)
      if (item.AttachedManagedPolicies.some((p) => p.PolicyArn === arn)) count++;
  return count;
}
