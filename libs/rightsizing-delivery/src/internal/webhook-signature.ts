import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of a report webhook request. */
export const WEBHOOK_HEADERS = Object.freeze({
  /** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the shared secret>`. */
  signature: 'x-ciem-signature',
  /** Unix seconds when the request was signed; receivers should refuse old timestamps. */
  timestamp: 'x-ciem-timestamp',
  /** Id of the delivery, the same on every retry, so a receiver can drop repeats. */
  deliveryId: 'x-ciem-delivery-id',
});

/**
 * Computes the signature header value of a webhook body: `sha256=` and the hex
 * HMAC-SHA256 of `<timestamp>.<body>`. Signing the timestamp with the body stops a
 * captured request from being replayed later under a new timestamp.
 */
export function signWebhookBody(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `sha256=${digest}`;
}

/**
 * Checks a received signature in constant time, as a receiver does. Returns false for a
 * missing or malformed header.
 */
export function verifyWebhookSignature(
  secret: string,
  timestampSeconds: number,
  body: string,
  signature: string | undefined,
): boolean {
  if (signature === undefined) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestampSeconds, body));
  const received = Buffer.from(signature);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
