import { GoogleAuth } from 'google-auth-library';
import type { GcpAccessTokenProvider } from './http.js';

/**
 * Creates Application Default Credentials (google-auth-library `GoogleAuth`) with the
 * read-only Cloud Platform scope. The credential chain is consulted on the first token
 * request, not here: the environment variable, the gcloud file, then the metadata server.
 */
export function createGcpCredentials(): GcpAccessTokenProvider {
  return new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
}
