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

describe('tags on create outside EC2', () => {
  const callOf = (eventSource: string, eventName: string, requestParameters: unknown) => ({
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:deploy',
      arn: 'arn:aws:sts::111122223333:assumed-role/deploy/deploy',
      accountId: '111122223333',
    },
    eventTime: '2025-05-06T09:30:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    requestParameters,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
  });
  const tags = [{ key: 'team', value: 'payments' }];

  // Elastic Load Balancing User Guide, "ELB API permissions to tag resources during
  // creation": "If tags are specified in the resource-creating action, additional
  // authorization is required on the elasticloadbalancing:AddTags action".
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/tagging-resources-during-creation.html
  it('adds AddTags for ELB creates', () => {
    const requests: [string, Record<string, unknown>][] = [
      ['CreateLoadBalancer', { name: 'web', type: 'application', subnets: ['subnet-0a1b2c3d'] }],
      ['CreateTargetGroup', { name: 'web', protocol: 'HTTP', port: 80, vpcId: 'vpc-0a1b2c3d' }],
      [
        'CreateListener',
        {
          loadBalancerArn:
            'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188',
          protocol: 'HTTP',
          port: 80,
        },
      ],
      [
        'CreateRule',
        {
          listenerArn:
            'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2',
          priority: 10,
        },
      ],
      [
        'CreateTrustStore',
        { name: 'clients', caCertificatesBundleS3Bucket: 'amzn-s3-demo-bucket' },
      ],
    ];
    for (const [eventName, request] of requests) {
      const source = 'elasticloadbalancing.amazonaws.com';
      const tagged = mapAwsCall(callOf(source, eventName, { ...request, tags }));
      expect(tagged.permissions, eventName).toEqual([
        `elasticloadbalancing:${eventName}`,
        'elasticloadbalancing:AddTags',
      ]);
      expect(extrasOf(tagged), eventName).toEqual(['elasticloadbalancing:AddTags']);
      const untagged = mapAwsCall(callOf(source, eventName, request));
      expect(untagged.permissions, eventName).toEqual([`elasticloadbalancing:${eventName}`]);
    }
  });

  // Amazon ECS Developer Guide, "Grant permission to tag resources on creation": for
  // CreateCapacityProvider, CreateCluster, CreateService, CreateTaskSet,
  // RegisterContainerInstance, RegisterTaskDefinition, RunTask and StartTask, "If tags are
  // specified in the resource-creating action, AWS performs additional authorization", and
  // the policy needs ecs:TagResource.
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
  it('adds TagResource for ECS creates', () => {
    const requests: [string, Record<string, unknown>][] = [
      ['CreateCapacityProvider', { name: 'spot' }],
      ['CreateCluster', { clusterName: 'payments' }],
      ['CreateService', { cluster: 'payments', serviceName: 'api', taskDefinition: 'api:7' }],
      ['CreateTaskSet', { cluster: 'payments', service: 'api', taskDefinition: 'api:8' }],
      ['RegisterContainerInstance', { cluster: 'payments' }],
      ['RegisterTaskDefinition', { family: 'api', networkMode: 'awsvpc', cpu: '256' }],
      ['RunTask', { cluster: 'payments', taskDefinition: 'api:7', count: 1 }],
      [
        'StartTask',
        {
          cluster: 'payments',
          taskDefinition: 'api:7',
          containerInstances: ['arn:aws:ecs:us-east-1:111122223333:container-instance/payments/1'],
        },
      ],
    ];
    for (const [eventName, request] of requests) {
      const tagged = mapAwsCall(callOf('ecs.amazonaws.com', eventName, { ...request, tags }));
      expect(tagged.permissions, eventName).toContain(`ecs:${eventName}`);
      expect(extrasOf(tagged), eventName).toContain('ecs:TagResource');
      const untagged = mapAwsCall(callOf('ecs.amazonaws.com', eventName, request));
      expect(untagged.permissions, eventName).not.toContain('ecs:TagResource');
    }
  });

  // IAM User Guide, "Pass session tags in AWS STS", "Permissions required to add session
  // tags": "In addition to the action that matches the API operation, you must have the
  // following permissions-only action in your policy: sts:TagSession", and "Passing session
  // tags using GetFederationToken" passes them with the Tags parameter.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
  it('adds TagSession for GetFederationToken tags', () => {
    const request = { name: 'my-fed-user', durationSeconds: 3600 };
    const tagged = mapAwsCall(
      callOf('sts.amazonaws.com', 'GetFederationToken', {
        ...request,
        tags: [
          { key: 'Project', value: 'Automation' },
          { key: 'Department', value: 'Engineering' },
        ],
      }),
    );
    expect(tagged.permissions).toEqual(['sts:GetFederationToken', 'sts:TagSession']);
    expect(tagged.uses[1]?.visibility).toBe('not-logged');
    const plain = mapAwsCall(callOf('sts.amazonaws.com', 'GetFederationToken', request));
    expect(plain.permissions).toEqual(['sts:GetFederationToken']);
  });
});
