import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './encode.js';

const secret = 'whsec-test';
const body = '{"alert_id":"a1"}';

describe('signWebhookBody', () => {
  it('signs timestamp dot body', () => {
    const expected = createHmac('sha256', secret).update(`1767322800.${body}`).digest('hex');
    expect(signWebhookBody(secret, 1767322800, body)).toBe(`t=1767322800,v1=${expected}`);
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhookBody(secret, 1767322800, body);

  it('accepts a fresh valid signature', () => {
    expect(verifyWebhookSignature(secret, header, body, 1767322810)).toBe('ok');
  });

  it('rejects a changed body', () => {
    expect(verifyWebhookSignature(secret, header, `${body} `, 1767322810)).toBe('mismatch');
  });

  it('rejects a wrong secret', () => {
    expect(verifyWebhookSignature('other', header, body, 1767322810)).toBe('mismatch');
  });

  it('rejects an old timestamp', () => {
    expect(verifyWebhookSignature(secret, header, body, 1767322800 + 301)).toBe('expired');
  });

  it('rejects a malformed header', () => {
    expect(verifyWebhookSignature(secret, 'v1=abc', body, 1767322800)).toBe('malformed');
  });
});
