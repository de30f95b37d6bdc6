/**
 * Builders of hand-written GetAccountAuthorizationDetails documents in the AWS CLI shape,
 * for tests. Only the fields the CLI prints and the parser reads are filled in.
 */

export const ACCOUNT = '111122223333';

type Document = Record<string, unknown>;

/** Builds a policy document with the given statements. */
export function policy(...statements: Document[]): Document {
  return { Version: '2012-10-17', Statement: statements };
}

/** Builds a `UserDetailList` entry. */
export function user(
  name: string,
  options: {
    inline?: Record<string, Document>;
    attached?: string[];
    groups?: string[];
    boundary?: string;
    tags?: Record<string, string>;
    account?: string;
  } = {},
): Document {
  const account = options.account ?? ACCOUNT;
  return {
    Path: '/',
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${account}:user/${name}`,
    CreateDate: '2024-01-01T00:00:00+00:00',
    UserPolicyList: Object.entries(options.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({
      PolicyName,
      PolicyDocument,
    })),
    GroupList: options.groups ?? [],
    AttachedManagedPolicies: (options.attached ?? []).map((arn) => ({
      PolicyName: arn.split('/').pop(),
      PolicyArn: arn,
    })),
    ...(options.boundary === undefined
      ? {}
      : {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'Policy',
            PermissionsBoundaryArn: options.boundary,
          },
        }),
    Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  };
}

/** Builds a `GroupDetailList` entry. */
export function group(
  name: string,
  options: { inline?: Record<string, Document>; attached?: string[] } = {},
): Document {
  return {
    Path: '/',
    GroupName: name,
    GroupId: `AGPA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    CreateDate: '2024-01-01T00:00:00+00:00',
    GroupPolicyList: Object.entries(options.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({
      PolicyName,
      PolicyDocument,
    })),
    AttachedManagedPolicies: (options.attached ?? []).map((arn) => ({
      PolicyName: arn.split('/').pop(),
      PolicyArn: arn,
    })),
  };
}

/** Builds a `RoleDetailList` entry. `trust` is the AssumeRolePolicyDocument. */
export function role(
  name: string,
  trust: Document,
  options: {
    inline?: Record<string, Document>;
    attached?: string[];
    boundary?: string;
    path?: string;
    tags?: Record<string, string>;
  } = {},
): Document {
  return {
    Path: options.path ?? '/',
    RoleName: name,
    RoleId: `AROA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role${options.path ?? '/'}${name}`,
    CreateDate: '2024-01-01T00:00:00+00:00',
    AssumeRolePolicyDocument: trust,
    InstanceProfileList: [],
    RolePolicyList: Object.entries(options.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({
      PolicyName,
      PolicyDocument,
    })),
    AttachedManagedPolicies: (options.attached ?? []).map((arn) => ({
      PolicyName: arn.split('/').pop(),
      PolicyArn: arn,
    })),
    ...(options.boundary === undefined
      ? {}
      : {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'Policy',
            PermissionsBoundaryArn: options.boundary,
          },
        }),
    Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    RoleLastUsed: {},
  };
}

/** A `Policies` entry; `versions` maps version ids to documents, `defaultVersion` picks one. */
export function managedPolicy(
  arn: string,
  versions: Record<string, Document>,
  defaultVersion: string,
): Document {
  return {
    PolicyName: arn.split('/').pop(),
    PolicyId: `ANPA${(arn.split('/').pop() ?? '').toUpperCase()}`,
    Arn: arn,
    Path: '/',
    DefaultVersionId: defaultVersion,
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: '2024-01-01T00:00:00+00:00',
    UpdateDate: '2024-01-01T00:00:00+00:00',
    PolicyVersionList: Object.entries(versions).map(([VersionId, Document]) => ({
      Document,
      VersionId,
      IsDefaultVersion: VersionId === defaultVersion,
      CreateDate: '2024-01-01T00:00:00+00:00',
    })),
  };
}

/** Builds a trust policy letting `principal` (an element of `Principal`) call sts:AssumeRole. */
export function trust(principal: unknown, condition?: Document): Document {
  return policy({
    Effect: 'Allow',
    Principal: principal,
    Action: 'sts:AssumeRole',
    ...(condition === undefined ? {} : { Condition: condition }),
  });
}

/** Document of the AWS managed policy AdministratorAccess, as AWS publishes it. */
export const ADMINISTRATOR_ACCESS = policy({ Effect: 'Allow', Action: '*', Resource: '*' });
export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
