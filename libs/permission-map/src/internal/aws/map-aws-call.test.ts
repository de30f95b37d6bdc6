import { describe, expect, it } from 'vitest';
import { mapAwsCall } from './map-aws-call.js';

// Expected actions come from the AWS documentation named in each case.
describe('mapAwsCall', () => {
  // Amazon S3 User Guide, "Required permissions for Amazon S3 API operations": ListObjects
  // and ListObjectsV2 need s3:ListBucket.
  it('maps S3 ListObjects to ListBucket', () => {
    const mapping = mapAwsCall({ eventSource: 's3.amazonaws.com', eventName: 'ListObjects' });
    expect(mapping.status).toBe('mapped');
    expect(mapping.permissions).toEqual(['s3:ListBucket']);
    expect(mapping.uses[0]?.accessLevel).toBe('List');
  });

  it('maps S3 ListObjectsV2 to ListBucket', () => {
    const mapping = mapAwsCall({ eventSource: 's3.amazonaws.com', eventName: 'ListObjectsV2' });
    expect(mapping.permissions).toEqual(['s3:ListBucket']);
  });

  // Same page, CopyObject: read on the source object and write on the target.
  it('maps S3 CopyObject to two actions', () => {
    const mapping = mapAwsCall({ eventSource: 's3.amazonaws.com', eventName: 'CopyObject' });
    expect(mapping.status).toBe('mapped');
    expect(mapping.permissions).toEqual(['s3:GetObject', 's3:PutObject']);
  });

  // Same page: the multipart upload calls are authorized as s3:PutObject.
  it('maps S3 multipart upload to PutObject', () => {
    for (const eventName of ['CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload']) {
      const mapping = mapAwsCall({ eventSource: 's3.amazonaws.com', eventName });
      expect(mapping.permissions, eventName).toEqual(['s3:PutObject']);
    }
  });

  // Service Authorization Reference, "Actions defined by Amazon S3": there is no
  // DeleteBucketEncryption action; PutEncryptionConfiguration covers removing it.
  it('maps S3 DeleteBucketEncryption to Put', () => {
    const mapping = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteBucketEncryption',
    });
    expect(mapping.permissions).toEqual(['s3:PutEncryptionConfiguration']);
    expect(mapping.uses[0]?.visibility).toBe('logged');
  });

  // AWS Lambda Developer Guide, "Logging AWS Lambda API calls using AWS CloudTrail": event
  // names carry the API version, as in UpdateFunctionConfiguration20150331v2.
  it('strips Lambda version suffixes', () => {
    const cases: [string, string][] = [
      ['UpdateFunctionConfiguration20150331v2', 'lambda:UpdateFunctionConfiguration'],
      ['UpdateFunctionCode20150331v2', 'lambda:UpdateFunctionCode'],
      ['ListFunctions20150331', 'lambda:ListFunctions'],
      ['AddPermission20150331v2', 'lambda:AddPermission'],
    ];
    for (const [eventName, action] of cases) {
      const mapping = mapAwsCall({ eventSource: 'lambda.amazonaws.com', eventName });
      expect(mapping.permissions, eventName).toEqual([action]);
    }
  });

  // Same page: the Invoke data event is authorized by lambda:InvokeFunction.
  it('maps Lambda Invoke to InvokeFunction', () => {
    const mapping = mapAwsCall({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'Invoke',
      eventCategory: 'Data',
    });
    expect(mapping.permissions).toEqual(['lambda:InvokeFunction']);
    expect(mapping.visibility).toBe('data-event');
    expect(mapping.category).toBe('data');
  });

  // CloudFront API Reference: the request path carries the version (2020-05-31), which
  // CloudTrail appends to the event name.
  it('strips CloudFront date suffixes', () => {
    const mapping = mapAwsCall({
      eventSource: 'cloudfront.amazonaws.com',
      eventName: 'UpdateDistribution2020_05_31',
    });
    expect(mapping.permissions).toEqual(['cloudfront:UpdateDistribution']);
  });

  // Service Authorization Reference, "Actions defined by Amazon CloudWatch": the prefix is
  // cloudwatch while the API endpoint is monitoring.amazonaws.com.
  it('maps monitoring source to cloudwatch', () => {
    const mapping = mapAwsCall({
      eventSource: 'monitoring.amazonaws.com',
      eventName: 'DescribeAlarms',
    });
    expect(mapping.service).toBe('cloudwatch');
    expect(mapping.permissions).toEqual(['cloudwatch:DescribeAlarms']);
  });

  // Service Authorization Reference, "Actions defined by Amazon SES" (prefix ses).
  it('maps email source to ses', () => {
    const mapping = mapAwsCall({ eventSource: 'email.amazonaws.com', eventName: 'SendEmail' });
    expect(mapping.permissions).toEqual(['ses:SendEmail']);
  });

  // Amazon API Gateway Developer Guide, "Control access for managing an API": actions are
  // HTTP methods.
  it('maps API Gateway calls to methods', () => {
    const cases: [string, string][] = [
      ['CreateRestApi', 'apigateway:POST'],
      ['GetRestApis', 'apigateway:GET'],
      ['UpdateStage', 'apigateway:PATCH'],
      ['DeleteDeployment', 'apigateway:DELETE'],
      ['PutIntegration', 'apigateway:PUT'],
    ];
    for (const [eventName, action] of cases) {
      const mapping = mapAwsCall({ eventSource: 'apigateway.amazonaws.com', eventName });
      expect(mapping.permissions, eventName).toEqual([action]);
    }
  });

  // CloudTrail User Guide, "AWS Management Console sign-in events".
  it('returns no permission for ConsoleLogin', () => {
    const mapping = mapAwsCall({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
    });
    expect(mapping.status).toBe('no-permission');
    expect(mapping.category).toBe('sign-in');
    expect(mapping.permissions).toEqual([]);
    expect(mapping.reason).toContain('sign-in');
  });

  it('returns no permission for sign-in names', () => {
    for (const eventName of ['CheckMfa', 'SwitchRole', 'ExitRole', 'GetSigninToken']) {
      const mapping = mapAwsCall({ eventSource: 'signin.amazonaws.com', eventName });
      expect(mapping.status, eventName).toBe('no-permission');
      expect(mapping.category, eventName).toBe('sign-in');
    }
  });

  // STS API Reference, GetCallerIdentity: "No permissions are required".
  it('returns no permission for GetCallerIdentity', () => {
    const mapping = mapAwsCall({
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      eventType: 'AwsApiCall',
    });
    expect(mapping.status).toBe('no-permission');
    expect(mapping.category).toBe('management');
  });

  // STS API Reference, AssumeRoleWithSAML and AssumeRoleWithWebIdentity: called without
  // AWS credentials, so the caller uses no permission. AssumeRole needs sts:AssumeRole.
  it('separates federated and plain AssumeRole', () => {
    for (const eventName of ['AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity']) {
      const mapping = mapAwsCall({ eventSource: 'sts.amazonaws.com', eventName });
      expect(mapping.status, eventName).toBe('no-permission');
    }
    const plain = mapAwsCall({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole' });
    expect(plain.permissions).toEqual(['sts:AssumeRole']);
  });

  // Amazon EC2 User Guide, "IAM roles for Amazon EC2": launching with an instance profile
  // needs iam:PassRole, which CloudTrail does not record as its own event.
  it('adds PassRole for RunInstances profiles', () => {
    const mapping = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      requestParameters: {
        instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890' }] },
        iamInstanceProfile: { arn: 'arn:aws:iam::111122223333:instance-profile/app' },
      },
    });
    expect(mapping.permissions).toEqual(['ec2:RunInstances', 'iam:PassRole']);
    expect(mapping.uses[1]).toEqual({
      action: 'iam:PassRole',
      accessLevel: 'Write',
      visibility: 'not-logged',
      extra: true,
    });
    expect(mapping.visibility).toBe('logged');
  });

  it('omits PassRole without instance profile', () => {
    const mapping = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      requestParameters: { instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890' }] } },
    });
    expect(mapping.permissions).toEqual(['ec2:RunInstances']);
  });

  // AWS KMS API Reference, ReEncrypt, "Required permissions".
  it('maps KMS ReEncrypt to both keys', () => {
    const mapping = mapAwsCall({ eventSource: 'kms.amazonaws.com', eventName: 'ReEncrypt' });
    expect(mapping.permissions).toEqual(['kms:ReEncryptFrom', 'kms:ReEncryptTo']);
  });

  // Amazon DynamoDB Developer Guide, "Using IAM with DynamoDB transactions".
  it('maps DynamoDB TransactWriteItems by item kind', () => {
    const mapping = mapAwsCall({
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'TransactWriteItems',
      requestParameters: {
        transactItems: [{ put: { tableName: 'orders' } }, { delete: { tableName: 'carts' } }],
      },
    });
    expect(mapping.permissions).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(mapping.visibility).toBe('data-event');
  });

  it('reports TransactWriteItems without items unmapped', () => {
    const mapping = mapAwsCall({
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'TransactWriteItems',
    });
    expect(mapping.status).toBe('unmapped');
    expect(mapping.reason).toContain('transactItems');
  });

  it('reports unknown event unmapped with reason', () => {
    const mapping = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'LaunchRocket',
    });
    expect(mapping.status).toBe('unmapped');
    expect(mapping.permissions).toEqual([]);
    expect(mapping.reason).toContain('ec2:LaunchRocket');
    expect(mapping.source).toBe('ec2.amazonaws.com');
    expect(mapping.operation).toBe('LaunchRocket');
  });

  it('reports unknown source unmapped with reason', () => {
    const mapping = mapAwsCall({
      eventSource: 'nosuchservice.amazonaws.com',
      eventName: 'DoThing',
    });
    expect(mapping.status).toBe('unmapped');
    expect(mapping.service).toBeUndefined();
    expect(mapping.reason).toContain('nosuchservice.amazonaws.com');
  });

  it('reports missing fields unmapped', () => {
    expect(mapAwsCall({ eventSource: 's3.amazonaws.com' }).reason).toContain('eventName');
    expect(mapAwsCall({ eventName: 'GetObject' }).reason).toContain('eventSource');
    expect(mapAwsCall({ eventSource: 42, eventName: ['x'] }).status).toBe('unmapped');
  });

  it('emits canonical case for any input case', () => {
    const mapping = mapAwsCall({ eventSource: 'S3.AmazonAWS.com', eventName: 'listobjects' });
    expect(mapping.permissions).toEqual(['s3:ListBucket']);
    const iam = mapAwsCall({ eventSource: 'iam.amazonaws.com', eventName: 'createaccesskey' });
    expect(iam.permissions).toEqual(['iam:CreateAccessKey']);
    expect(iam.uses[0]?.accessLevel).toBe('Write');
  });

  it('reports permissions management access level', () => {
    const mapping = mapAwsCall({ eventSource: 'iam.amazonaws.com', eventName: 'PutUserPolicy' });
    expect(mapping.uses[0]?.accessLevel).toBe('Permissions management');
  });

  // CloudTrail User Guide, "CloudTrail record contents": eventType AwsServiceEvent is an
  // event a service generated, and AwsCloudTrailInsight an Insights event.
  it('returns no permission for service events', () => {
    const service = mapAwsCall({
      eventSource: 'kms.amazonaws.com',
      eventName: 'RotateKey',
      eventType: 'AwsServiceEvent',
    });
    expect(service.status).toBe('no-permission');
    expect(service.category).toBe('service-event');
    const insight = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      eventType: 'AwsCloudTrailInsight',
      eventCategory: 'Insight',
    });
    expect(insight.status).toBe('no-permission');
    expect(insight.category).toBe('insight');
  });

  // Amazon S3 User Guide, "Amazon S3 CloudTrail events": GetObject is a data event.
  it('marks GetObject as data event', () => {
    const mapping = mapAwsCall({ eventSource: 's3.amazonaws.com', eventName: 'GetObject' });
    expect(mapping.visibility).toBe('data-event');
    expect(mapping.category).toBe('data');
    expect(mapping.uses[0]?.visibility).toBe('data-event');
  });

  it('marks network activity events as opt-in', () => {
    const mapping = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      eventType: 'AwsVpceEvent',
      eventCategory: 'NetworkActivity',
    });
    expect(mapping.permissions).toEqual(['ec2:DescribeInstances']);
    expect(mapping.category).toBe('network-activity');
    expect(mapping.visibility).toBe('data-event');
  });

  it('maps a repeated call alike', () => {
    // S3 GetObject depends on its request (versionId), so a call without request rules.
    const call = {
      eventSource: 'sqs.amazonaws.com',
      eventName: 'SendMessage',
      eventCategory: 'Data',
    };
    const first = mapAwsCall(call);
    const second = mapAwsCall({ ...call });
    expect(second).toEqual(first);
    expect(second.permissions).toEqual(['sqs:SendMessage']);
    expect(Object.isFrozen(second.permissions)).toBe(true);
  });

  it('caches request rule mappings per action list', () => {
    // GetObject needs s3:GetObjectVersion with a versionId and s3:GetObject without one
    // (Amazon S3 API Reference, GetObject), in any order of records.
    const call = (requestParameters: unknown) =>
      mapAwsCall({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters });
    const plain = { bucketName: 'b', key: 'k' };
    const versioned = { bucketName: 'b', key: 'k', versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' };
    for (let round = 0; round < 3; round++) {
      expect(call(plain).permissions).toEqual(['s3:GetObject']);
      expect(call(versioned).permissions).toEqual(['s3:GetObjectVersion']);
    }
    expect(call(plain)).toBe(call({ ...plain }));
    expect(Object.isFrozen(call(versioned).permissions)).toBe(true);
  });

  it('reads request parameters on every call', () => {
    const withProfile = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      requestParameters: { iamInstanceProfile: { name: 'app' } },
    });
    const withoutProfile = mapAwsCall({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      requestParameters: {},
    });
    expect(withProfile.permissions).toEqual(['ec2:RunInstances', 'iam:PassRole']);
    expect(withoutProfile.permissions).toEqual(['ec2:RunInstances']);
  });

  it('keeps event category apart in cache', () => {
    const management = mapAwsCall({ eventSource: 's3.amazonaws.com', eventName: 'GetObject' });
    const network = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventCategory: 'NetworkActivity',
    });
    expect(management.category).toBe('data');
    expect(network.category).toBe('network-activity');
  });

  it('alternates PassRole across repeated calls', () => {
    const call = (requestParameters: unknown) =>
      mapAwsCall({
        eventSource: 'ec2.amazonaws.com',
        eventName: 'RunInstances',
        requestParameters,
      });
    for (let round = 0; round < 3; round++) {
      expect(call({ iamInstanceProfile: { name: 'app' } }).permissions).toEqual([
        'ec2:RunInstances',
        'iam:PassRole',
      ]);
      expect(call({ IamInstanceProfile: 'app' }).permissions).toEqual([
        'ec2:RunInstances',
        'iam:PassRole',
      ]);
      expect(call({ iamInstanceProfile: '' }).permissions).toEqual(['ec2:RunInstances']);
      expect(call(undefined).permissions).toEqual(['ec2:RunInstances']);
    }
  });

  it('maps request rules on every call', () => {
    const call = (transactItems: unknown) =>
      mapAwsCall({
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'TransactWriteItems',
        requestParameters: { transactItems },
      });
    for (let round = 0; round < 2; round++) {
      expect(call([{ put: { tableName: 't' } }]).permissions).toEqual(['dynamodb:PutItem']);
      expect(call([{ update: { tableName: 't' } }]).permissions).toEqual(['dynamodb:UpdateItem']);
    }
  });
});
