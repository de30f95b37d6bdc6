import { describe, expect, it } from 'vitest';
import { mapAwsCall } from './map-aws-call.js';

const extrasOf = (mapping: ReturnType<typeof mapAwsCall>) =>
  mapping.uses.filter((use) => use.extra).map((use) => use.action);

describe('extra permissions from request parameters', () => {
  // Amazon EC2 User Guide, "Grant permission to tag Amazon EC2 resources during creation":
  // "If tags are specified in the resource-creating action, Amazon performs additional
  // authorization on the ec2:CreateTags action". CloudTrail writes TagSpecification as
  // tagSpecificationSet.
  it('adds CreateTags for tags on create', () => {
    const tagged = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      requestParameters: {
        instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 }] },
        instanceType: 't3.micro',
        tagSpecificationSet: {
          items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: 'web' }] }],
        },
      },
    });
    expect(tagged.permissions).toEqual(['ec2:RunInstances', 'ec2:CreateTags']);
    expect(tagged.uses[1]?.extra).toBe(true);
    const volume = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'CreateVolume',
      requestParameters: {
        size: 8,
        zone: 'us-east-1a',
        tagSpecificationSet: {
          items: [{ resourceType: 'volume', tags: [{ key: 'a', value: 'b' }] }],
        },
      },
    });
    expect(volume.permissions).toEqual(['ec2:CreateVolume', 'ec2:CreateTags']);
  });

  it('omits CreateTags without tags', () => {
    const untagged = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'CreateVolume',
      requestParameters: { size: 8, zone: 'us-east-1a', tagSpecificationSet: { items: [] } },
    });
    expect(untagged.permissions).toEqual(['ec2:CreateVolume']);
  });

  it('keeps PassRole and CreateTags together', () => {
    const mapping = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      requestParameters: {
        iamInstanceProfile: { arn: 'arn:aws:iam::111122223333:instance-profile/app' },
        tagSpecificationSet: {
          items: [{ resourceType: 'instance', tags: [{ key: 'a', value: 'b' }] }],
        },
      },
    });
    expect(mapping.permissions).toEqual(['ec2:RunInstances', 'iam:PassRole', 'ec2:CreateTags']);
  });

  // Amazon S3 API Reference, PutObject, "Permissions": s3:PutObjectAcl "to successfully
  // change the objects ACL of your PutObject request" and s3:PutObjectTagging "to
  // successfully set the tag-set with your PutObject request".
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
  it('adds ACL and tagging for PutObject headers', () => {
    const mapping = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutObject',
      eventCategory: 'Data',
      requestParameters: {
        bucketName: 'amzn-s3-demo-bucket',
        key: 'logs/a.gz',
        'x-amz-acl': 'bucket-owner-full-control',
        'x-amz-tagging': 'team=data',
      },
    });
    expect(mapping.permissions).toEqual(['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectTagging']);
    expect(extrasOf(mapping)).toEqual(['s3:PutObjectAcl', 's3:PutObjectTagging']);
    const grant = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'CreateMultipartUpload',
      requestParameters: { bucketName: 'b', key: 'k', 'x-amz-grant-read': 'id="abc"' },
    });
    expect(grant.permissions).toEqual(['s3:PutObject', 's3:PutObjectAcl']);
    const plain = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutObject',
      requestParameters: { bucketName: 'b', key: 'k' },
    });
    expect(plain.permissions).toEqual(['s3:PutObject']);
  });

  // Amazon S3 API Reference, PutObjectRetention and PutObjectLegalHold: a retention period
  // and a legal hold need these actions, and the upload headers set the same settings.
  it('adds object lock actions for headers', () => {
    const mapping = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutObject',
      requestParameters: {
        bucketName: 'b',
        key: 'k',
        'x-amz-object-lock-mode': 'GOVERNANCE',
        'x-amz-object-lock-retain-until-date': '2030-01-01T00:00:00Z',
        'x-amz-object-lock-legal-hold': 'ON',
      },
    });
    expect(extrasOf(mapping)).toEqual(['s3:PutObjectRetention', 's3:PutObjectLegalHold']);
  });

  // Amazon S3 API Reference, DeleteObject, x-amz-bypass-governance-retention: "To use this
  // header, you must have the s3:BypassGovernanceRetention permission."
  it('adds BypassGovernanceRetention for the header', () => {
    const mapping = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteObject',
      requestParameters: {
        bucketName: 'b',
        key: 'k',
        versionId: 'v1',
        'x-amz-bypass-governance-retention': 'true',
      },
    });
    expect(mapping.permissions).toEqual(['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention']);
    expect(mapping.uses[1]?.visibility).toBe('not-logged');
    const withoutBypass = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteObject',
      requestParameters: {
        bucketName: 'b',
        key: 'k',
        'x-amz-bypass-governance-retention': 'false',
      },
    });
    expect(withoutBypass.permissions).toEqual(['s3:DeleteObject']);
  });

  // IAM User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail": the AssumeRole
  // example writes tags, transitiveTagKeys and sourceIdentity. "Pass session tags in AWS
  // STS" (sts:TagSession) and "Monitor and control actions taken with assumed roles"
  // (sts:SetSourceIdentity): https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
  it('adds TagSession and SetSourceIdentity', () => {
    const mapping = mapAwsCall({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: {
        roleArn: 'arn:aws:iam::111122223333:role/JohnRole2',
        roleSessionName: 'Role2WithTags',
        tags: [{ key: 'CostCenter', value: '12345' }],
        transitiveTagKeys: ['CostCenter'],
        sourceIdentity: 'JohnDoe',
        durationSeconds: 3600,
      },
    });
    expect(mapping.permissions).toEqual([
      'sts:AssumeRole',
      'sts:TagSession',
      'sts:SetSourceIdentity',
    ]);
    expect(mapping.uses.map((use) => use.visibility)).toEqual([
      'logged',
      'not-logged',
      'not-logged',
    ]);
    const plain = mapAwsCall({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/r', roleSessionName: 's' },
    });
    expect(plain.permissions).toEqual(['sts:AssumeRole']);
  });

  // AWS Secrets Manager API Reference, BatchGetSecretValue: "If you use filters, you must
  // also have secretsmanager:ListSecrets."
  it('adds ListSecrets for BatchGetSecretValue filters', () => {
    const filtered = mapAwsCall({
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'BatchGetSecretValue',
      requestParameters: { filters: [{ key: 'name', values: ['prod/'] }] },
    });
    expect(filtered.permissions).toEqual([
      'secretsmanager:BatchGetSecretValue',
      'secretsmanager:GetSecretValue',
      'secretsmanager:ListSecrets',
    ]);
    const listed = mapAwsCall({
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'BatchGetSecretValue',
      requestParameters: { secretIdList: ['prod/db'] },
    });
    expect(listed.permissions).not.toContain('secretsmanager:ListSecrets');
  });
});
