export { collectAzureRbac } from './internal/collect.js';
export type { CollectAzureOptions } from './internal/collect.js';
export { createAzureCredential } from './internal/credentials.js';
export { AzureCollectorErrorCode } from './internal/errors.js';
