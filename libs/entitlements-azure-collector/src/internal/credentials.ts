import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';

/**
 * Creates `@azure/identity` `DefaultAzureCredential`: environment variables, workload
 * identity, managed identity, then developer tool logins. The chain is consulted on the
 * first token request, not here.
 */
export function createAzureCredential(): TokenCredential {
  return new DefaultAzureCredential();
}
