import type { PayloadFormat } from '../payload.js';
import type { RetryPolicy } from '../retry.js';

/** Settings of a generic webhook destination. Times in milliseconds. */
export interface WebhookSinkConfig {
  name: string;
  /** URL the alerts are POSTed to. */
  url: string;
  /** HMAC-SHA256 key of the signature, already read from its variable or file. */
  secret: string;
  format: PayloadFormat;
  /** Extra request headers, such as an API gateway key; never logged. */
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'x-ciem-signature';
/** Header carrying the same unix seconds as the signature's `t`. */
export const TIMESTAMP_HEADER = 'x-ciem-timestamp';
/** Header carrying the alert's idempotency key. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
