import { hasAnyField, requestField } from './request-fields.js';
import { AWS_TAG_ON_CREATE_RULES } from './tag-on-create-rules.js';

/**
 * A rule that returns the permissions a call needs besides its own actions, read from its
 * `requestParameters`: AWS checks them inside the call, and CloudTrail records only the
 * call. Returns an empty list when the request shows none.
 */
export type ExtraPermissionRule = (
  requestParameters: Record<string, unknown> | undefined,
) => readonly string[];

// Amazon S3 API Reference, PutObject, "Permissions": "s3:PutObjectAcl - To successfully
// change the objects ACL of your PutObject request" and "s3:PutObjectTagging - To
// successfully set the tag-set with your PutObject request". The ACL is set with x-amz-acl
// or one of the x-amz-grant-* headers, and the tag set with x-amz-tagging.
const OBJECT_ACL_HEADERS = [
  'x-amz-acl',
  'x-amz-grant-full-control',
  'x-amz-grant-read',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
];

// Amazon S3 API Reference, PutObjectRetention and PutObjectLegalHold: placing a retention
// period or a legal hold needs these actions. Setting them with the object lock headers of
// an upload is taken to need the same actions. That is the safe side: naming a permission
// the upload may not need only keeps it.
const RETENTION_HEADERS = ['x-amz-object-lock-mode', 'x-amz-object-lock-retain-until-date'];
const LEGAL_HOLD_HEADERS = ['x-amz-object-lock-legal-hold'];

function objectWriteExtras(request: Record<string, unknown> | undefined): string[] {
  const actions: string[] = [];
  if (hasAnyField(request, OBJECT_ACL_HEADERS)) actions.push('s3:PutObjectAcl');
  if (hasAnyField(request, ['x-amz-tagging'])) actions.push('s3:PutObjectTagging');
  if (hasAnyField(request, RETENTION_HEADERS)) actions.push('s3:PutObjectRetention');
  if (hasAnyField(request, LEGAL_HOLD_HEADERS)) actions.push('s3:PutObjectLegalHold');
  return actions;
}

// Amazon S3 API Reference, DeleteObject, x-amz-bypass-governance-retention: "To use this
// header, you must have the s3:BypassGovernanceRetention permission."
function bypassGovernanceExtras(request: Record<string, unknown> | undefined): string[] {
  const value = requestField(request, 'x-amz-bypass-governance-retention');
  const bypass = value === true || (typeof value === 'string' && value.trim() === 'true');
  return bypass ? ['s3:BypassGovernanceRetention'] : [];
}

// IAM User Guide, "Pass session tags in AWS STS": passing session tags (Tags) or making
// them transitive (TransitiveTagKeys) needs sts:TagSession. "Monitor and control actions
// taken with assumed roles": setting a source identity needs sts:SetSourceIdentity.
// CloudTrail writes the request fields as tags, transitiveTagKeys and sourceIdentity.
function assumeRoleExtras(request: Record<string, unknown> | undefined): string[] {
  const actions: string[] = [];
  if (hasAnyField(request, ['tags', 'transitiveTagKeys'])) actions.push('sts:TagSession');
  if (hasAnyField(request, ['sourceIdentity'])) actions.push('sts:SetSourceIdentity');
  return actions;
}

// IAM User Guide, "Pass session tags in AWS STS": GetFederationToken passes session tags
// with its Tags parameter, which needs sts:TagSession like AssumeRole. It has no transitive
// tags, because its credentials cannot assume a role.
function federationTokenExtras(request: Record<string, unknown> | undefined): string[] {
  return hasAnyField(request, ['tags']) ? ['sts:TagSession'] : [];
}

// AWS Secrets Manager API Reference, BatchGetSecretValue: "If you use filters, you must
// also have secretsmanager:ListSecrets."
function batchGetSecretValueExtras(request: Record<string, unknown> | undefined): string[] {
  return hasAnyField(request, ['filters']) ? ['secretsmanager:ListSecrets'] : [];
}

// Amazon EC2 User Guide, "Grant permission to tag Amazon EC2 resources during creation":
// "If tags are specified in the resource-creating action, Amazon performs additional
// authorization on the ec2:CreateTags action". CloudTrail writes the TagSpecification
// parameter of every EC2 create call as tagSpecificationSet ({"items": [...]}).
function tagOnCreateExtras(request: Record<string, unknown> | undefined): string[] {
  const tags = requestField(request, 'tagSpecificationSet');
  if (tags === undefined) return [];
  const items =
    tags !== null && typeof tags === 'object' && !Array.isArray(tags)
      ? requestField(tags as Record<string, unknown>, 'items')
      : tags;
  return items === undefined ? [] : ['ec2:CreateTags'];
}

/**
 * Extra permission rules by call, keyed by `<IAM prefix>:<eventName>` and compared
 * case-insensitively, like the other tables. A test checks that every key names a catalog
 * service and that the actions the rules return exist in the catalog.
 */
export const AWS_EXTRA_PERMISSION_RULES: Readonly<Record<string, ExtraPermissionRule>> = {
  's3:PutObject': objectWriteExtras,
  's3:CopyObject': objectWriteExtras,
  's3:CreateMultipartUpload': objectWriteExtras,
  's3:DeleteObject': bypassGovernanceExtras,
  's3:DeleteObjects': bypassGovernanceExtras,
  's3:PutObjectRetention': bypassGovernanceExtras,
  'sts:AssumeRole': assumeRoleExtras,
  'sts:GetFederationToken': federationTokenExtras,
  'secretsmanager:BatchGetSecretValue': batchGetSecretValueExtras,
  ...AWS_TAG_ON_CREATE_RULES,
};

/** Extra permission rules that apply to every call of an IAM service prefix. */
export const AWS_SERVICE_EXTRA_PERMISSION_RULES: Readonly<Record<string, ExtraPermissionRule>> = {
  ec2: tagOnCreateExtras,
};
