import { describe, expect, it } from 'vitest';
import { readCloudTrailResources, type ResourceScope } from './resources.js';

const scope: ResourceScope = { partition: 'aws', region: 'us-east-1', account: '123456789012' };

function resourcesOf(eventSource: string, requestParameters: unknown, extra = {}) {
  return readCloudTrailResources({ eventSource, requestParameters, ...extra }, scope);
}

describe('readCloudTrailResources', () => {
  it('builds S3 bucket and object ARNs', () => {
    expect(
      resourcesOf('s3.amazonaws.com', { bucketName: 'amzn-s3-demo-bucket', key: 'a/b.txt' }),
    ).toEqual([
      { id: 'arn:aws:s3:::amzn-s3-demo-bucket', type: 'AWS::S3::Bucket' },
      { id: 'arn:aws:s3:::amzn-s3-demo-bucket/a/b.txt', type: 'AWS::S3::Object' },
    ]);
  });

  it('skips an S3 key without bucket', () => {
    expect(resourcesOf('s3.amazonaws.com', { key: 'orphan.txt' })).toEqual([]);
  });

  it('builds IAM user, role and policy ARNs', () => {
    expect(
      resourcesOf('iam.amazonaws.com', {
        userName: 'Bob',
        roleName: 'Deployer',
        policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    ).toEqual([
      { id: 'arn:aws:iam::123456789012:user/Bob', type: 'AWS::IAM::User' },
      { id: 'arn:aws:iam::123456789012:role/Deployer', type: 'AWS::IAM::Role' },
      { id: 'arn:aws:iam::aws:policy/ReadOnlyAccess', type: 'AWS::IAM::ManagedPolicy' },
    ]);
  });

  it('keeps the IAM path of create calls', () => {
    expect(resourcesOf('iam.amazonaws.com', { roleName: 'Builder', path: '/ci/' })).toEqual([
      { id: 'arn:aws:iam::123456789012:role/ci/Builder', type: 'AWS::IAM::Role' },
    ]);
  });

  it.each([
    ['my-function', 'arn:aws:lambda:us-east-1:123456789012:function:my-function'],
    [
      'arn:aws:lambda:eu-west-1:111122223333:function:other',
      'arn:aws:lambda:eu-west-1:111122223333:function:other',
    ],
    ['444455556666:function:partial', 'arn:aws:lambda:us-east-1:444455556666:function:partial'],
  ])('builds Lambda function %s', (functionName, arn) => {
    expect(resourcesOf('lambda.amazonaws.com', { functionName })).toEqual([
      { id: arn, type: 'AWS::Lambda::Function' },
    ]);
  });

  it.each([
    [
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'AWS::KMS::Key',
    ],
    [
      'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'AWS::KMS::Key',
    ],
    [
      'alias/ExampleAlias',
      'arn:aws:kms:us-east-1:123456789012:alias/ExampleAlias',
      'AWS::KMS::Alias',
    ],
  ])('builds KMS key %s', (keyId, arn, type) => {
    expect(resourcesOf('kms.amazonaws.com', { keyId })).toEqual([{ id: arn, type }]);
  });

  it('builds every EC2 instance in instancesSet', () => {
    const requestParameters = {
      instancesSet: { items: [{ instanceId: 'i-1111' }, { instanceId: 'i-2222' }] },
    };
    expect(resourcesOf('ec2.amazonaws.com', requestParameters)).toEqual([
      { id: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1111', type: 'AWS::EC2::Instance' },
      { id: 'arn:aws:ec2:us-east-1:123456789012:instance/i-2222', type: 'AWS::EC2::Instance' },
    ]);
  });

  it('builds DynamoDB, Secrets Manager, SNS, SQS and trail ARNs', () => {
    expect(resourcesOf('dynamodb.amazonaws.com', { tableName: 'Orders' })).toEqual([
      { id: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders', type: 'AWS::DynamoDB::Table' },
    ]);
    expect(resourcesOf('secretsmanager.amazonaws.com', { secretId: 'prod/db' })).toEqual([
      {
        id: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db',
        type: 'AWS::SecretsManager::Secret',
      },
    ]);
    expect(
      resourcesOf('sns.amazonaws.com', { topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' }),
    ).toEqual([{ id: 'arn:aws:sns:us-east-1:123456789012:alerts', type: 'AWS::SNS::Topic' }]);
    expect(
      resourcesOf('sqs.amazonaws.com', {
        queueUrl: 'https://sqs.eu-central-1.amazonaws.com/111122223333/jobs',
      }),
    ).toEqual([{ id: 'arn:aws:sqs:eu-central-1:111122223333:jobs', type: 'AWS::SQS::Queue' }]);
    expect(resourcesOf('cloudtrail.amazonaws.com', { name: 'management-events' })).toEqual([
      {
        id: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events',
        type: 'AWS::CloudTrail::Trail',
      },
    ]);
  });

  it('deduplicates against resources[]', () => {
    const resources = resourcesOf(
      'dynamodb.amazonaws.com',
      { tableName: 'Orders' },
      { resources: [{ ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders' }] },
    );
    expect(resources).toEqual([
      { id: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders', type: 'AWS::DynamoDB::Table' },
    ]);
  });

  it('ignores rules of other services', () => {
    expect(resourcesOf('ec2.amazonaws.com', { bucketName: 'not-s3', tableName: 'x' })).toEqual([]);
  });

  it('reads ARNPrefix entries', () => {
    const resources = resourcesOf('s3.amazonaws.com', null, {
      resources: [{ ARNPrefix: 'arn:aws:s3:::amzn-s3-demo-bucket/logs/', type: 'AWS::S3::Object' }],
    });
    expect(resources).toEqual([
      { id: 'arn:aws:s3:::amzn-s3-demo-bucket/logs/', type: 'AWS::S3::Object' },
    ]);
  });
});
