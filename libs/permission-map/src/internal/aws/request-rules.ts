import { ownEntry } from '../own-entry.js';
import { S3_REQUEST_RULES } from './s3-request-rules.js';

/**
 * Calls that pass an IAM role to a service, keyed by `<IAM prefix>:<eventName>` and compared
 * case-insensitively. The value lists the `requestParameters` fields that carry the role
 * (any one present, at any depth, means a role was passed), or `always` when the API
 * requires a role. Passing a role needs `iam:PassRole` besides the call's own action, and
 * CloudTrail records no event for it (IAM User Guide, "Grant a user permissions to pass a
 * role to an AWS service").
 * Field names are those CloudTrail writes in `requestParameters`.
 */
export const AWS_PASS_ROLE_CALLS: Readonly<Record<string, readonly string[] | 'always'>> = {
  // Amazon EC2 User Guide, "IAM roles for Amazon EC2", "Permissions to launch an instance
  // with a role": RunInstances with an instance profile needs iam:PassRole.
  'ec2:RunInstances': ['iamInstanceProfile'],
  'ec2:AssociateIamInstanceProfile': 'always',
  'ec2:ReplaceIamInstanceProfileAssociation': 'always',
  // AWS Lambda Developer Guide, "Lambda execution role": the role is required at creation.
  'lambda:CreateFunction': 'always',
  'lambda:UpdateFunctionConfiguration': ['role'],
  // Amazon ECS Developer Guide, "Task IAM role" and "Task execution IAM role".
  'ecs:RegisterTaskDefinition': ['taskRoleArn', 'executionRoleArn'],
  // AWS CloudFormation User Guide, "AWS CloudFormation service role".
  'cloudformation:CreateStack': ['roleARN'],
  'cloudformation:UpdateStack': ['roleARN'],
  // AWS Step Functions Developer Guide: a state machine always runs as a role.
  'states:CreateStateMachine': 'always',
  'states:UpdateStateMachine': ['roleArn'],
  // AWS Glue Developer Guide: jobs and crawlers run as a role.
  'glue:CreateJob': 'always',
  'glue:CreateCrawler': 'always',
  // AWS CodeBuild User Guide: a project runs as its service role.
  'codebuild:CreateProject': 'always',
  'codebuild:UpdateProject': ['serviceRole'],
  // A change set runs with the stack's service role like CreateStack, and a self-managed
  // stack set with its administration role (CloudFormation API Reference, CreateStackSet
  // and UpdateStackSet, AdministrationRoleARN).
  'cloudformation:CreateChangeSet': ['roleARN'],
  'cloudformation:CreateStackSet': ['administrationRoleARN'],
  'cloudformation:UpdateStackSet': ['administrationRoleARN'],
  // Amazon EKS User Guide, "Amazon EKS cluster IAM role": every cluster has one, as every
  // managed node group has a node role and every Fargate profile a Pod execution role.
  'eks:CreateCluster': 'always',
  'eks:CreateNodegroup': 'always',
  'eks:CreateFargateProfile': 'always',
  // Amazon S3 User Guide, "Granting permissions for Batch Operations": "The same entity
  // that creates the job must also have the iam:PassRole permission". A replication
  // configuration always names the role S3 replicates with.
  's3:CreateJob': 'always',
  's3:PutBucketReplication': 'always',
  // Amazon EventBridge: a target that EventBridge invokes as a role names it in
  // targets[].roleArn.
  'events:PutTargets': ['roleArn'],
};

/** The IAM action whose use passing a role adds. */
export const PASS_ROLE_ACTION = 'iam:PassRole';

/** Result of a rule that reads `requestParameters` to find the actions of a call. */
export type RequestRuleResult =
  { readonly permissions: readonly string[] } | { readonly unresolved: string };

/** A rule that reads `requestParameters` to find the actions of a call. */
export type RequestRule = (
  requestParameters: Record<string, unknown> | undefined,
) => RequestRuleResult;

// Amazon DynamoDB Developer Guide, "Using IAM with DynamoDB transactions": each write in a
// TransactWriteItems request is authorized as the single-item action of its kind.
const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  delete: 'dynamodb:DeleteItem',
  conditioncheck: 'dynamodb:ConditionCheckItem',
};

// Amazon DynamoDB Developer Guide, "IAM security policies with PartiQL for DynamoDB": the
// statement's first keyword picks the action.
const PARTIQL_ACTIONS: Readonly<Record<string, string>> = {
  select: 'dynamodb:PartiQLSelect',
  insert: 'dynamodb:PartiQLInsert',
  update: 'dynamodb:PartiQLUpdate',
  delete: 'dynamodb:PartiQLDelete',
};

function transactWriteActions(request: Record<string, unknown> | undefined): RequestRuleResult {
  const items = request?.transactItems;
  if (!Array.isArray(items) || items.length === 0) {
    return { unresolved: 'requestParameters.transactItems is missing, so the writes are unknown' };
  }
  const actions = new Set<string>();
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    for (const kind of Object.keys(item)) {
      const action = ownEntry(TRANSACT_WRITE_ACTIONS, kind.toLowerCase());
      if (action !== undefined) actions.add(action);
    }
  }
  if (actions.size === 0) {
    return { unresolved: 'requestParameters.transactItems names no Put, Update, Delete' };
  }
  return { permissions: [...actions].sort() };
}

function partiqlActions(statements: unknown[]): RequestRuleResult {
  const actions = new Set<string>();
  for (const statement of statements) {
    if (typeof statement !== 'string') continue;
    const keyword = /^\s*([A-Za-z]+)/.exec(statement)?.[1]?.toLowerCase();
    const action = keyword === undefined ? undefined : ownEntry(PARTIQL_ACTIONS, keyword);
    if (action === undefined) {
      return { unresolved: 'a PartiQL statement starts with no SELECT, INSERT, UPDATE, DELETE' };
    }
    actions.add(action);
  }
  if (actions.size === 0) {
    return { unresolved: 'requestParameters carries no PartiQL statement text' };
  }
  return { permissions: [...actions].sort() };
}

// Returns the `statement` field of each entry of a list of PartiQL requests.
function statementTexts(entries: unknown): unknown[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((entry: unknown) =>
    entry !== null && typeof entry === 'object'
      ? (entry as Record<string, unknown>).statement
      : undefined,
  );
}

/**
 * Calls whose actions depend on the request, keyed like the other tables. A rule returns
 * `unresolved` when the record lacks the fields it needs (CloudTrail may omit them).
 */
export const AWS_REQUEST_RULES: Readonly<Record<string, RequestRule>> = {
  'dynamodb:TransactWriteItems': transactWriteActions,
  'dynamodb:ExecuteStatement': (request) => partiqlActions([request?.statement]),
  'dynamodb:ExecuteTransaction': (request) =>
    partiqlActions(statementTexts(request?.transactStatements)),
  'dynamodb:BatchExecuteStatement': (request) =>
    partiqlActions(statementTexts(request?.statements)),
  ...S3_REQUEST_RULES,
};
