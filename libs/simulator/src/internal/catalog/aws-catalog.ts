import { apiCall as c } from './types.js';
import type { PermissionGroup } from './types.js';

const S3 = 's3.amazonaws.com';
const EC2 = 'ec2.amazonaws.com';
const LAMBDA = 'lambda.amazonaws.com';
const IAM = 'iam.amazonaws.com';
const DDB = 'dynamodb.amazonaws.com';
const KMS = 'kms.amazonaws.com';
const TRAIL = 'cloudtrail.amazonaws.com';
const SQS = 'sqs.amazonaws.com';
const SSM = 'ssm.amazonaws.com';
const SECRETS = 'secretsmanager.amazonaws.com';
const LOGS = 'logs.amazonaws.com';
const ECR = 'ecr.amazonaws.com';
const STS = 'sts.amazonaws.com';

/**
 * CloudTrail calls by permission group. Event names are the ones CloudTrail records
 * (including Lambda's versioned names such as `GetFunction20150331v2`), and permissions are
 * the IAM actions each call is authorized against.
 */
export const AWS_GROUPS: readonly PermissionGroup[] = [
  group('aws:s3-read', [
    c(S3, 'ListBuckets', 's3:ListAllMyBuckets', 'none', 'r', 2),
    c(S3, 'GetBucketLocation', 's3:GetBucketLocation', 'bucket', 'r', 1),
    c(S3, 'ListObjects', 's3:ListBucket', 'bucket', 'rd', 6),
    c(S3, 'GetObject', 's3:GetObject', 'object', 'rd', 12),
    c(S3, 'HeadObject', 's3:GetObject', 'object', 'rd', 4),
  ]),
  group('aws:s3-write', [
    c(S3, 'PutObject', 's3:PutObject', 'object', 'd', 6),
    c(S3, 'DeleteObject', 's3:DeleteObject', 'object', 'd', 1),
  ]),
  group('aws:ec2-read', [
    c(EC2, 'DescribeInstances', 'ec2:DescribeInstances', 'instance', 'r', 8),
    c(EC2, 'DescribeSecurityGroups', 'ec2:DescribeSecurityGroups', 'none', 'r', 3),
    c(EC2, 'DescribeVpcs', 'ec2:DescribeVpcs', 'none', 'r', 2),
    c(EC2, 'DescribeSubnets', 'ec2:DescribeSubnets', 'none', 'r', 2),
    c(EC2, 'DescribeVolumes', 'ec2:DescribeVolumes', 'none', 'r', 2),
  ]),
  group('aws:ec2-write', [
    c(EC2, 'RunInstances', 'ec2:RunInstances', 'instance', '', 1),
    c(EC2, 'StartInstances', 'ec2:StartInstances', 'instance', '', 2),
    c(EC2, 'StopInstances', 'ec2:StopInstances', 'instance', '', 2),
    c(EC2, 'TerminateInstances', 'ec2:TerminateInstances', 'instance', '', 1),
    c(EC2, 'CreateTags', 'ec2:CreateTags', 'instance', '', 2),
    c(EC2, 'AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupIngress', 'none', '', 1),
  ]),
  group('aws:lambda-read', [
    c(LAMBDA, 'ListFunctions20150331', 'lambda:ListFunctions', 'none', 'r', 2),
    c(LAMBDA, 'GetFunction20150331v2', 'lambda:GetFunction', 'function', 'r', 2),
  ]),
  group('aws:lambda-invoke', [c(LAMBDA, 'Invoke', 'lambda:InvokeFunction', 'function', 'd', 1)]),
  group('aws:lambda-write', [
    c(LAMBDA, 'UpdateFunctionCode20150331v2', 'lambda:UpdateFunctionCode', 'function', '', 3),
    c(
      LAMBDA,
      'UpdateFunctionConfiguration20150331v2',
      'lambda:UpdateFunctionConfiguration',
      'function',
      '',
      1,
    ),
  ]),
  group('aws:iam-read', [
    c(IAM, 'ListRoles', 'iam:ListRoles', 'none', 'r', 3),
    c(IAM, 'ListUsers', 'iam:ListUsers', 'none', 'r', 2),
    c(IAM, 'GetRole', 'iam:GetRole', 'role', 'r', 2),
    c(IAM, 'GetUser', 'iam:GetUser', 'user', 'r', 1),
    c(IAM, 'ListAttachedRolePolicies', 'iam:ListAttachedRolePolicies', 'role', 'r', 2),
    c(IAM, 'GetPolicy', 'iam:GetPolicy', 'policy', 'r', 1),
  ]),
  group('aws:iam-admin', [
    c(IAM, 'CreateRole', 'iam:CreateRole', 'role', '', 1),
    c(IAM, 'AttachRolePolicy', 'iam:AttachRolePolicy', 'role', '', 1),
    c(IAM, 'PutRolePolicy', 'iam:PutRolePolicy', 'role', '', 1),
    c(IAM, 'CreateAccessKey', 'iam:CreateAccessKey', 'user', '', 1),
    c(IAM, 'AttachUserPolicy', 'iam:AttachUserPolicy', 'user', '', 1),
    c(IAM, 'CreatePolicyVersion', 'iam:CreatePolicyVersion', 'policy', '', 1),
  ]),
  group('aws:dynamodb-read', [
    c(DDB, 'ListTables', 'dynamodb:ListTables', 'none', 'r', 1),
    c(DDB, 'DescribeTable', 'dynamodb:DescribeTable', 'table', 'r', 2),
    c(DDB, 'GetItem', 'dynamodb:GetItem', 'table', 'rd', 8),
    c(DDB, 'Query', 'dynamodb:Query', 'table', 'rd', 6),
  ]),
  group('aws:dynamodb-write', [
    c(DDB, 'PutItem', 'dynamodb:PutItem', 'table', 'd', 5),
    c(DDB, 'UpdateItem', 'dynamodb:UpdateItem', 'table', 'd', 3),
    c(DDB, 'DeleteItem', 'dynamodb:DeleteItem', 'table', 'd', 1),
  ]),
  group('aws:kms-use', [
    c(KMS, 'Decrypt', 'kms:Decrypt', 'key', 'r', 6),
    c(KMS, 'GenerateDataKey', 'kms:GenerateDataKey', 'key', 'r', 3),
    c(KMS, 'Encrypt', 'kms:Encrypt', 'key', 'r', 1),
  ]),
  group('aws:kms-read', [
    c(KMS, 'ListKeys', 'kms:ListKeys', 'none', 'r', 1),
    c(KMS, 'ListAliases', 'kms:ListAliases', 'none', 'r', 1),
    c(KMS, 'DescribeKey', 'kms:DescribeKey', 'key', 'r', 2),
  ]),
  group('aws:cloudtrail-read', [
    c(TRAIL, 'DescribeTrails', 'cloudtrail:DescribeTrails', 'none', 'r', 2),
    c(TRAIL, 'GetTrailStatus', 'cloudtrail:GetTrailStatus', 'trail', 'r', 1),
    c(TRAIL, 'LookupEvents', 'cloudtrail:LookupEvents', 'none', 'r', 3),
    c(TRAIL, 'GetEventSelectors', 'cloudtrail:GetEventSelectors', 'trail', 'r', 1),
  ]),
  group('aws:cloudtrail-admin', [
    c(TRAIL, 'UpdateTrail', 'cloudtrail:UpdateTrail', 'trail', '', 1),
    c(TRAIL, 'PutEventSelectors', 'cloudtrail:PutEventSelectors', 'trail', '', 1),
    c(TRAIL, 'StopLogging', 'cloudtrail:StopLogging', 'trail', '', 1),
    c(TRAIL, 'DeleteTrail', 'cloudtrail:DeleteTrail', 'trail', '', 1),
  ]),
  group('aws:sqs', [
    c(SQS, 'ListQueues', 'sqs:ListQueues', 'none', 'r', 1),
    c(SQS, 'GetQueueAttributes', 'sqs:GetQueueAttributes', 'queue', 'r', 2),
    c(SQS, 'SendMessage', 'sqs:SendMessage', 'queue', 'd', 6),
    c(SQS, 'ReceiveMessage', 'sqs:ReceiveMessage', 'queue', 'd', 8),
    c(SQS, 'DeleteMessage', 'sqs:DeleteMessage', 'queue', 'd', 6),
  ]),
  group('aws:ssm-read', [
    c(SSM, 'GetParameter', 'ssm:GetParameter', 'parameter', 'r', 6),
    c(SSM, 'GetParameters', 'ssm:GetParameters', 'parameter', 'r', 2),
    c(SSM, 'DescribeParameters', 'ssm:DescribeParameters', 'none', 'r', 1),
  ]),
  group('aws:secrets-read', [
    c(SECRETS, 'GetSecretValue', 'secretsmanager:GetSecretValue', 'secret', 'r', 4),
    c(SECRETS, 'DescribeSecret', 'secretsmanager:DescribeSecret', 'secret', 'r', 1),
  ]),
  group('aws:logs', [
    c(LOGS, 'CreateLogStream', 'logs:CreateLogStream', 'logGroup', '', 3),
    c(LOGS, 'DescribeLogGroups', 'logs:DescribeLogGroups', 'none', 'r', 2),
    c(LOGS, 'DescribeLogStreams', 'logs:DescribeLogStreams', 'logGroup', 'r', 2),
  ]),
  group('aws:ecr-pull', [
    c(ECR, 'GetAuthorizationToken', 'ecr:GetAuthorizationToken', 'none', 'r', 2),
    c(ECR, 'BatchGetImage', 'ecr:BatchGetImage', 'repository', 'r', 3),
    c(ECR, 'GetDownloadUrlForLayer', 'ecr:GetDownloadUrlForLayer', 'repository', 'r', 3),
  ]),
  group('aws:ecr-push', [
    c(ECR, 'InitiateLayerUpload', 'ecr:InitiateLayerUpload', 'repository', '', 2),
    c(ECR, 'CompleteLayerUpload', 'ecr:CompleteLayerUpload', 'repository', '', 2),
    c(ECR, 'PutImage', 'ecr:PutImage', 'repository', '', 1),
  ]),
  group('aws:sts-assume', [c(STS, 'AssumeRole', 'sts:AssumeRole', 'role', 'r', 1)]),
];

/** Calls that need no permission, emitted outside the groups. */
export const AWS_GET_CALLER_IDENTITY = c(STS, 'GetCallerIdentity', [], 'none', 'r');
export const AWS_CONSOLE_LOGIN = c('signin.amazonaws.com', 'ConsoleLogin', [], 'none', '');
export const AWS_ASSUME_ROLE = c(STS, 'AssumeRole', 'sts:AssumeRole', 'role', 'r');
export const AWS_ASSUME_ROLE_WEB_IDENTITY = c(STS, 'AssumeRoleWithWebIdentity', [], 'role', 'r');
export const AWS_CREATE_FUNCTION = c(
  LAMBDA,
  'CreateFunction20150331',
  ['lambda:CreateFunction', 'iam:PassRole'],
  'function',
  '',
);

function group(id: string, calls: PermissionGroup['calls']): PermissionGroup {
  return { id, provider: 'aws', calls };
}

/** Looks up a catalog call by group and name; throws on a typo in the tables. */
export function awsCall(groupId: string, name: string) {
  const found = AWS_GROUPS.find((g) => g.id === groupId)?.calls.find((x) => x.name === name);
  if (!found) throw new Error(`unknown AWS call ${groupId}/${name}`);
  return found;
}
