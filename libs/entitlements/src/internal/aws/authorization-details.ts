import { invalidAuthorizationDetailsError } from './errors.js';
import type { AwsPolicyDocument } from './policy-document.js';
import { parsePolicyDocument } from './policy-document.js';

/**
 * The IAM estate of one or more accounts as GetAccountAuthorizationDetails returns it (IAM
 * API Reference, "GetAccountAuthorizationDetails", response elements), with every policy
 * document parsed and pages merged. Only the fields evaluation uses are kept.
 */
export interface AwsAuthorizationDetails {
  readonly users: readonly AwsUserDetail[];
  readonly groups: readonly AwsGroupDetail[];
  readonly roles: readonly AwsRoleDetail[];
  /** Managed policies by ARN, with the default version's document. */
  readonly policies: ReadonlyMap<string, AwsManagedPolicy>;
}

/** An inline policy (`UserPolicyList`, `GroupPolicyList`, `RolePolicyList` entries). */
export interface AwsInlinePolicy {
  readonly name: string;
  readonly document: AwsPolicyDocument;
}

/** A managed policy with its default version (`IsDefaultVersion: true`). */
export interface AwsManagedPolicy {
  readonly arn: string;
  readonly name: string;
  readonly defaultVersionId: string;
  readonly document: AwsPolicyDocument;
}

interface AwsIdentityDetail {
  readonly arn: string;
  readonly name: string;
  readonly id: string;
  readonly path: string;
  readonly inlinePolicies: readonly AwsInlinePolicy[];
  readonly attachedPolicyArns: readonly string[];
}

