/** One statement of an IAM policy document, in the JSON shape the CLI prints. */
export interface AwsStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Principal?: Record<string, string>;
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface AwsPolicyDocument {
  Version: '2012-10-17';
  Statement: AwsStatement[];
}

/** An AWS managed policy as the simulator writes it into `Policies[]`. */
export interface AwsManagedPolicy {
  readonly name: string;
  readonly path: string;
  readonly document: AwsPolicyDocument;
}

const allow = (actions: string[], resource: string | string[] = '*'): AwsStatement => ({
  Effect: 'Allow',
  Action: actions.length === 1 ? (actions[0] as string) : actions,
  Resource: resource,
});

const doc = (...statements: AwsStatement[]): AwsPolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

/**
 * AWS managed policies the estate attaches, under their real names and paths.
 * NOTE: the documents are abbreviated to the services this simulator emits, so an analyzer
 * that resolves these names against the live AWS documents sees more actions than listed.
 */
export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  { name: 'AdministratorAccess', path: '/', document: doc(allow(['*'])) },
  {
    name: 'PowerUserAccess',
    path: '/',
    document: doc(
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      allow([
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeOrganization',
        'account:ListRegions',
        'account:GetAccountInformation',
      ]),
    ),
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    document: doc(
      allow([
        'cloudtrail:Describe*',
        'cloudtrail:Get*',
        'cloudtrail:List*',
        'cloudtrail:LookupEvents',
        'dynamodb:BatchGetItem',
        'dynamodb:Describe*',
        'dynamodb:GetItem',
        'dynamodb:List*',
        'dynamodb:Query',
        'dynamodb:Scan',
        'ec2:Describe*',
        'ec2:Get*',
        'ecr:BatchCheck*',
        'ecr:BatchGet*',
        'ecr:Describe*',
        'ecr:Get*',
        'ecr:List*',
        'iam:Generate*',
        'iam:Get*',
        'iam:List*',
        'iam:Simulate*',
        'kms:Describe*',
        'kms:Get*',
        'kms:List*',
        'lambda:Get*',
        'lambda:List*',
        'logs:Describe*',
        'logs:FilterLogEvents',
        'logs:Get*',
        's3:Describe*',
        's3:Get*',
        's3:List*',
        'secretsmanager:DescribeSecret',
        'secretsmanager:List*',
        'sqs:Get*',
        'sqs:List*',
        'ssm:Describe*',
        'ssm:Get*',
        'ssm:List*',
      ]),
    ),
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    document: doc(
      allow([
        's3:Get*',
        's3:List*',
        's3:Describe*',
        's3-object-lambda:Get*',
        's3-object-lambda:List*',
      ]),
    ),
  },
  { name: 'AmazonS3FullAccess', path: '/', document: doc(allow(['s3:*', 's3-object-lambda:*'])) },
  {
    name: 'AmazonEC2ReadOnlyAccess',
    path: '/',
    document: doc(
      allow(['ec2:Describe*', 'elasticloadbalancing:Describe*', 'cloudwatch:ListMetrics']),
    ),
  },
  {
    name: 'AmazonEC2FullAccess',
    path: '/',
    document: doc(allow(['ec2:*', 'elasticloadbalancing:*', 'cloudwatch:*', 'autoscaling:*'])),
  },
  {
    name: 'AWSLambda_ReadOnlyAccess',
    path: '/',
    document: doc(allow(['lambda:Get*', 'lambda:List*', 'logs:DescribeLogGroups'])),
  },
  {
    name: 'AWSLambda_FullAccess',
    path: '/',
    document: doc(allow(['lambda:*', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams']), {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    }),
  },
  {
    name: 'IAMReadOnlyAccess',
    path: '/',
    document: doc(
      allow(['iam:GenerateCredentialReport', 'iam:Get*', 'iam:List*', 'iam:Simulate*']),
    ),
  },
  { name: 'IAMFullAccess', path: '/', document: doc(allow(['iam:*', 'organizations:List*'])) },
  {
    name: 'AmazonDynamoDBReadOnlyAccess',
    path: '/',
    document: doc(
      allow([
        'dynamodb:BatchGetItem',
        'dynamodb:Describe*',
        'dynamodb:GetItem',
        'dynamodb:List*',
        'dynamodb:Query',
        'dynamodb:Scan',
      ]),
    ),
  },
  { name: 'AmazonDynamoDBFullAccess', path: '/', document: doc(allow(['dynamodb:*'])) },
  {
    name: 'AWSCloudTrail_ReadOnlyAccess',
    path: '/',
    document: doc(
      allow([
        'cloudtrail:Describe*',
        'cloudtrail:Get*',
        'cloudtrail:List*',
        'cloudtrail:LookupEvents',
      ]),
    ),
  },
  { name: 'AWSCloudTrail_FullAccess', path: '/', document: doc(allow(['cloudtrail:*'])) },
  { name: 'AmazonSQSFullAccess', path: '/', document: doc(allow(['sqs:*'])) },
  {
    name: 'AmazonSSMReadOnlyAccess',
    path: '/',
    document: doc(allow(['ssm:Describe*', 'ssm:Get*', 'ssm:List*'])),
  },
  { name: 'SecretsManagerReadWrite', path: '/', document: doc(allow(['secretsmanager:*'])) },
  { name: 'CloudWatchLogsFullAccess', path: '/', document: doc(allow(['logs:*'])) },
  {
    name: 'AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    document: doc(allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'])),
  },
  {
    name: 'AmazonEC2ContainerRegistryReadOnly',
    path: '/',
    document: doc(
      allow([
        'ecr:GetAuthorizationToken',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:DescribeRepositories',
        'ecr:ListImages',
        'ecr:DescribeImages',
        'ecr:BatchGetImage',
      ]),
    ),
  },
  {
    name: 'AmazonEC2ContainerRegistryPowerUser',
    path: '/',
    document: doc(
      allow([
        'ecr:GetAuthorizationToken',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:DescribeRepositories',
        'ecr:ListImages',
        'ecr:DescribeImages',
        'ecr:BatchGetImage',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
      ]),
    ),
  },
  {
    name: 'AWSKeyManagementServicePowerUser',
    path: '/',
    document: doc(
      allow([
        'kms:Create*',
        'kms:Describe*',
        'kms:Enable*',
        'kms:List*',
        'kms:Put*',
        'kms:Update*',
        'kms:Revoke*',
        'kms:Disable*',
        'kms:Get*',
        'kms:Delete*',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
      ]),
    ),
  },
];

