import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert } from '@ciem/events';
import { alertPayload } from '../payload.js';
import type { PayloadFormat } from '../payload.js';
import type { OcsfProduct } from '../ocsf/encode.js';

/** Encodes one alert as the webhook's JSON body. */
export function encodeWebhookBody(
  alert: Alert,
  format: PayloadFormat,
  product: OcsfProduct,
): string {
  return JSON.stringify(alertPayload(alert, format, product));
}

/**
 * Signs a webhook body. The signed string is `<timestamp>.<raw body>`, the key the shared
 * secret, the algorithm HMAC-SHA256, and the result the header value
 * `t=<timestamp>,v1=<lowercase hex>`. `timestampSeconds` is unix time in whole seconds.
 */
export function signWebhookBody(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

/** Result of a signature check: `ok` or the reason it failed. */
export type SignatureCheck = 'ok' | 'malformed' | 'mismatch' | 'expired';

/**
 * Checks a `X-Ciem-Signature` header for receivers: the HMAC must match in constant time and
 * `t` must be within `toleranceSeconds` of `nowSeconds`, which stops replays of old requests.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): SignatureCheck {
  const parts = new Map(
    header.split(',').map((part) => {
      const index = part.indexOf('=');
      return [part.slice(0, index).trim(), part.slice(index + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const received = parts.get('v1');
  if (!Number.isInteger(timestamp) || received === undefined || !/^[0-9a-f]{64}$/.test(received)) {
    return 'malformed';
  }
  const expected = signWebhookBody(secret, timestamp, body).split('v1=')[1]!;
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(received, 'hex'))) {
    return 'mismatch';
  }
  return Math.abs(nowSeconds - timestamp) > toleranceSeconds ? 'expired' : 'ok';
}
