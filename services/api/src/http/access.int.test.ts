import { generateKeyPairSync } from 'node:crypto';
import { createMetrics } from '@ciem/telemetry';
import { clickhouseUrl, randomName } from '@ciem/testing';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from '../auth.js';
import { ALERTS } from '../testing/fixtures.js';
import type { SeededStore } from '../testing/test-app.js';
import { ADMIN_KEY, READ_KEY, buildTestApp, createSeededStore } from '../testing/test-app.js';

const HS_SECRET = 'hs256-test-secret-with-at-least-32-bytes!';
const ecKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEcKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

let store: SeededStore;
let keyApp: FastifyInstance;
let hsApp: FastifyInstance;
let esApp: FastifyInstance;
const metrics = createMetrics({ defaultMetrics: false });

beforeAll(async () => {
  store = await createSeededStore(clickhouseUrl, randomName('api_test'));
  keyApp = await buildTestApp(store, { rateLimitMax: 1_000, metrics });
  hsApp = await buildTestApp(store, {
    authenticator: createJwtAuthenticator({
      secret: HS_SECRET,
      roleClaim: 'roles',
      issuer: 'https://idp.example',
    }),
    rateLimitMax: 3,
  });
  esApp = await buildTestApp(store, {
    authenticator: createJwtAuthenticator({
      publicKeyPem: ecKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      roleClaim: 'roles',
    }),
  });
});

afterAll(async () => {
  await Promise.all([keyApp?.close(), hsApp?.close(), esApp?.close()]);
  await store?.close();
});

/** Signs a token valid for an hour (or expired `expiredSecondsAgo` ago). */
function hsToken(
  claims: Record<string, unknown>,
  options: { expiredSecondsAgo?: number; issuer?: string } = {},
) {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('svc-dashboard')
    .setIssuer(options.issuer ?? 'https://idp.example')
    .setIssuedAt(nowSeconds - 7200);
  jwt.setExpirationTime(
    options.expiredSecondsAgo === undefined
      ? nowSeconds + 3600
      : nowSeconds - options.expiredSecondsAgo,
  );
  return jwt.sign(new TextEncoder().encode(HS_SECRET));
}

function esToken(privateKey: typeof ecKeys.privateKey, claims: Record<string, unknown>) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('svc-soc')
    .setExpirationTime('1h')
    .sign(privateKey);
}