export function awsManagedPolicy(name: string): AwsManagedPolicy {
  const policy = AWS_MANAGED_POLICIES.find((p) => p.name === name);
  if (!policy) throw new Error(`unknown AWS managed policy ${name}`);
  return policy;
}

export function awsManagedPolicyArn(policy: AwsManagedPolicy): string {
  return `arn:aws:iam::aws:policy${policy.path}${policy.name}`;
}

const patternCache = new Map<string, RegExp>();

/** Matches an IAM action against a pattern with `*` and `?` wildcards, case-insensitively. */
export function matchesAction(pattern: string, action: string): boolean {
  let regex = patternCache.get(pattern);
  if (!regex) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, regex);
  }
  return regex.test(action);
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

function statementMatches(statement: AwsStatement, action: string): boolean {
  if (statement.NotAction !== undefined) {
    return !asList(statement.NotAction).some((p) => matchesAction(p, action));
  }
  return asList(statement.Action).some((p) => matchesAction(p, action));
}

/**
 * Decides whether the statements allow `action`: an explicit Deny wins, then any Allow.
 * Resources are not compared, and statements with a `Condition` are skipped in both
 * directions, because the simulator cannot know the request context when it plans grants.
 */
export function isActionAllowed(statements: readonly AwsStatement[], action: string): boolean {
  let allowed = false;
  for (const statement of statements) {
    if (statement.Condition !== undefined) continue;
    if (!statementMatches(statement, action)) continue;
    if (statement.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
