import type { PermissionVisibility } from '../types.js';
import { lookupAwsAction } from './catalog.js';

// CloudTrail User Guide, "Logging data events" (the table of data event resource types),
// with each service's CloudTrail page for the API names. Keys are lower case.
const DATA_EVENT_ACTIONS: ReadonlySet<string> = new Set(
  [
    // Amazon S3 User Guide, "Amazon S3 CloudTrail events": list calls on a bucket's objects
    // are data events, like the object-level calls (matched by resource type below).
    's3:ListBucket',
    's3:ListBucketVersions',
    // AWS Lambda: the Invoke API.
    'lambda:InvokeFunction',
    // Amazon DynamoDB Developer Guide, "DynamoDB data plane events in CloudTrail".
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:PartiQLSelect',
    'dynamodb:PartiQLInsert',
    'dynamodb:PartiQLUpdate',
    'dynamodb:PartiQLDelete',
    // DynamoDB Streams (resource type AWS::DynamoDB::Stream).
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    // Amazon SNS: Publish and PublishBatch.
    'sns:Publish',
    // Amazon SQS (resource type AWS::SQS::Queue).
    'sqs:SendMessage',
    'sqs:ReceiveMessage',
    'sqs:DeleteMessage',
    'sqs:ChangeMessageVisibility',
    // Amazon Kinesis Data Streams (resource type AWS::Kinesis::Stream).
    'kinesis:PutRecord',
    'kinesis:PutRecords',
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:SubscribeToShard',
    // Amazon EBS direct APIs (resource type AWS::EC2::Snapshot).
    'ebs:GetSnapshotBlock',
    'ebs:PutSnapshotBlock',
    'ebs:ListSnapshotBlocks',
    'ebs:ListChangedBlocks',
    // CloudTrail Lake channels.
    'cloudtrail-data:PutAuditEvents',
  ].map((action) => action.toLowerCase()),
);

// Services whose every action is a data event: S3 Object Lambda access points.
const DATA_EVENT_SERVICES: ReadonlySet<string> = new Set(['s3-object-lambda']);

// Services whose object-level actions (resource type `object`) are data events.
const OBJECT_LEVEL_SERVICES: ReadonlySet<string> = new Set(['s3', 's3-outposts']);

// Permissions that are checked without an event of their own.
const NOT_LOGGED_ACTIONS: ReadonlySet<string> = new Set(
  [
    // IAM User Guide, "Grant a user permissions to pass a role to an AWS service": PassRole
    // is a permission only, checked inside the call that passes the role.
    'iam:PassRole',
    // IAM User Guide, "Passing session tags in AWS STS" and "sts:SetSourceIdentity":
    // checked inside AssumeRole, which is the logged event.
    'sts:TagSession',
    'sts:SetSourceIdentity',
    // Amazon RDS User Guide, "IAM database authentication": the connection is made to the
    // database engine, which CloudTrail does not see.
    'rds-db:connect',
    // Amazon API Gateway Developer Guide, "Logging Amazon API Gateway API calls by using
    // AWS CloudTrail": API execution is not logged in CloudTrail, only in access logs.
    'execute-api:Invoke',
    'execute-api:InvalidateCache',
  ].map((action) => action.toLowerCase()),
);

/**
 * Returns whether the use of an AWS permission shows in CloudTrail, compared
 * case-insensitively. Actions logged only when data events are enabled are `data-event`.
 * Permissions checked without an event of their own are `not-logged`. The rest, including
 * actions the catalog lacks, are `logged` (management events, on by default).
 *
 * NOTE: the data-event list covers the resource types most accounts use (S3, Lambda,
 * DynamoDB, SNS, SQS, Kinesis, EBS direct APIs); data events of other services are
 * reported as `logged` until the list names them.
 */
export function awsPermissionVisibility(action: string): PermissionVisibility {
  const key = action.trim().toLowerCase();
  if (NOT_LOGGED_ACTIONS.has(key)) return 'not-logged';
  if (DATA_EVENT_ACTIONS.has(key)) return 'data-event';

  const service = key.split(':')[0] ?? '';
  if (DATA_EVENT_SERVICES.has(service)) return 'data-event';
  if (OBJECT_LEVEL_SERVICES.has(service)) {
    const entry = lookupAwsAction(key);
    if (entry?.resourceTypes.includes('object')) return 'data-event';
  }
  return 'logged';
}
