export { collectGcpIamPolicies } from './internal/collect.js';
export type { CollectGcpOptions } from './internal/collect.js';
export { createGcpCredentials } from './internal/credentials.js';
export type {
  GcpAccessTokenProvider,
  GcpRequestContext,
  GcpRetryOptions,
} from './internal/http.js';
export { GcpCollectorErrorCode } from './internal/errors.js';