async function call(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
) {
  const response = await app.inject({ method, url, headers });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

describe('API key authentication', () => {
  it('rejects a missing key', async () => {
    const { status, body, headers } = await call(keyApp, '/v1/alerts');
    expect(status).toBe(401);
    expect(body.code).toBe('CIEM_API_UNAUTHENTICATED');
    expect(body.message).toContain('missing API key');
    expect(headers['www-authenticate']).toBe('Bearer');
    expect(headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('rejects an invalid key', async () => {
    const { status, body } = await call(keyApp, '/v1/alerts', { 'x-api-key': `${READ_KEY}x` });
    expect(status).toBe(401);
    expect(body.message).toBe('invalid API key');
  });

  it('rejects a malformed Authorization header', async () => {
    const { status, body } = await call(keyApp, '/v1/alerts', {
      authorization: `Basic ${READ_KEY}`,
    });
    expect(status).toBe(401);
    expect(body.message).toContain('Bearer');
  });

  it('forbids acknowledging with a read key', async () => {
    const { status, body } = await call(
      keyApp,
      `/v1/alerts/${ALERTS.logging}/ack`,
      { 'x-api-key': READ_KEY },
      'POST',
    );
    expect(status).toBe(403);
    expect(body.code).toBe('CIEM_API_FORBIDDEN');
    expect(body.message).toContain('needs role admin');
  });

  it('lets an admin key read', async () => {
    const { status } = await call(keyApp, '/v1/alerts', { authorization: `Bearer ${ADMIN_KEY}` });
    expect(status).toBe(200);
  });

  it('answers 401 before 404 for unknown routes', async () => {
    expect((await call(keyApp, '/v1/nothing')).status).toBe(401);
    const known = await call(keyApp, '/v1/nothing', { 'x-api-key': READ_KEY });
    expect(known.status).toBe(404);
    expect(known.body.code).toBe('CIEM_API_NOT_FOUND');
  });
});

describe('JWT authentication', () => {
  it('accepts a valid HS256 token', async () => {
    const token = await hsToken({ roles: ['read'] });
    const { status } = await call(hsApp, '/v1/events', { authorization: `Bearer ${token}` });
    expect(status).toBe(200);
  });

  it('rejects a bad signature', async () => {
    const token = await hsToken({ roles: ['admin'] });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const { status, body } = await call(hsApp, '/v1/events', {
      authorization: `Bearer ${header}.${payload}.${flipped}`,
    });
    expect(status).toBe(401);
    expect(body.message).toBe('token signature invalid');
  });

  it('rejects an expired token', async () => {
    const token = await hsToken({ roles: ['admin'] }, { expiredSecondsAgo: 120 });
    const { status, body } = await call(hsApp, '/v1/events', { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(body.message).toBe('token expired');
  });

  it('rejects a wrong issuer', async () => {
    const token = await hsToken({ roles: ['admin'] }, { issuer: 'https://other.example' });
    const { status, body } = await call(hsApp, '/v1/events', { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(body.message).toContain('iss');
  });

  it('forbids a token without role', async () => {
    const token = await hsToken({ roles: ['viewer'] });
    const { status, body } = await call(hsApp, '/v1/events', { authorization: `Bearer ${token}` });
    expect(status).toBe(403);
    expect(body.message).toContain('role none');
  });

  it('accepts ES256 tokens with admin role', async () => {
    const token = await esToken(ecKeys.privateKey, { roles: 'admin' });
    const { status, body } = await call(
      esApp,
      `/v1/alerts/${ALERTS.dormant}/ack`,
      { authorization: `Bearer ${token}` },
      'POST',
    );
    expect(status).toBe(200);
    expect(body.acknowledged_by).toBe('svc-soc');
  });

  it('rejects ES256 tokens of another key', async () => {
    const token = await esToken(otherEcKeys.privateKey, { roles: 'admin' });
    const { status, body } = await call(esApp, '/v1/alerts', { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(body.message).toBe('token signature invalid');
  });

  it('rejects HS256 tokens on an ES256 key', async () => {
    const token = await hsToken({ roles: ['admin'] });
    const { status } = await call(esApp, '/v1/alerts', { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
  });
});

describe('rate limit', () => {
  it('answers 429 past the limit', async () => {
    const token = await hsToken({ roles: ['read'] });
    const headers = { authorization: `Bearer ${token}` };
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push((await call(hsApp, '/v1/alerts?limit=1', headers)).status);
    }
    // The HS256 application allows 3 requests per minute per subject; an earlier test in
    // this file used the same subject once.
    expect(statuses.slice(-2)).toEqual([429, 429]);
    const limited = await call(hsApp, '/v1/alerts?limit=1', headers);
    expect(limited.body.code).toBe('CIEM_API_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('failed authentication limit', () => {
  it('blocks an address after failures', async () => {
    const guarded = await buildTestApp(store, { authFailuresMax: 2 });
    try {
      const bad = { 'x-api-key': 'guessed-key' };
      expect((await call(guarded, '/v1/alerts', bad)).status).toBe(401);
      expect((await call(guarded, '/v1/alerts', bad)).status).toBe(401);
      // The address is now blocked for the rest of the window, even with a valid key.
      const blocked = await call(guarded, '/v1/alerts', { 'x-api-key': READ_KEY });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('CIEM_API_RATE_LIMITED');
      expect(blocked.body.message).toContain('failed authentications');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await guarded.close();
    }
  });
});

describe('request validation', () => {
  const read = { 'x-api-key': READ_KEY };
  const cases: Array<[string, string]> = [
    ['/v1/events?limit=5000', 'querystring.limit: expected <= 1000, received 5000'],
    ['/v1/events?limit=ten', 'querystring.limit: expected integer, received "ten"'],
    [
      '/v1/events?from=yesterday',
      'querystring.from: expected an RFC 3339 date-time, received "yesterday"',
    ],
    ['/v1/events?outcome=maybe', 'querystring.outcome: expected one of success, denied, failed'],
    [
      '/v1/alerts?severity=urgent',
      'querystring.severity.0: expected one of info, low, medium, high, critical',
    ],
    ['/v1/recommendations?min_score=101', 'querystring.min_score: expected <= 100, received 101'],
    ['/v1/recommendations?format=pdf', 'querystring.format: expected one of json, csv, html'],
    [
      '/v1/recommendations?min_score=80&max_score=10',
      'querystring.min_score: expected at most max_score (10), received 80',
    ],
    ['/v1/events?provider=oracle', 'querystring.provider: expected one of aws, azure, gcp'],
    ['/v1/principals?provider=GCP', 'querystring.provider: expected one of aws, azure, gcp'],
    ['/v1/principals?account=1', 'querystring.account: expected no such parameter'],
  ];
  for (const [url, message] of cases) {
    it(`names the field of ${url.split('?')[1]}`, async () => {
      const { status, body } = await call(keyApp, url, read);
      expect(status).toBe(400);
      expect(body.code).toBe('CIEM_API_INVALID_REQUEST');
      expect(body.message).toContain(message);
    });
  }

  it('rejects a window over the maximum', async () => {
    const { status, body } = await call(
      keyApp,
      '/v1/events?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z',
      read,
    );
    expect(status).toBe(400);
    expect(body.code).toBe('CIEM_QUERY_INVALID_WINDOW');
    expect(body.message).toContain('from: expected a window of at most 90 days');
  });

  it('rejects a reversed window', async () => {
    const { status, body } = await call(
      keyApp,
      '/v1/alerts?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      read,
    );
    expect(status).toBe(400);
    expect(body.message).toContain('from: expected a time before to');
  });

  it('rejects a foreign cursor', async () => {
    const page = await call(keyApp, '/v1/principals?limit=1', read);
    const { status, body } = await call(keyApp, `/v1/events?cursor=${page.body.next_cursor}`, read);
    expect(status).toBe(400);
    expect(body.code).toBe('CIEM_QUERY_INVALID_CURSOR');
    expect(body.message).toContain('cursor: expected the next_cursor value');
  });

  it('rejects an unknown body field', async () => {
    const response = await keyApp.inject({
      method: 'POST',
      url: `/v1/alerts/${ALERTS.logging}/ack`,
      headers: { 'x-api-key': ADMIN_KEY },
      payload: { note: 'ok', severity: 'low' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('body.severity: expected no such parameter');
  });

  it('rejects a body that is not JSON', async () => {
    const response = await keyApp.inject({
      method: 'POST',
      url: `/v1/alerts/${ALERTS.logging}/ack`,
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      payload: '{note',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('CIEM_API_INVALID_REQUEST');
  });

  it('keeps quotes in filter values literal', async () => {
    const { status, body } = await call(
      keyApp,
      `/v1/events?principal_id=${encodeURIComponent("x' OR 1=1 --")}`,
      read,
    );
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
  });
});

describe('request metrics', () => {
  it('records duration by route and status', async () => {
    await call(keyApp, '/v1/alerts', { 'x-api-key': READ_KEY });
    const text = await metrics.metrics();
    expect(text).toMatch(
      /ciem_api_request_duration_seconds_count\{route="\/v1\/alerts",method="GET",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /ciem_api_request_duration_seconds_count\{route="\/v1\/alerts",method="GET",status="401"\} \d+/,
    );
  });
});
