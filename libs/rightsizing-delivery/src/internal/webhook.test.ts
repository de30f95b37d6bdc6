import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderReports } from '@ciem/rightsizing-reports';
import { sampleResults } from '@ciem/rightsizing-reports/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_HEADERS, verifyWebhookSignature } from './webhook-signature.js';
import type { WebhookPayload } from './webhook.js';
import { buildWebhookPayload, parseRetryAfter, retryDelayMs, sendWebhook } from './webhook.js';

const secret = 'webhook-test-secret';
const generatedAt = Date.UTC(2026, 11, 4, 12);
const reports = renderReports(sampleResults(), { generatedAt });

interface Received {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) =>
    server === undefined ? resolve() : server.close(() => resolve()),
  );
  server = undefined;
});

/** Starts a receiver on 127.0.0.1 that responds to each request with the next status. */
async function startReceiver(
  statuses: number[],
  extraHeaders: Record<string, string> = {},
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)] ?? 200;
      received.push({
        status,
        body: Buffer.concat(chunks).toString('utf8'),
        headers: request.headers,
      });
      response.writeHead(status, status === 200 ? {} : extraHeaders);
      response.end(status === 200 ? 'ok' : 'unavailable');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server!.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/ciem`, received };
}

function acceptedDeliveries(received: Received[]): Received[] {
  return received.filter((request) => request.status === 200);
}

describe('sendWebhook', () => {
  it('signs the body with HMAC-SHA256', async () => {
    const receiver = await startReceiver([200]);
    const payload = buildWebhookPayload(reports, { generatedAt, inline: true });
    expect(await sendWebhook({ url: receiver.url, secret }, payload)).toBe(1);

    const request = receiver.received[0]!;
    const timestamp = Number(request.headers[WEBHOOK_HEADERS.timestamp]);
    const signature = request.headers[WEBHOOK_HEADERS.signature] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, timestamp, request.body, signature)).toBe(true);
    expect(verifyWebhookSignature('other-secret', timestamp, request.body, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, `${request.body} `, signature)).toBe(false);

    const body = JSON.parse(request.body) as WebhookPayload;
    expect(body.reports).toHaveLength(reports.length);
    const payments = body.reports.find((report) => report.scope.key === 'payments');
    expect(payments?.headline.removable_permissions).toBe(4);
    expect(payments?.markdown).toContain('# Right-sizing report: team payments');
  });

  it('delivers once after 503 responses', async () => {
    const receiver = await startReceiver([503, 503, 200], { 'retry-after': '0' });
    const retries: number[] = [];
    const attempts = await sendWebhook(
      {
        url: receiver.url,
        secret,
        initialDelayMs: 10,
        maxDelayMs: 50,
        onRetry: (attempt) => retries.push(attempt),
      },
      buildWebhookPayload(reports, { generatedAt }),
    );
    expect(attempts).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(receiver.received).toHaveLength(3);
    expect(acceptedDeliveries(receiver.received)).toHaveLength(1);
    const ids = new Set(
      receiver.received.map((request) => request.headers[WEBHOOK_HEADERS.deliveryId]),
    );
    expect(ids.size).toBe(1);
  });

  it('waits the Retry-After delay', async () => {
    const receiver = await startReceiver([429, 200], { 'retry-after': '1' });
    const delays: number[] = [];
    const started = performance.now();
    await sendWebhook(
      {
        url: receiver.url,
        secret,
        initialDelayMs: 10,
        maxDelayMs: 5_000,
        onRetry: (_attempt, delayMs) => delays.push(delayMs),
      },
      buildWebhookPayload(reports, { generatedAt }),
    );
    expect(delays).toEqual([1_000]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('rejects a 400 without retrying', async () => {
    const receiver = await startReceiver([400]);
    await expect(
      sendWebhook(
        { url: receiver.url, secret, initialDelayMs: 1 },
        buildWebhookPayload(reports, { generatedAt }),
      ),
    ).rejects.toMatchObject({ code: 'CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_REJECTED' });
    expect(receiver.received).toHaveLength(1);
  });

  it('stops after the last attempt', async () => {
    const receiver = await startReceiver([500]);
    await expect(
      sendWebhook(
        { url: receiver.url, secret, maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
        buildWebhookPayload(reports, { generatedAt }),
      ),
    ).rejects.toMatchObject({
      code: 'CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_RETRIES_EXHAUSTED',
      retriable: true,
    });
    expect(receiver.received).toHaveLength(3);
  });
});

describe('retry timing', () => {
  it('parses Retry-After forms', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Fri, 04 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('caps exponential delays', () => {
    const timing = { initialDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999_999 };
    expect(retryDelayMs(0, timing, undefined)).toBe(100);
    expect(retryDelayMs(2, timing, undefined)).toBe(400);
    expect(retryDelayMs(10, timing, undefined)).toBe(1_000);
    expect(retryDelayMs(0, { ...timing, random: () => 0 }, undefined)).toBe(50);
    expect(retryDelayMs(0, timing, 60_000)).toBe(1_000);
  });
});
