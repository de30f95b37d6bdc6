/**
 * CloudTrail `eventSource` hosts whose IAM service prefix differs from the host name
 * without `.amazonaws.com`. Every other source maps by dropping `.amazonaws.com`
 * (`s3.amazonaws.com` becomes `s3`, `access-analyzer.amazonaws.com` becomes
 * `access-analyzer`). A host with several labels falls back to its last label
 * (`models.lex.amazonaws.com` becomes `lex`). The result must be a service of the catalog.
 *
 * Sources: the "Service prefix" of each service in the Service Authorization Reference
 * ("Actions, resources, and condition keys for AWS services"), and the `eventSource` values
 * shown in each service's "Logging ... API calls using AWS CloudTrail" page.
 */
export const AWS_SERVICE_PREFIX_BY_EVENT_SOURCE: Readonly<Record<string, string>> = {
  // Amazon CloudWatch: the API endpoint and eventSource are `monitoring`.
  'monitoring.amazonaws.com': 'cloudwatch',
  // Amazon SES logs as `email` in older records and `ses` in newer ones.
  'email.amazonaws.com': 'ses',
  // Resource Groups Tagging API: actions are `tag:GetResources`, `tag:TagResources`.
  'tagging.amazonaws.com': 'tag',
  // Cloud Control API actions are authorized as `cloudformation:CreateResource` and so on.
  'cloudcontrolapi.amazonaws.com': 'cloudformation',
  // Amazon Aurora User Guide, "Logging RDS Data API calls with AWS CloudTrail": Data API
  // calls log as `rdsdata` (Aurora Serverless v1) or `rdsdataapi` (Serverless v2 and
  // provisioned clusters), and the IAM prefix is `rds-data`.
  'rdsdata.amazonaws.com': 'rds-data',
  'rdsdataapi.amazonaws.com': 'rds-data',
};
