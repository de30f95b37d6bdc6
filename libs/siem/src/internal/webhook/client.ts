import { postOnce, throwForStatus } from '../http.js';
import type { WebhookSinkConfig } from './config.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './config.js';
import { signWebhookBody } from './encode.js';

/**
 * POSTs one signed body. A 2xx status is delivered; 408, 429 and 5xx are retried, honouring
 * Retry-After; any other status is rejected for good. The signature is made per attempt, so
 * a retry carries a fresh timestamp.
 */
export async function postWebhookBody(
  config: WebhookSinkConfig,
  body: string,
  idempotencyKey: string,
  nowSeconds: () => number,
): Promise<void> {
  const timestamp = nowSeconds();
  const headers: Record<string, string> = {
    ...config.headers,
    'content-type': 'application/json',
    [IDEMPOTENCY_HEADER]: idempotencyKey,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhookBody(config.secret, timestamp, body),
  };
  const result = await postOnce(config.name, config.url, headers, body, config.timeoutMs);
  if (result.status < 200 || result.status >= 300) throwForStatus(config.name, result, '');
}
