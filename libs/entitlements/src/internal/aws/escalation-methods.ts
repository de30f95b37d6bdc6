/**
 * Known ways an IAM principal can raise its own privileges, each a set of permissions that
 * together let it grant itself more. A principal holding all of a method's permissions on
 * a resource matching `targetPattern` gets a `privilege-escalation` finding.
 */
export interface EscalationMethod {
  readonly permissions: readonly string[];
  /**
   * Resource pattern the IAM and STS permissions must reach, for the principal's account.
   * Permissions of other services (`ec2:RunInstances`) may be held on any resource.
   */
  readonly targetPattern: (account: string) => string;
  /** The method only works against a user other than the caller. */
  readonly otherUsersOnly?: boolean;
  /** The method passes a role to this service, which must trust it and hold admin access. */
  readonly passRoleTo?: string;
  readonly summary: string;
}

const policy = (account: string): string => `arn:aws:iam::${account}:policy/*`;
const user = (account: string): string => `arn:aws:iam::${account}:user/*`;
const role = (account: string): string => `arn:aws:iam::${account}:role/*`;
const group = (account: string): string => `arn:aws:iam::${account}:group/*`;

/** The methods checked, in report order. */
export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  {
    permissions: ['iam:CreatePolicyVersion'],
    targetPattern: policy,
    summary: 'a new default version of an attached customer managed policy can allow anything',
  },
  {
    permissions: ['iam:SetDefaultPolicyVersion'],
    targetPattern: policy,
    summary: 'an older, broader version of a policy can be made the default',
  },
  {
    permissions: ['iam:AttachUserPolicy'],
    targetPattern: user,
    summary: 'AdministratorAccess can be attached to a user',
  },
  {
    permissions: ['iam:AttachRolePolicy'],
    targetPattern: role,
    summary: 'AdministratorAccess can be attached to a role',
  },
  {
    permissions: ['iam:AttachGroupPolicy'],
    targetPattern: group,
    summary: 'AdministratorAccess can be attached to a group',
  },
  {
    permissions: ['iam:PutUserPolicy'],
    targetPattern: user,
    summary: 'an inline policy allowing anything can be written on a user',
  },
  {
    permissions: ['iam:PutRolePolicy'],
    targetPattern: role,
    summary: 'an inline policy allowing anything can be written on a role',
  },
  {
    permissions: ['iam:PutGroupPolicy'],
    targetPattern: group,
    summary: 'an inline policy allowing anything can be written on a group',
  },
  {
    permissions: ['iam:AddUserToGroup'],
    targetPattern: group,
    summary: 'a user can be added to a more privileged group',
  },
  {
    permissions: ['iam:CreateAccessKey'],
    targetPattern: user,
    otherUsersOnly: true,
    summary: 'access keys can be created for another user',
  },
  {
    permissions: ['iam:CreateLoginProfile'],
    targetPattern: user,
    otherUsersOnly: true,
    summary: 'a console password can be set for another user',
  },
  {
    permissions: ['iam:UpdateLoginProfile'],
    targetPattern: user,
    otherUsersOnly: true,
    summary: "another user's console password can be changed",
  },
  {
    permissions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'],
    targetPattern: role,
    summary: "a role's trust policy can be changed to let the caller assume it",
  },
  {
    permissions: ['iam:PassRole', 'ec2:RunInstances'],
    targetPattern: role,
    passRoleTo: 'ec2.amazonaws.com',
    summary: 'an EC2 instance can run with an admin role',
  },
  {
    permissions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
    targetPattern: role,
    passRoleTo: 'lambda.amazonaws.com',
    summary: 'a Lambda function can run with an admin role',
  },
  {
    permissions: ['iam:PassRole', 'cloudformation:CreateStack'],
    targetPattern: role,
    passRoleTo: 'cloudformation.amazonaws.com',
    summary: 'a CloudFormation stack can create resources with an admin role',
  },
  {
    permissions: ['iam:PassRole', 'glue:CreateDevEndpoint'],
    targetPattern: role,
    passRoleTo: 'glue.amazonaws.com',
    summary: 'a Glue development endpoint can run with an admin role',
  },
];
