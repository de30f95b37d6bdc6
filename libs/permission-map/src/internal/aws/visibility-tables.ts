/**
 * The tables behind `awsPermissionVisibility`, compared case-insensitively. An entry is an
 * action (`s3:ListBucket`) or an IAM wildcard pattern (`es:ESHttp*`), which is expanded
 * against the action catalog on first use. A test checks that every entry names or matches
 * a catalog action.
 *
 * The main source is the CloudTrail User Guide, "Understanding CloudTrail events", table
 * "Data events supported by AWS CloudTrail"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-events.html). It
 * names resource types, not API operations, so each entry also names the page that lists the
 * operations or is marked as the safe side. Right-sizing never recommends removing an
 * unobservable permission. So calling an action unobservable when it may be logged only
 * keeps it, while calling it logged when it is not would report a needed permission unused.
 */

/** Actions whose use CloudTrail records only as a data event (opt-in, billed). */
export const AWS_DATA_EVENT_ACTIONS: readonly string[] = [
  // Amazon S3 User Guide, "Amazon S3 CloudTrail events": list calls on a bucket's objects
  // are data events, like the object-level calls (matched by resource type).
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
  // Amazon SNS: Publish and PublishBatch on topics and platform endpoints.
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

  // Amazon Bedrock resource types AWS::Bedrock::AgentAlias, KnowledgeBase, FlowAlias,
  // Guardrail, PromptVersion and InlineAgent: the runtime call on each.
  'bedrock:InvokeAgent',
  'bedrock:InvokeInlineAgent',
  'bedrock:Retrieve',
  'bedrock:RetrieveAndGenerate',
  'bedrock:InvokeFlow',
  'bedrock:ApplyGuardrail',
  'bedrock:RenderPrompt',
  // Amazon Bedrock User Guide, "Amazon Bedrock data events in CloudTrail": GetAsyncInvoke is
  // a data event of AWS::Bedrock::Model, while InvokeModel, Converse and ListAsyncInvokes
  // are management events.
  'bedrock:GetAsyncInvoke',
  // AWS::EC2::InstanceConnectEndpoint: the tunnel an EC2 Instance Connect endpoint opens.
  'ec2-instance-connect:OpenTunnel',
  // AWS::Cognito::IdentityPool: the identity and credential calls on an identity pool, as
  // the Amazon Cognito Developer Guide, "Example Amazon Cognito events", shows them. Safe
  // side for the exact list.
  'cognito-identity:GetId',
  'cognito-identity:GetCredentialsForIdentity',
  'cognito-identity:GetOpenIdToken',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'cognito-identity:UnlinkIdentity',
  // AWS::CloudWatch::Metric. Amazon CloudWatch User Guide, "Logging Amazon CloudWatch API
  // and console operations with AWS CloudTrail", "CloudWatch data events in CloudTrail".
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricWidgetImage',
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  // AWS::KinesisFirehose::DeliveryStream: the record writes.
  'firehose:PutRecord',
  'firehose:PutRecordBatch',
  // AWS::XRay::Trace. AWS X-Ray Developer Guide, data event table of its CloudTrail page
  // (xray-api-cloudtrail.html): the segment and telemetry uploads, the trace and service
  // graph reads and GetSamplingTargets.
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingTargets',
  'xray:GetTraceSummaries',
  'xray:GetTraceGraph',
  'xray:GetServiceGraph',
  'xray:BatchGetTraces',
  'xray:GetTimeSeriesServiceStatistics',
  // AWS::Events::EventBus: sending events to a bus.
  'events:PutEvents',
  // AWS::AppConfig::Configuration: the table names "calls to StartConfigurationSession and
  // GetLatestConfiguration".
  'appconfig:StartConfigurationSession',
  'appconfig:GetLatestConfiguration',
  // AWS::ServiceDiscovery::Namespace and Service: AWS Cloud Map instance discovery.
  'servicediscovery:DiscoverInstances',
  'servicediscovery:DiscoverInstancesRevision',
  // AWS::VerifiedPermissions::PolicyStore: authorization requests.
  'verifiedpermissions:IsAuthorized',
  'verifiedpermissions:IsAuthorizedWithToken',
  // AWS::SSMMessages::ControlChannel: the Systems Manager agent's control channel.
  'ssmmessages:CreateControlChannel',
  'ssmmessages:OpenControlChannel',
  // AWS::SSM::ManagedNode. AWS Systems Manager User Guide, data event table of its
  // CloudTrail page (monitoring-cloudtrail-logs.html): SSM Agent's request for the node's
  // credentials.
  'ssm:RequestManagedInstanceRoleToken',
  // AWS::S3Express::Object: directory bucket access goes through CreateSession.
  's3express:CreateSession',
  // AWS::SageMaker::FeatureGroup: Feature Store runtime record calls.
  'sagemaker:PutRecord',
  'sagemaker:GetRecord',
  'sagemaker:DeleteRecord',
  'sagemaker:BatchGetRecord',
  // AWS::SageMaker::Endpoint and Job. Amazon SageMaker AI Developer Guide, table "Data APIs
  // logged to CloudTrail": the endpoint invocations, and CompleteRollout, Sample and
  // SampleWithResponseStream on jobs.
  'sagemaker:InvokeEndpoint',
  'sagemaker:InvokeEndpointAsync',
  'sagemaker:InvokeEndpointWithResponseStream',
  'sagemaker:CompleteRollout',
  'sagemaker:Sample',
  'sagemaker:SampleWithResponseStream',
  // AWS::KinesisVideo::Stream: "such as calls to GetMedia and PutMedia".
  'kinesisvideo:GetMedia',
  'kinesisvideo:PutMedia',
  // AWS::Cassandra::Table: Amazon Keyspaces reads and writes of table data.
  'cassandra:Select',
  'cassandra:Modify',
  // AWS::AppSync::GraphQLApi: GraphQL requests to an AppSync API.
  'appsync:GraphQL',
  // AWS::RDS::DBCluster. Amazon Aurora User Guide, "Logging RDS Data API calls with AWS
  // CloudTrail": these are data events for Aurora PostgreSQL Serverless v2 and provisioned
  // clusters, and management events only for Aurora Serverless v1.
  'rds-data:BatchExecuteStatement',
  'rds-data:BeginTransaction',
  'rds-data:CommitTransaction',
  'rds-data:ExecuteStatement',
  'rds-data:RollbackTransaction',
  // AWS::SES::EmailIdentity, ConfigurationSet and Template. Amazon SES Developer Guide,
  // "Logging Amazon SES API calls with AWS CloudTrail", "SES data events in CloudTrail":
  // the send calls of the SES API and SES API v2. SendRawEmail is in the not-logged table.
  'ses:SendEmail',
  'ses:SendTemplatedEmail',
  'ses:SendBulkTemplatedEmail',
  'ses:SendBulkEmail',
  // AWS::SMSVoice::OriginationIdentity. AWS End User Messaging SMS User Guide, "Logging AWS
  // End User Messaging SMS API calls using AWS CloudTrail": SendTextMessage,
  // SendVoiceMessage and SendMediaMessage. The other send calls and CarrierLookup are listed
  // on the safe side, because the CloudTrail table also names message, notify configuration
  // and carrier lookup types whose APIs the guide does not list.
  'sms-voice:SendTextMessage',
  'sms-voice:SendVoiceMessage',
  'sms-voice:SendMediaMessage',
  'sms-voice:CarrierLookup',
  'sms-voice:SendNotifyTextMessage',
  'sms-voice:SendNotifyVoiceMessage',
  'sms-voice:SendRcsMessage',
  'sms-voice:SendDestinationNumberVerificationCode',
  // AWS::StepFunctions::Activity: the calls of an activity worker, which polls for a task
  // and reports on it with the task token. Safe side for the exact list.
  // NOTE: AWS::StepFunctions::StateMachine is a data event type too, but the calls it
  // covers are not named here, so they are reported `logged`.
  'states:GetActivityTask',
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
  // AWS::SWF::Domain. Amazon SWF Developer Guide, data event table of its CloudTrail page
  // (ct-logging.html): the workflow and task calls, and one data event per decision of
  // RespondDecisionTaskCompleted, which the decision's own action authorizes.
  'swf:CountClosedWorkflowExecutions',
  'swf:CountOpenWorkflowExecutions',
  'swf:DescribeWorkflowExecution',
  'swf:ListClosedWorkflowExecutions',
  'swf:ListOpenWorkflowExecutions',
  'swf:GetWorkflowExecutionHistory',
  'swf:RequestCancelWorkflowExecution',
  'swf:SignalWorkflowExecution',
  'swf:StartWorkflowExecution',
  'swf:TerminateWorkflowExecution',
  'swf:CountPendingActivityTasks',
  'swf:PollForDecisionTask',
  'swf:PollForActivityTask',
  'swf:RecordActivityTaskHeartbeat',
  'swf:RespondActivityTaskCanceled',
  'swf:RespondActivityTaskCompleted',
  'swf:RespondActivityTaskFailed',
  'swf:RespondDecisionTaskCompleted',
  'swf:CancelTimer',
  'swf:CancelWorkflowExecution',
  'swf:CompleteWorkflowExecution',
  'swf:ContinueAsNewWorkflowExecution',
  'swf:FailWorkflowExecution',
  'swf:RecordMarker',
  'swf:RequestCancelActivityTask',
  'swf:RequestCancelExternalWorkflowExecution',
  'swf:ScheduleActivityTask',
  'swf:SignalExternalWorkflowExecution',
  'swf:StartChildWorkflowExecution',
  'swf:StartTimer',
  // AWS::IoTSiteWise::Asset and TimeSeries, and AWS::SitewiseAssistant::Conversation. AWS
  // IoT SiteWise User Guide, "AWS IoT SiteWise data events in CloudTrail".
  'iotsitewise:BatchPutAssetPropertyValue',
  'iotsitewise:GetAssetPropertyValue',
  'iotsitewise:GetAssetPropertyValueHistory',
  'iotsitewise:GetAssetPropertyAggregates',
  'iotsitewise:GetInterpolatedAssetPropertyValues',
  'iotsitewise:BatchGetAssetPropertyValue',
  'iotsitewise:BatchGetAssetPropertyValueHistory',
  'iotsitewise:BatchGetAssetPropertyAggregates',
  'iotsitewise:InvokeAssistant',
  // AWS::GreengrassV2::ComponentVersion. AWS IoT Greengrass V2 Developer Guide, data event
  // table of its CloudTrail page (logging-using-cloudtrail.html). The other data APIs it
  // names for certificates, deployments and things have no IAM action of the same name.
  'greengrass:ResolveComponentCandidates',
  // AWS::GameLiftStreams::Application and StreamGroup. Amazon GameLift Streams Developer
  // Guide, data event table of its CloudTrail page (logging-using-cloudtrail.html).
  'gameliftstreams:CreateStreamSessionAdminShell',
  'gameliftstreams:CreateStreamSessionConnection',
  'gameliftstreams:CreateStreamUrl',
  'gameliftstreams:ExportStreamSessionFiles',
  'gameliftstreams:GetStreamSession',
  'gameliftstreams:GetStreamUrl',
  'gameliftstreams:ListStreamSessions',
  'gameliftstreams:ListStreamSessionsByAccount',
  'gameliftstreams:ListStreamUrls',
  'gameliftstreams:RevokeStreamUrl',
  'gameliftstreams:StartStreamSession',
  'gameliftstreams:TerminateStreamSession',
  // AWS::Deadline::Fleet, Queue, Worker and Job. AWS Deadline Cloud User Guide, data event
  // table of its CloudTrail page (logging-using-cloudtrail.html).
  'deadline:SearchWorkers',
  'deadline:SearchJobs',
  'deadline:GetWorker',
  'deadline:ListSessionsForWorker',
  'deadline:UpdateWorkerSchedule',
  'deadline:BatchGetJobEntity',
  'deadline:ListWorkers',
  'deadline:ListStepConsumers',
  'deadline:UpdateTask',
  'deadline:ListJobs',
  'deadline:GetStep',
  'deadline:ListSteps',
  'deadline:GetJob',
  'deadline:GetTask',
  'deadline:GetSession',
  'deadline:ListSessions',
  'deadline:CreateJob',
  'deadline:ListSessionActions',
  'deadline:ListTasks',
  'deadline:CopyJobTemplate',
  'deadline:UpdateSession',
  'deadline:UpdateStep',
  'deadline:UpdateJob',
  'deadline:ListJobParameterDefinitions',
  'deadline:GetSessionAction',
  'deadline:ListStepDependencies',
  'deadline:SearchTasks',
  'deadline:SearchSteps',
  // AWS::SocialMessaging::PhoneNumberId. AWS End User Messaging Social User Guide, data
  // event table of its CloudTrail page (logging-using-cloudtrail.html).
  'social-messaging:SendWhatsAppMessage',
  'social-messaging:PostWhatsAppMessageMedia',
  'social-messaging:GetWhatsAppMessageMedia',
  'social-messaging:DeleteWhatsAppMessageMedia',
];

