import { describe, expect, it } from 'vitest';
import { mapAwsCall } from './map-aws-call.js';

describe('mapAwsCall event names', () => {
  // Amazon Bedrock API Reference, Converse: "This operation requires permission for the
  // bedrock:InvokeModel action"; ConverseStream: bedrock:InvokeModelWithResponseStream.
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
  it('maps Bedrock Converse to InvokeModel', () => {
    const converse = mapAwsCall({
      eventSource: 'bedrock.amazonaws.com',
      eventName: 'Converse',
      requestParameters: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' },
    });
    expect(converse.status).toBe('mapped');
    expect(converse.permissions).toEqual(['bedrock:InvokeModel']);
    const stream = mapAwsCall({
      eventSource: 'bedrock.amazonaws.com',
      eventName: 'ConverseStream',
    });
    expect(stream.permissions).toEqual(['bedrock:InvokeModelWithResponseStream']);
  });

  // Amazon S3 API Reference, "Browser-Based Uploads Using POST": a form upload adds an
  // object, as PutObject does.
  it('maps S3 PostObject to PutObject', () => {
    const mapping = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'PostObject',
      requestParameters: { bucketName: 'amzn-s3-demo-bucket', key: 'uploads/a.png' },
    });
    expect(mapping.permissions).toEqual(['s3:PutObject']);
    expect(mapping.visibility).toBe('data-event');
  });

  // Amazon Aurora User Guide, "Logging RDS Data API calls with AWS CloudTrail": the event
  // sources are rdsdata.amazonaws.com and rdsdataapi.amazonaws.com.
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/logging-using-cloudtrail-data-api.html
  it('maps RDS Data API sources to rds-data', () => {
    for (const eventSource of ['rdsdata.amazonaws.com', 'rdsdataapi.amazonaws.com']) {
      const mapping = mapAwsCall({
        eventSource,
        eventName: 'ExecuteStatement',
        requestParameters: {
          resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:my-database-1',
          secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dataapisecret-ABC123',
          sql: '**********',
        },
      });
      expect(mapping.service, eventSource).toBe('rds-data');
      expect(mapping.permissions, eventSource).toEqual(['rds-data:ExecuteStatement']);
    }
  });

  // An unknown event name from the sign-in endpoint is counted as unmapped, not taken for
  // a sign-in. Events with eventType AwsConsoleSignIn stay sign-ins.
  it('reports unknown sign-in names unmapped', () => {
    const unknown = mapAwsCall({
      eventSource: 'signin.amazonaws.com',
      eventName: 'StartPasswordlessFlow',
      eventType: 'AwsApiCall',
    });
    expect(unknown.status).toBe('unmapped');
    expect(unknown.reason).toContain('signin:StartPasswordlessFlow');
    const typed = mapAwsCall({
      eventSource: 'signin.amazonaws.com',
      eventName: 'StartPasswordlessFlow',
      eventType: 'AwsConsoleSignIn',
    });
    expect(typed.status).toBe('no-permission');
    expect(typed.category).toBe('sign-in');
  });

  // API Gateway V2 API Reference, ImportApi (PUT /v2/apis) and ReimportApi
  // (PUT /v2/apis/apiId); API Gateway API Reference, ImportDocumentationParts
  // (PUT /restapis/restapi_id/documentation/parts).
  it('maps API Gateway imports to PUT', () => {
    for (const eventName of ['ImportApi', 'ReimportApi', 'ImportDocumentationParts']) {
      const mapping = mapAwsCall({ eventSource: 'apigateway.amazonaws.com', eventName });
      expect(mapping.permissions, eventName).toEqual(['apigateway:PUT']);
    }
    const restApi = mapAwsCall({
      eventSource: 'apigateway.amazonaws.com',
      eventName: 'ImportRestApi',
    });
    expect(restApi.permissions).toEqual(['apigateway:POST']);
  });
});

