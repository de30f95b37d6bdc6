import { describe, expect, it } from 'vitest';
import { awsServiceExists, expandAwsActionPattern, lookupAwsAction } from './catalog.js';
import { awsPermissionVisibility } from './visibility.js';
import {
  AWS_DATA_EVENT_ACTIONS,
  AWS_DATA_EVENT_SERVICES,
  AWS_NOT_LOGGED_ACTIONS,
  AWS_OBJECT_LEVEL_SERVICES,
} from './visibility-tables.js';

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

describe('AWS visibility tables', () => {
  it('name catalog actions in canonical case', () => {
    const tables = { AWS_DATA_EVENT_ACTIONS, AWS_NOT_LOGGED_ACTIONS };
    for (const [table, entries] of Object.entries(tables)) {
      for (const entry of entries) {
        if (entry.includes('*')) {
          expect(expandAwsActionPattern(entry).length, `${table}: ${entry}`).toBeGreaterThan(0);
        } else {
          expect(lookupAwsAction(entry)?.action, `${table}: ${entry}`).toBe(entry);
        }
      }
    }
  });

  it('name catalog services', () => {
    for (const service of [...AWS_DATA_EVENT_SERVICES, ...AWS_OBJECT_LEVEL_SERVICES]) {
      expect(awsServiceExists(service), service).toBe(true);
    }
  });

  it('list no action twice', () => {
    const dataEvent = new Set(AWS_DATA_EVENT_ACTIONS.map((entry) => entry.toLowerCase()));
    for (const entry of AWS_NOT_LOGGED_ACTIONS) {
      expect(dataEvent.has(entry.toLowerCase()), entry).toBe(false);
    }
  });
});

describe('awsPermissionVisibility data event types', () => {
  // CloudTrail User Guide, "Understanding CloudTrail events", "Data events supported by AWS
  // CloudTrail": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-events.html
  it('marks newer data event types', () => {
    const actions = [
      'bedrock:InvokeAgent',
      'bedrock:Retrieve',
      'bedrock:RetrieveAndGenerate',
      'bedrock:InvokeFlow',
      'bedrock:ApplyGuardrail',
      'bedrock:RenderPrompt',
      'ec2-instance-connect:OpenTunnel',
      'cognito-identity:GetCredentialsForIdentity',
      'firehose:PutRecord',
      'firehose:PutRecordBatch',
      'xray:PutTraceSegments',
      'events:PutEvents',
      'appconfig:GetLatestConfiguration',
      'appconfig:StartConfigurationSession',
      'servicediscovery:DiscoverInstances',
      'verifiedpermissions:IsAuthorized',
      'ssmmessages:OpenControlChannel',
      's3express:CreateSession',
      'sagemaker:PutRecord',
      'sagemaker:GetRecord',
      'appsync:GraphQL',
    ];
    for (const action of actions)
      expect(awsPermissionVisibility(action), action).toBe('data-event');
  });

  // Amazon CloudWatch User Guide, "CloudWatch data events in CloudTrail":
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/logging_cw_api_calls.html
  it('marks CloudWatch metric calls', () => {
    const actions = [
      'cloudwatch:GetMetricData',
      'cloudwatch:GetMetricWidgetImage',
      'cloudwatch:PutMetricData',
      'cloudwatch:GetMetricStatistics',
      'cloudwatch:ListMetrics',
    ];
    for (const action of actions)
      expect(awsPermissionVisibility(action), action).toBe('data-event');
    expect(awsPermissionVisibility('cloudwatch:PutMetricAlarm')).toBe('logged');
  });

  // Amazon Aurora User Guide, "Logging RDS Data API calls with AWS CloudTrail":
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/logging-using-cloudtrail-data-api.html
  it('marks RDS Data API calls', () => {
    expect(awsPermissionVisibility('rds-data:ExecuteStatement')).toBe('data-event');
    expect(awsPermissionVisibility('rds-data:BeginTransaction')).toBe('data-event');
  });
});

describe('awsPermissionVisibility unrecorded calls', () => {
  // Amazon CloudWatch Logs User Guide, "Logging Amazon CloudWatch Logs API calls in AWS
  // CloudTrail": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls_cwl.html
  it('marks log event reads and writes', () => {
    for (const action of ['logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents']) {
      expect(awsPermissionVisibility(action), action).toBe('not-logged');
    }
    expect(awsPermissionVisibility('logs:CreateLogGroup')).toBe('logged');
  });

  it('expands wildcard families from catalog', () => {
    const families = ['es:ESHttp*', 'kafka-cluster:*', 'neptune-db:*'];
    for (const family of families) {
      const actions = expandAwsActionPattern(family);
      expect(actions.length, family).toBeGreaterThan(0);
      for (const action of actions) {
        expect(awsPermissionVisibility(action), action).toBe('not-logged');
      }
    }
    expect(awsPermissionVisibility('es:CreateDomain')).toBe('logged');
    expect(awsPermissionVisibility('kafka:CreateCluster')).toBe('logged');
  });

  it('marks IoT message traffic', () => {
    for (const action of ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive']) {
      expect(awsPermissionVisibility(action), action).toBe('not-logged');
    }
    expect(awsPermissionVisibility('iot:CreateThing')).toBe('logged');
  });

  // Amazon S3 API Reference, DeleteObject, x-amz-bypass-governance-retention: "To use this
  // header, you must have the s3:BypassGovernanceRetention permission."
  it('marks S3 checks inside other calls', () => {
    expect(awsPermissionVisibility('s3:BypassGovernanceRetention')).toBe('not-logged');
    expect(awsPermissionVisibility('s3:ObjectOwnerOverrideToBucketOwner')).toBe('not-logged');
  });
});