/** A `UserDetailList` entry. */
export interface AwsUserDetail extends AwsIdentityDetail {
  readonly groupNames: readonly string[];
  readonly permissionsBoundaryArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A `GroupDetailList` entry. */
export type AwsGroupDetail = AwsIdentityDetail;

/** A `RoleDetailList` entry. */
export interface AwsRoleDetail extends AwsIdentityDetail {
  readonly trustPolicy: AwsPolicyDocument;
  readonly permissionsBoundaryArn?: string;
  readonly instanceProfileArns: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class FieldReader {
  constructor(readonly source: string) {}

  list(record: Json, key: string, field: string): unknown[] {
    const value = record[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      throw invalidAuthorizationDetailsError(this.source, `${field}.${key}`, 'a list', value);
    }
    return value;
  }

  record(value: unknown, field: string): Json {
    if (!isRecord(value)) {
      throw invalidAuthorizationDetailsError(this.source, field, 'an object', value);
    }
    return value;
  }

  string(record: Json, key: string, field: string): string {
    const value = record[key];
    if (typeof value !== 'string' || value === '') {
      throw invalidAuthorizationDetailsError(
        this.source,
        `${field}.${key}`,
        'a non-empty string',
        value,
      );
    }
    return value;
  }

  optionalString(record: Json, key: string): string | undefined {
    const value = record[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  inlinePolicies(record: Json, key: string, field: string): AwsInlinePolicy[] {
    return this.list(record, key, field).map((entry, index) => {
      const at = `${field}.${key}[${index}]`;
      const policy = this.record(entry, at);
      return {
        name: this.string(policy, 'PolicyName', at),
        document: parsePolicyDocument(
          policy['PolicyDocument'],
          this.source,
          `${at}.PolicyDocument`,
        ),
      };
    });
  }

  attachedArns(record: Json, field: string): string[] {
    return this.list(record, 'AttachedManagedPolicies', field).map((entry, index) => {
      const at = `${field}.AttachedManagedPolicies[${index}]`;
      return this.string(this.record(entry, at), 'PolicyArn', at);
    });
  }

  boundaryArn(record: Json, field: string): string | undefined {
    const boundary = record['PermissionsBoundary'];
    if (boundary === undefined || boundary === null) return undefined;
    const at = `${field}.PermissionsBoundary`;
    return this.string(this.record(boundary, at), 'PermissionsBoundaryArn', at);
  }

  tags(record: Json, field: string): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const [index, entry] of this.list(record, 'Tags', field).entries()) {
      const at = `${field}.Tags[${index}]`;
      const tag = this.record(entry, at);
      tags[this.string(tag, 'Key', at)] = typeof tag['Value'] === 'string' ? tag['Value'] : '';
    }
    return tags;
  }

  identity(record: Json, field: string, nameKey: string, idKey: string): AwsIdentityDetail {
    return {
      arn: this.string(record, 'Arn', field),
      name: this.string(record, nameKey, field),
      id: this.optionalString(record, idKey) ?? this.string(record, nameKey, field),
      path: this.optionalString(record, 'Path') ?? '/',
      inlinePolicies: this.inlinePolicies(
        record,
        nameKey === 'UserName'
          ? 'UserPolicyList'
          : nameKey === 'GroupName'
            ? 'GroupPolicyList'
            : 'RolePolicyList',
        field,
      ),
      attachedPolicyArns: this.attachedArns(record, field),
    };
  }
}

function parseUser(reader: FieldReader, entry: unknown, field: string): AwsUserDetail {
  const record = reader.record(entry, field);
  const groupNames = reader.list(record, 'GroupList', field).map((name, index) => {
    if (typeof name !== 'string') {
      throw invalidAuthorizationDetailsError(
        reader.source,
        `${field}.GroupList[${index}]`,
        'a group name',
        name,
      );
    }
    return name;
  });
  return {
    ...reader.identity(record, field, 'UserName', 'UserId'),
    groupNames,
    permissionsBoundaryArn: reader.boundaryArn(record, field),
    tags: reader.tags(record, field),
  };
}

function parseRole(reader: FieldReader, entry: unknown, field: string): AwsRoleDetail {
  const record = reader.record(entry, field);
  const trust = record['AssumeRolePolicyDocument'];
  const instanceProfileArns = reader
    .list(record, 'InstanceProfileList', field)
    .map((profile, index) =>
      reader.string(
        reader.record(profile, `${field}.InstanceProfileList[${index}]`),
        'Arn',
        `${field}.InstanceProfileList[${index}]`,
      ),
    );
  return {
    ...reader.identity(record, field, 'RoleName', 'RoleId'),
    trustPolicy:
      trust === undefined || trust === null
        ? { statements: [] }
        : parsePolicyDocument(trust, reader.source, `${field}.AssumeRolePolicyDocument`),
    permissionsBoundaryArn: reader.boundaryArn(record, field),
    instanceProfileArns,
    tags: reader.tags(record, field),
  };
}

function parsePolicy(reader: FieldReader, entry: unknown, field: string): AwsManagedPolicy {
  const record = reader.record(entry, field);
  const arn = reader.string(record, 'Arn', field);
  const versions = reader.list(record, 'PolicyVersionList', field);
  const defaultVersionId = reader.optionalString(record, 'DefaultVersionId');
  // The policy in force is the default version; IsDefaultVersion marks it in the list.
  const index = versions.findIndex(
    (version) => isRecord(version) && version['IsDefaultVersion'] === true,
  );
  const chosenIndex =
    index >= 0
      ? index
      : versions.findIndex(
          (version) => isRecord(version) && version['VersionId'] === defaultVersionId,
        );
  if (chosenIndex < 0) {
    throw invalidAuthorizationDetailsError(
      reader.source,
      `${field}.PolicyVersionList`,
      'a version with IsDefaultVersion true',
      versions,
    );
  }
  const version = reader.record(
    versions[chosenIndex],
    `${field}.PolicyVersionList[${chosenIndex}]`,
  );
  return {
    arn,
    name: reader.optionalString(record, 'PolicyName') ?? arn.split('/').pop() ?? arn,
    defaultVersionId: reader.optionalString(version, 'VersionId') ?? defaultVersionId ?? '',
    document: parsePolicyDocument(
      version['Document'],
      reader.source,
      `${field}.PolicyVersionList[${chosenIndex}].Document`,
    ),
  };
}

/** One GetAccountAuthorizationDetails page or file, with the name used in error messages. */
export interface AwsAuthorizationDetailsInput {
  readonly source: string;
  readonly value: unknown;
}

/**
 * Parses and merges GetAccountAuthorizationDetails output: AWS CLI or boto3 JSON (documents
 * as objects) and raw API or SDK pages (documents as URL-encoded JSON text), one page or
 * many, in any order. An entity that appears in several pages is kept once, the later page
 * winning. Throws `CIEM_ENTITLEMENTS_AWS_INVALID_AUTHORIZATION_DETAILS` or
 * `CIEM_ENTITLEMENTS_AWS_INVALID_POLICY_DOCUMENT` naming the source and field.
 */
export function parseAwsAuthorizationDetails(
  inputs: readonly AwsAuthorizationDetailsInput[],
): AwsAuthorizationDetails {
  const users = new Map<string, AwsUserDetail>();
  const groups = new Map<string, AwsGroupDetail>();
  const roles = new Map<string, AwsRoleDetail>();
  const policies = new Map<string, AwsManagedPolicy>();

  for (const input of inputs) {
    const reader = new FieldReader(input.source);
    const page = reader.record(input.value, '$');
    const known = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];
    if (!known.some((key) => key in page)) {
      throw invalidAuthorizationDetailsError(
        input.source,
        '$',
        `an object with one of ${known.join(', ')}`,
        page,
      );
    }
    for (const [index, entry] of reader.list(page, 'UserDetailList', '$').entries()) {
      const user = parseUser(reader, entry, `UserDetailList[${index}]`);
      users.set(user.arn, user);
    }
    for (const [index, entry] of reader.list(page, 'GroupDetailList', '$').entries()) {
      const field = `GroupDetailList[${index}]`;
      const group = reader.identity(reader.record(entry, field), field, 'GroupName', 'GroupId');
      groups.set(group.arn, group);
    }
    for (const [index, entry] of reader.list(page, 'RoleDetailList', '$').entries()) {
      const role = parseRole(reader, entry, `RoleDetailList[${index}]`);
      roles.set(role.arn, role);
    }
    for (const [index, entry] of reader.list(page, 'Policies', '$').entries()) {
      const policy = parsePolicy(reader, entry, `Policies[${index}]`);
      policies.set(policy.arn, policy);
    }
  }

  return {
    users: [...users.values()],
    groups: [...groups.values()],
    roles: [...roles.values()],
    policies,
  };
}

/** Returns the 12-digit account of an ARN (`arn:aws:iam::111122223333:user/a`), or ''. */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
