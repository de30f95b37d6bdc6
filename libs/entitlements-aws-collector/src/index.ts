export { collectAwsAuthorizationDetails, createAwsIamClient } from './internal/collect.js';
export type { AwsIamClientOptions, AwsIamSender, CollectAwsOptions } from './internal/collect.js';
export { AwsCollectorErrorCode } from './internal/errors.js';