describe('mapAwsCall API Gateway actions', () => {
  const apiGatewayCall = (eventName: string, requestParameters: Record<string, unknown>) => ({
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEID',
      arn: 'arn:aws:iam::111122223333:user/api-admin',
      accountId: '111122223333',
    },
    eventTime: '2025-06-03T14:20:00Z',
    eventSource: 'apigateway.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    requestParameters,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
  });

  // Service Authorization Reference, "Actions, resources, and condition keys for Amazon API
  // Gateway Management V2": routing rules and portals have actions of their own
  // (CreateRoutingRule, GetPortal, ...), not the HTTP-method actions, and "UpdateRoutingRule
  // - Grants permission to update a routing rule using the PutRoutingRule API".
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html
  it('prefers actions named for the API', () => {
    const routingRule = { domainName: 'api.example.com', routingRuleId: 'abc123' };
    const portal = { portalId: 'p0123456789' };
    const cases: [string, Record<string, unknown>, string][] = [
      ['CreateRoutingRule', { domainName: 'api.example.com', priority: 50 }, 'CreateRoutingRule'],
      ['GetRoutingRule', routingRule, 'GetRoutingRule'],
      ['DeleteRoutingRule', routingRule, 'DeleteRoutingRule'],
      ['PutRoutingRule', { ...routingRule, priority: 40 }, 'UpdateRoutingRule'],
      ['CreatePortal', { authorization: { none: {} } }, 'CreatePortal'],
      ['GetPortal', portal, 'GetPortal'],
      ['UpdatePortal', portal, 'UpdatePortal'],
      ['DeletePortal', portal, 'DeletePortal'],
      [
        'PutPortalProductSharingPolicy',
        { portalProductId: 'pp0123456789', policyDocument: '{}' },
        'PutPortalProductSharingPolicy',
      ],
    ];
    for (const [eventName, request, action] of cases) {
      const mapping = mapAwsCall(apiGatewayCall(eventName, request));
      expect(mapping.permissions, eventName).toEqual([`apigateway:${action}`]);
    }
  });

  // API Gateway V2 API Reference, ExportApi ("GET /v2/apis/apiId/exports/specification") and
  // ResetAuthorizersCache ("DELETE /v2/apis/apiId/stages/stageName/cache/authorizers"):
  // their verbs are no HTTP method, so the route's method is the action.
  it('maps ExportApi and ResetAuthorizersCache', () => {
    const exported = mapAwsCall(
      apiGatewayCall('ExportApi', {
        apiId: 'a1b2c3d4e5',
        specification: 'OAS30',
        outputType: 'JSON',
      }),
    );
    expect(exported.permissions).toEqual(['apigateway:GET']);
    const reset = mapAwsCall(
      apiGatewayCall('ResetAuthorizersCache', { apiId: 'a1b2c3d4e5', stageName: 'prod' }),
    );
    expect(reset.permissions).toEqual(['apigateway:DELETE']);
  });

  // API Gateway API Reference, CreateRestApi ("POST /restapis") and UpdateStage ("PATCH
  // /restapis/restapi_id/stages/stage_name"): calls without an action of their own keep
  // the method action.
  it('keeps method actions for other calls', () => {
    const created = mapAwsCall(apiGatewayCall('CreateRestApi', { name: 'orders' }));
    expect(created.permissions).toEqual(['apigateway:POST']);
    const updated = mapAwsCall(
      apiGatewayCall('UpdateStage', { restApiId: 'a1b2c3d4e5', stageName: 'prod' }),
    );
    expect(updated.permissions).toEqual(['apigateway:PATCH']);
  });
});

describe('mapAwsCall passed roles', () => {
  const passRoleOf = (eventSource: string, eventName: string, requestParameters: unknown) =>
    mapAwsCall({ eventSource, eventName, requestParameters }).uses.find(
      (use) => use.action === 'iam:PassRole',
    );

  // IAM User Guide, "Grant a user permissions to pass a role to an AWS service": a call
  // that hands a role to a service needs iam:PassRole.
  it('adds PassRole for CloudFormation roles', () => {
    const changeSet = passRoleOf('cloudformation.amazonaws.com', 'CreateChangeSet', {
      stackName: 'app',
      changeSetName: 'c1',
      roleARN: 'arn:aws:iam::111122223333:role/cfn',
    });
    expect(changeSet?.extra).toBe(true);
    const stackSet = passRoleOf('cloudformation.amazonaws.com', 'CreateStackSet', {
      stackSetName: 's',
      administrationRoleARN:
        'arn:aws:iam::111122223333:role/AWSCloudFormationStackSetAdministrationRole',
    });
    expect(stackSet).toBeDefined();
    const noRole = passRoleOf('cloudformation.amazonaws.com', 'UpdateStackSet', {
      stackSetName: 's',
    });
    expect(noRole).toBeUndefined();
  });

  // Amazon EKS User Guide, "Amazon EKS cluster IAM role": "An Amazon EKS cluster IAM role
  // is required for each cluster."
  it('adds PassRole for EKS creates', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['CreateCluster', { name: 'c', roleArn: 'arn:aws:iam::111122223333:role/eks' }],
      ['CreateNodegroup', { clusterName: 'c', nodeRole: 'arn:aws:iam::111122223333:role/n' }],
      ['CreateFargateProfile', { clusterName: 'c', podExecutionRoleArn: 'arn:aws:iam::1:role/p' }],
    ];
    for (const [eventName, request] of cases) {
      expect(passRoleOf('eks.amazonaws.com', eventName, request), eventName).toBeDefined();
    }
  });

  // Amazon S3 User Guide, "Granting permissions for Batch Operations": "The same entity that
  // creates the job must also have the iam:PassRole permission".
  it('adds PassRole for S3 jobs and replication', () => {
    const job = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'CreateJob',
      requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/batch' },
    });
    expect(job.permissions).toEqual(['s3:CreateJob', 'iam:PassRole']);
    const replication = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketReplication',
      requestParameters: {
        bucketName: 'b',
        ReplicationConfiguration: { Role: 'arn:aws:iam::111122223333:role/replication' },
      },
    });
    expect(replication.permissions).toEqual(['s3:PutReplicationConfiguration', 'iam:PassRole']);
  });

  it('finds EventBridge target roles nested', () => {
    const withRole = passRoleOf('events.amazonaws.com', 'PutTargets', {
      rule: 'nightly',
      targets: [
        { id: '1', arn: 'arn:aws:ecs:us-east-1:1:cluster/c', roleArn: 'arn:aws:iam::1:role/ev' },
      ],
    });
    expect(withRole).toBeDefined();
    const withoutRole = passRoleOf('events.amazonaws.com', 'PutTargets', {
      rule: 'nightly',
      targets: [{ id: '1', arn: 'arn:aws:lambda:us-east-1:1:function:f' }],
    });
    expect(withoutRole).toBeUndefined();
  });
});
