/**
 * CloudTrail events whose IAM actions differ from `<prefix>:<eventName>`. Keys are
 * `<IAM prefix>:<eventName>` as CloudTrail writes the name (after a version suffix such as
 * `20150331v2` is dropped), compared case-insensitively. Values are the actions the call
 * needs, written as the Service Authorization Reference spells them. A test checks that
 * every value exists in the catalog.
 *
 * Events missing here map to `<prefix>:<eventName>` when the catalog has that action. Calls
 * whose actions depend on the request (S3 object versions, CopyObject) are in
 * `request-rules.ts` instead.
 */
export const AWS_ACTION_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  // Amazon S3 User Guide, "Required permissions for Amazon S3 API operations", and the
  // Service Authorization Reference, "Actions defined by Amazon S3". Bucket sub-resources
  // that have no Delete action are removed with their Put action.
  's3:ListObjects': ['s3:ListBucket'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListBuckets': ['s3:ListAllMyBuckets'],
  's3:ListMultipartUploads': ['s3:ListBucketMultipartUploads'],
  's3:ListParts': ['s3:ListMultipartUploadParts'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  's3:DeleteObjects': ['s3:DeleteObject'],
  's3:SelectObjectContent': ['s3:GetObject'],
  's3:GetBucketLifecycle': ['s3:GetLifecycleConfiguration'],
  's3:GetBucketLifecycleConfiguration': ['s3:GetLifecycleConfiguration'],
  's3:PutBucketLifecycle': ['s3:PutLifecycleConfiguration'],
  's3:PutBucketLifecycleConfiguration': ['s3:PutLifecycleConfiguration'],
  's3:DeleteBucketLifecycle': ['s3:PutLifecycleConfiguration'],
  's3:GetBucketEncryption': ['s3:GetEncryptionConfiguration'],
  's3:PutBucketEncryption': ['s3:PutEncryptionConfiguration'],
  's3:DeleteBucketEncryption': ['s3:PutEncryptionConfiguration'],
  's3:GetBucketReplication': ['s3:GetReplicationConfiguration'],
  's3:PutBucketReplication': ['s3:PutReplicationConfiguration'],
  's3:DeleteBucketReplication': ['s3:PutReplicationConfiguration'],
  's3:DeleteBucketPublicAccessBlock': ['s3:PutBucketPublicAccessBlock'],
  's3:DeleteBucketCors': ['s3:PutBucketCORS'],
  's3:DeleteBucketTagging': ['s3:PutBucketTagging'],
  's3:DeleteBucketOwnershipControls': ['s3:PutBucketOwnershipControls'],
  's3:GetBucketNotificationConfiguration': ['s3:GetBucketNotification'],
  's3:PutBucketNotificationConfiguration': ['s3:PutBucketNotification'],
  's3:GetBucketAccelerateConfiguration': ['s3:GetAccelerateConfiguration'],
  's3:PutBucketAccelerateConfiguration': ['s3:PutAccelerateConfiguration'],
  's3:GetBucketAnalyticsConfiguration': ['s3:GetAnalyticsConfiguration'],
  's3:ListBucketAnalyticsConfigurations': ['s3:GetAnalyticsConfiguration'],
  's3:PutBucketAnalyticsConfiguration': ['s3:PutAnalyticsConfiguration'],
  's3:DeleteBucketAnalyticsConfiguration': ['s3:PutAnalyticsConfiguration'],
  's3:GetBucketInventoryConfiguration': ['s3:GetInventoryConfiguration'],
  's3:ListBucketInventoryConfigurations': ['s3:GetInventoryConfiguration'],
  's3:PutBucketInventoryConfiguration': ['s3:PutInventoryConfiguration'],
  's3:DeleteBucketInventoryConfiguration': ['s3:PutInventoryConfiguration'],
  's3:GetBucketMetricsConfiguration': ['s3:GetMetricsConfiguration'],
  's3:ListBucketMetricsConfigurations': ['s3:GetMetricsConfiguration'],
  's3:PutBucketMetricsConfiguration': ['s3:PutMetricsConfiguration'],
  's3:DeleteBucketMetricsConfiguration': ['s3:PutMetricsConfiguration'],
  's3:GetBucketIntelligentTieringConfiguration': ['s3:GetIntelligentTieringConfiguration'],
  's3:ListBucketIntelligentTieringConfigurations': ['s3:GetIntelligentTieringConfiguration'],
  's3:PutBucketIntelligentTieringConfiguration': ['s3:PutIntelligentTieringConfiguration'],
  's3:DeleteBucketIntelligentTieringConfiguration': ['s3:PutIntelligentTieringConfiguration'],
  's3:GetObjectLockConfiguration': ['s3:GetBucketObjectLockConfiguration'],
  's3:PutObjectLockConfiguration': ['s3:PutBucketObjectLockConfiguration'],
  // Account-level Block Public Access has no Delete action either. The API names
  // Get/Put/DeletePublicAccessBlock exist at both levels, so request rules pick the action.
  's3:DeleteAccountPublicAccessBlock': ['s3:PutAccountPublicAccessBlock'],
  // Amazon S3 API Reference, "Browser-Based Uploads Using POST": an HTML form upload adds
  // an object like PutObject.
  's3:PostObject': ['s3:PutObject'],

  // Amazon S3 User Guide, "Logging with AWS CloudTrail for directory buckets".
  's3express:ListDirectoryBuckets': ['s3express:ListAllMyDirectoryBuckets'],

  // AWS Lambda Developer Guide, "Logging AWS Lambda API calls using AWS CloudTrail": the
  // Invoke data event is authorized by lambda:InvokeFunction.
  'lambda:Invoke': ['lambda:InvokeFunction'],
  'lambda:InvokeWithResponseStream': ['lambda:InvokeFunction'],

  // Amazon Bedrock API Reference, Converse and ConverseStream: "This operation requires
  // permission for the bedrock:InvokeModel action" (InvokeModelWithResponseStream for the
  // stream).
  'bedrock:Converse': ['bedrock:InvokeModel'],
  'bedrock:ConverseStream': ['bedrock:InvokeModelWithResponseStream'],

  // Amazon API Gateway: the verb rule in event-names.ts would read Import as POST, but
  // these imports replace a resource with PUT (API Gateway V2 API Reference, ImportApi
  // "PUT /v2/apis" and ReimportApi "PUT /v2/apis/apiId"; API Gateway API Reference,
  // ImportDocumentationParts "PUT /restapis/restapi_id/documentation/parts").
  'apigateway:ImportApi': ['apigateway:PUT'],
  'apigateway:ReimportApi': ['apigateway:PUT'],
  'apigateway:ImportDocumentationParts': ['apigateway:PUT'],
  // The verb rule has no entry for Export or Reset. API Gateway V2 API Reference: ExportApi
  // "GET /v2/apis/apiId/exports/specification" and ResetAuthorizersCache
  // "DELETE /v2/apis/apiId/stages/stageName/cache/authorizers".
  'apigateway:ExportApi': ['apigateway:GET'],
  'apigateway:ResetAuthorizersCache': ['apigateway:DELETE'],
  // Service Authorization Reference, "Actions, resources, and condition keys for Amazon API
  // Gateway Management V2": "UpdateRoutingRule - Grants permission to update a routing rule
  // using the PutRoutingRule API".
  'apigateway:PutRoutingRule': ['apigateway:UpdateRoutingRule'],

  // AWS KMS API Reference, ReEncrypt, "Required permissions": both keys are checked.
  'kms:ReEncrypt': ['kms:ReEncryptFrom', 'kms:ReEncryptTo'],

  // Amazon DynamoDB Developer Guide, "Using IAM with DynamoDB transactions": reads in a
  // transaction are authorized as GetItem.
  'dynamodb:TransactGetItems': ['dynamodb:GetItem'],

  // Amazon SNS API Reference, PublishBatch: authorized by sns:Publish.
  'sns:PublishBatch': ['sns:Publish'],

  // Amazon SQS Developer Guide, "Amazon SQS API permissions": batch calls use the action
  // of the single call.
  'sqs:SendMessageBatch': ['sqs:SendMessage'],
  'sqs:DeleteMessageBatch': ['sqs:DeleteMessage'],
  'sqs:ChangeMessageVisibilityBatch': ['sqs:ChangeMessageVisibility'],

  // AWS Secrets Manager, BatchGetSecretValue: needs both the batch action and
  // GetSecretValue on every secret returned.
  'secretsmanager:BatchGetSecretValue': [
    'secretsmanager:BatchGetSecretValue',
    'secretsmanager:GetSecretValue',
  ],
};
