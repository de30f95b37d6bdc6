import { describe, expect, it } from 'vitest';
import { awsPermissionVisibility } from './visibility.js';

describe('awsPermissionVisibility', () => {
  // Amazon S3 User Guide, "Amazon S3 CloudTrail events": object-level calls are data events.
  it('marks S3 object actions as data events', () => {
    expect(awsPermissionVisibility('s3:GetObject')).toBe('data-event');
    expect(awsPermissionVisibility('s3:PutObject')).toBe('data-event');
    expect(awsPermissionVisibility('s3:DeleteObject')).toBe('data-event');
    expect(awsPermissionVisibility('s3:putobjectacl')).toBe('data-event');
  });

  it('keeps S3 bucket actions as management', () => {
    expect(awsPermissionVisibility('s3:PutBucketPolicy')).toBe('logged');
    expect(awsPermissionVisibility('s3:CreateBucket')).toBe('logged');
    // ListBuckets is a management event authorized by s3:ListAllMyBuckets.
    expect(awsPermissionVisibility('s3:ListAllMyBuckets')).toBe('logged');
  });

  // CloudTrail User Guide, "Logging data events": Lambda Invoke, DynamoDB item calls, SNS.
  it('marks other data plane actions', () => {
    expect(awsPermissionVisibility('lambda:InvokeFunction')).toBe('data-event');
    expect(awsPermissionVisibility('dynamodb:GetItem')).toBe('data-event');
    expect(awsPermissionVisibility('dynamodb:Query')).toBe('data-event');
    expect(awsPermissionVisibility('sns:Publish')).toBe('data-event');
    expect(awsPermissionVisibility('s3-object-lambda:GetObject')).toBe('data-event');
  });

  // IAM User Guide, "Grant a user permissions to pass a role to an AWS service".
  it('marks PassRole as not logged', () => {
    expect(awsPermissionVisibility('iam:PassRole')).toBe('not-logged');
    expect(awsPermissionVisibility('IAM:passrole')).toBe('not-logged');
    expect(awsPermissionVisibility('rds-db:connect')).toBe('not-logged');
  });

  it('marks management actions as logged', () => {
    expect(awsPermissionVisibility('iam:CreateUser')).toBe('logged');
    expect(awsPermissionVisibility('kms:Decrypt')).toBe('logged');
    expect(awsPermissionVisibility('sts:GetCallerIdentity')).toBe('logged');
  });
});