/**
 * Services whose every action is a data event: S3 Object Lambda access points, and the
 * Amazon Location Service Maps, Places and Routes APIs. The Amazon Location Service
 * Developer Guide's data event table gives the whole GeoMaps, GeoPlaces and GeoRoutes API
 * as the data APIs of AWS::GeoMaps::Provider, GeoPlaces::Provider and GeoRoutes::Provider.
 */
export const AWS_DATA_EVENT_SERVICES: readonly string[] = [
  's3-object-lambda',
  'geo-maps',
  'geo-places',
  'geo-routes',
];

/** Services whose object-level actions (resource type `object`) are data events. */
export const AWS_OBJECT_LEVEL_SERVICES: readonly string[] = ['s3', 's3-outposts'];

/** Permissions checked without an event of their own, or on calls CloudTrail never records. */
export const AWS_NOT_LOGGED_ACTIONS: readonly string[] = [
  // IAM User Guide, "Grant a user permissions to pass a role to an AWS service": PassRole
  // is a permission only, checked inside the call that passes the role.
  'iam:PassRole',
  // IAM User Guide, "Pass session tags in AWS STS" and "Monitor and control actions taken
  // with assumed roles": checked inside AssumeRole, which is the logged event.
  'sts:TagSession',
  'sts:SetSourceIdentity',
  // Amazon S3 API Reference, DeleteObject and PutObjectRetention: the
  // x-amz-bypass-governance-retention header needs s3:BypassGovernanceRetention, checked
  // inside the delete or retention call. ObjectOwnerOverrideToBucketOwner is checked
  // inside replication, which S3 performs with the replication role.
  's3:BypassGovernanceRetention',
  's3:ObjectOwnerOverrideToBucketOwner',
  // Amazon RDS User Guide, "IAM database authentication": the connection is made to the
  // database engine, which CloudTrail does not see.
  'rds-db:connect',
  // Amazon API Gateway Developer Guide, "Logging Amazon API Gateway API calls by using
  // AWS CloudTrail": API execution is not logged in CloudTrail, only in access logs.
  'execute-api:Invoke',
  'execute-api:InvalidateCache',
  // Amazon CloudWatch Logs User Guide, "Logging Amazon CloudWatch Logs API calls in AWS
  // CloudTrail": the list of logged actions leaves out log event writes and reads.
  'logs:PutLogEvents',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  // Data-plane requests that reach the engine itself, not an AWS API endpoint: HTTP
  // requests to an OpenSearch domain, Kafka protocol requests to an MSK cluster, and
  // queries to a Neptune database. Their own audit logs record them. Safe side: no
  // CloudTrail data event type covers them.
  'es:ESHttp*',
  'kafka-cluster:*',
  'neptune-db:*',
  // AWS IoT Core MQTT traffic from devices. Safe side: the IoT thing and certificate data
  // event types name no MQTT operation.
  'iot:Connect',
  'iot:Publish',
  'iot:Subscribe',
  'iot:Receive',
  'iot:RetainPublish',
  // Safe side for calls of the same agents or runtimes whose data event types the table
  // does not name: the Session Manager data channel and the X-Ray daemon's sampling calls
  // other than GetSamplingTargets.
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenDataChannel',
  'xray:GetSamplingRules',
  'xray:GetSamplingStatisticSummaries',
  // Amazon SES Developer Guide, "Logging Amazon SES API calls with AWS CloudTrail": "Email
  // sending activity via SES SMTP Interface is not logged to CloudTrail events". SMTP
  // credentials send with ses:SendRawEmail, so its use may leave no record at all, even
  // though the SendRawEmail API call is a data event.
  'ses:SendRawEmail',
  // AWS Step Functions API Reference, StartSyncExecution: "This API action isn't logged in
  // CloudTrail."
  'states:StartSyncExecution',
];
