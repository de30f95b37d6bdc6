import type { RequestRule } from './request-rules.js';
import { requestField } from './request-fields.js';

// Returns true when the request names an object version. CloudTrail records the versionId
// query parameter of S3 object calls in requestParameters.versionId.
function namesVersion(request: Record<string, unknown> | undefined): boolean {
  return requestField(request, 'versionId') !== undefined;
}

// A rule that picks `versioned` when the request names an object version, else `current`.
function byVersion(current: readonly string[], versioned: readonly string[]): RequestRule {
  return (request) => ({ permissions: namesVersion(request) ? versioned : current });
}

// Returns true when the copy source (`x-amz-copy-source`, "bucket/key?versionId=id", URL
// encoded) names a version of the source object.
function copiesVersion(request: Record<string, unknown> | undefined): boolean {
  const source = requestField(request, 'x-amz-copy-source');
  if (typeof source !== 'string') return false;
  let decoded = source;
  try {
    decoded = decodeURIComponent(source);
  } catch {
    // A malformed escape leaves the value as written.
  }
  return /[?&]versionId=[^&]/i.test(decoded);
}

// Amazon S3 API Reference, CopyObject and UploadPartCopy: read on the source object and
// write on the target. A versioned source needs s3:GetObjectVersion, by the rule that
// GetObject states for versionId. s3:GetObject stays in the result on the safe side:
// naming a permission the call may not need only keeps it, while leaving out one it needs
// would report it unused.
function copyRule(request: Record<string, unknown> | undefined): { permissions: string[] } {
  const read = copiesVersion(request) ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:GetObject'];
  return { permissions: [...read, 's3:PutObject'] };
}

// The Block Public Access API names Get/Put/DeletePublicAccessBlock exist for a bucket (S3
// API) and for an account (S3 Control API). CloudTrail records bucket calls with
// requestParameters.bucketName. Neither level has a Delete action, so Put removes too.
function byAccessBlockLevel(bucketAction: string, accountAction: string): RequestRule {
  return (request) => ({
    permissions: [requestField(request, 'bucketName') === undefined ? accountAction : bucketAction],
  });
}

/**
 * S3 calls whose actions depend on the request. Sources, all in the Amazon S3 API Reference
 * unless named:
 * - GetObject: "If you include a versionId in your request header, you must have the
 *   s3:GetObjectVersion permission". The s3:GetObject permission is then not required.
 * - HeadObject: "You need the relevant read object (or version) permission".
 * - DeleteObjects: "s3:DeleteObjectVersion - To delete a specific version of an object".
 * - GetObjectAttributes: with a version ID, s3:GetObjectVersion and
 *   s3:GetObjectVersionAttributes; without one, s3:GetObject and s3:GetObjectAttributes.
 * - Service Authorization Reference, "Actions defined by Amazon S3": the *VersionAcl and
 *   *VersionTagging actions act on "a specific object version".
 */
export const S3_REQUEST_RULES: Readonly<Record<string, RequestRule>> = {
  's3:GetObject': byVersion(['s3:GetObject'], ['s3:GetObjectVersion']),
  's3:HeadObject': byVersion(['s3:GetObject'], ['s3:GetObjectVersion']),
  's3:DeleteObject': byVersion(['s3:DeleteObject'], ['s3:DeleteObjectVersion']),
  's3:GetObjectAcl': byVersion(['s3:GetObjectAcl'], ['s3:GetObjectVersionAcl']),
  's3:PutObjectAcl': byVersion(['s3:PutObjectAcl'], ['s3:PutObjectVersionAcl']),
  's3:GetObjectTagging': byVersion(['s3:GetObjectTagging'], ['s3:GetObjectVersionTagging']),
  's3:PutObjectTagging': byVersion(['s3:PutObjectTagging'], ['s3:PutObjectVersionTagging']),
  's3:DeleteObjectTagging': byVersion(
    ['s3:DeleteObjectTagging'],
    ['s3:DeleteObjectVersionTagging'],
  ),
  's3:GetObjectAttributes': byVersion(
    ['s3:GetObject', 's3:GetObjectAttributes'],
    ['s3:GetObjectVersion', 's3:GetObjectVersionAttributes'],
  ),
  's3:CopyObject': copyRule,
  's3:UploadPartCopy': copyRule,
  's3:GetPublicAccessBlock': byAccessBlockLevel(
    's3:GetBucketPublicAccessBlock',
    's3:GetAccountPublicAccessBlock',
  ),
  's3:PutPublicAccessBlock': byAccessBlockLevel(
    's3:PutBucketPublicAccessBlock',
    's3:PutAccountPublicAccessBlock',
  ),
  's3:DeletePublicAccessBlock': byAccessBlockLevel(
    's3:PutBucketPublicAccessBlock',
    's3:PutAccountPublicAccessBlock',
  ),
};
