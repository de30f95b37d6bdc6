import { createKafkaClient } from '@ciem/kafka';
import type { KafkaClient } from '@ciem/kafka';
import { clickhouseUrl, kafkaBrokers, randomName } from '@ciem/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  ALERTS,
  ALICE,
  APP_ROLE,
  AZURE_PRINCIPAL,
  BUCKET_OBJECT,
  DAY_MS,
  GCP_PRINCIPAL,
  PAGED_EVENTS,
} from '../testing/fixtures.js';
import type { SeededStore } from '../testing/test-app.js';
import { ADMIN_KEY, READ_KEY, buildTestApp, createSeededStore } from '../testing/test-app.js';

let store: SeededStore;
let app: FastifyInstance;
let kafka: KafkaClient;
const lagTopic = randomName('api_lag');
const lagGroup = randomName('api_lag_group');

beforeAll(async () => {
  store = await createSeededStore(clickhouseUrl, randomName('api_test'));
  kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'api-test' });
  const admin = await kafka.createAdmin();
  try {
    await admin.createTopics([{ name: lagTopic, partitions: 2, replicationFactor: 1 }]);
  } finally {
    await admin.disconnect();
  }
  const producer = await kafka.createProducer();
  try {
    await producer.send(
      lagTopic,
      [0, 1, 2, 3, 4].map((index) => ({ value: `message ${index}`, partition: index % 2 })),
    );
  } finally {
    await producer.disconnect();
  }
  app = await buildTestApp(store, {
    lagPairs: [{ group: lagGroup, topic: lagTopic }],
    fetchLag: (group, topic) => kafka.fetchLag(group, topic),
  });
});

afterAll(async () => {
  await app?.close();
  if (kafka !== undefined) {
    const admin = await kafka.createAdmin();
    await admin.deleteTopics([lagTopic]).finally(() => admin.disconnect());
    await kafka.close();
  }
  await store?.close();
});

async function get(url: string, key = READ_KEY) {
  const response = await app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

describe('GET /v1/principals', () => {
  it('lists principals in key order', async () => {
    const { status, body } = await get('/v1/principals');
    expect(status).toBe(200);
    const ids = body.items.map((item: { principal_id: string }) => item.principal_id);
    // aws before azure before gcp; in the AWS account, role/app sorts before user/alice.
    expect(ids).toEqual([APP_ROLE, ALICE, AZURE_PRINCIPAL, GCP_PRINCIPAL]);
    expect(body.next_cursor).toBeNull();
  });

  it('reports use, score and activity', async () => {
    const { body } = await get(`/v1/principals?provider=aws&account_id=${ACCOUNT}`);
    const app = body.items.find((item: { principal_id: string }) => item.principal_id === APP_ROLE);
    // Used with success: s3:GetObject and s3:PutObject; iam:CreateUser was denied.
    expect(app.permissions_used).toBe(2);
    // 25 PutObject, 1 GetObject counted twice (redelivered), 1 denied CreateUser.
    expect(app.permission_uses).toBe(28);
    expect(app.last_activity).toBe(store.now - 3_600_000);
    expect(app.team).toBe('payments');
    expect(app.principal_name).toBe('app');
    expect(typeof app.score).toBe('number');
  });

  it('pages with a cursor', async () => {
    const first = await get('/v1/principals?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await get(`/v1/principals?limit=3&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((item: { principal_id: string }) => item.principal_id)).toEqual([
      GCP_PRINCIPAL,
    ]);
    expect(second.body.next_cursor).toBeNull();
  });

  it('filters by provider', async () => {
    const { body } = await get('/v1/principals?provider=azure');
    expect(body.items.map((item: { principal_id: string }) => item.principal_id)).toEqual([
      AZURE_PRINCIPAL,
    ]);
  });
});

describe('GET /v1/principals/:principal_id', () => {
  it('shows entitlements, use and score', async () => {
    const { status, body } = await get(`/v1/principals/${encodeURIComponent(APP_ROLE)}`);
    expect(status).toBe(200);
    expect(body.principal_name).toBe('app');
    // The latest snapshot only: the older one also granted ec2:*.
    expect(body.entitlements.map((entry: { permission: string }) => entry.permission)).toEqual([
      'iam:CreateUser',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(body.entitlements[0].taken_at).toBe(store.now - DAY_MS);
    const uses = body.usage.map(
      (entry: { permission: string; outcome: string; events: number }) =>
        `${entry.permission}/${entry.outcome}/${entry.events}`,
    );
    // The redelivered GetObject counts once as a distinct event.
    expect(uses).toEqual([
      'iam:CreateUser/denied/1',
      's3:GetObject/success/1',
      's3:PutObject/success/25',
    ]);
    expect(body.last_activity).toBe(store.now - 3_600_000);
    expect(body.recommendations).toHaveLength(1);
    expect(body.recommendations[0].team).toBe('payments');
    expect(body.recommendations[0].removes).toContain('iam:CreateUser');
  });

  it('answers 404 for unknown principals', async () => {
    const { status, body } = await get('/v1/principals/arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fnobody');
    expect(status).toBe(404);
    expect(body.code).toBe('CIEM_API_NOT_FOUND');
    expect(body.message).toContain('arn:aws:iam::1:role/nobody');
  });

  it('truncates lists at the limit', async () => {
    const { body } = await get(`/v1/principals/${encodeURIComponent(APP_ROLE)}?limit=2`);
    expect(body.entitlements).toHaveLength(2);
    expect(body.entitlements_truncated).toBe(true);
    expect(body.usage_truncated).toBe(true);
  });
});

describe('GET /v1/recommendations', () => {
  it('lists latest results by score', async () => {
    const { status, body } = await get('/v1/recommendations');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(2);
    const scores = body.items.map((item: { score: number }) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Alice's older analysis scored 10; only the latest counts.
    expect(scores).not.toContain(10);
    expect(body.items[0].result).toBeUndefined();
  });

  it('filters by team and score', async () => {
    const ids = (body: { items: { principal_id: string }[] }) =>
      body.items.map((item) => item.principal_id);
    const team = await get('/v1/recommendations?team=analytics');
    expect(ids(team.body)).toEqual([ALICE]);
    // Alice scores 100 now; her older analysis scored 10 and must not match max_score.
    const high = await get(`/v1/recommendations?min_score=50&account_id=${ACCOUNT}`);
    expect(ids(high.body)).toEqual([ALICE]);
    const low = await get('/v1/recommendations?max_score=50&provider=aws');
    expect(ids(low.body)).toEqual([APP_ROLE]);
  });

  it('pages with a cursor', async () => {
    const first = await get('/v1/recommendations?limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await get(`/v1/recommendations?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].principal_id).not.toBe(first.body.items[0].principal_id);
    expect(second.body.next_cursor).toBeNull();
  });

  it('downloads CSV and HTML reports', async () => {
    const csv = await app.inject({
      method: 'GET',
      url: `/v1/recommendations?format=csv&account_id=${ACCOUNT}`,
      headers: { 'x-api-key': READ_KEY },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`account-${ACCOUNT}.csv`);
    expect(csv.body.split('\n')[0]).toContain('principal_id');
    expect(csv.body).toContain(APP_ROLE);

    const html = await app.inject({
      method: 'GET',
      url: '/v1/recommendations?format=html&team=payments',
      headers: { authorization: `Bearer ${READ_KEY}` },
    });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<svg id="score-chart"');
    expect(html.body).toContain('data-field="principals">1<');
  });
});

describe('GET /v1/alerts', () => {
  it('lists latest versions newest first', async () => {
    const { status, body } = await get('/v1/alerts');
    expect(status).toBe(200);
    expect(body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([
      ALERTS.logging,
      ALERTS.denied,
      ALERTS.dormant,
    ]);
    expect(body.items[0].event_count).toBe(5);
    expect(body.items[0].acknowledgement).toBeNull();
  });

  it('filters by severity, rule and principal', async () => {
    const severe = await get('/v1/alerts?severity=critical&severity=high');
    expect(severe.body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([
      ALERTS.logging,
      ALERTS.denied,
    ]);
    const rule = await get('/v1/alerts?rule_id=dormant-identity');
    expect(rule.body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([
      ALERTS.dormant,
    ]);
    const alice = await get(`/v1/alerts?principal_id=${encodeURIComponent(ALICE)}`);
    expect(alice.body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([
      ALERTS.denied,
    ]);
  });

  it('filters by time window', async () => {
    const from = iso(store.now - 40 * DAY_MS);
    const to = iso(store.now - 20 * DAY_MS);
    const { body } = await get(`/v1/alerts?from=${from}&to=${to}`);
    expect(body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([ALERTS.old]);
  });

  it('pages with a cursor', async () => {
    const first = await get('/v1/alerts?limit=2');
    const second = await get(`/v1/alerts?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([
      ALERTS.dormant,
    ]);
    expect(second.body.next_cursor).toBeNull();
  });

  it('acknowledges as admin', async () => {
    const ack = await app.inject({
      method: 'POST',
      url: `/v1/alerts/${ALERTS.denied}/ack`,
      headers: { 'x-api-key': ADMIN_KEY },
      payload: { note: 'expected after the key rotation' },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toEqual({
      alert_id: ALERTS.denied,
      acknowledged_at: store.now,
      acknowledged_by: 'operator',
      note: 'expected after the key rotation',
    });

    const acknowledged = await get('/v1/alerts?acknowledged=true');
    expect(acknowledged.body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([
      ALERTS.denied,
    ]);
    expect(acknowledged.body.items[0].acknowledgement.acknowledged_by).toBe('operator');
    const open = await get('/v1/alerts?acknowledged=false');
    expect(open.body.items.map((item: { alert_id: string }) => item.alert_id)).toEqual([
      ALERTS.logging,
      ALERTS.dormant,
    ]);
  });

  it('answers 404 acknowledging unknown alerts', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/alerts/alert-missing/ack',
      headers: { 'x-api-key': ADMIN_KEY },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('CIEM_API_NOT_FOUND');
  });

  it('keeps every acknowledgement of an alert', async () => {
    for (const note of ['looking into it', 'planned maintenance']) {
      const ack = await app.inject({
        method: 'POST',
        url: `/v1/alerts/${ALERTS.dormant}/ack`,
        headers: { 'x-api-key': ADMIN_KEY },
        payload: { note },
      });
      expect(ack.statusCode).toBe(200);
    }
    const history = await get(`/v1/alerts/${ALERTS.dormant}/acks`);
    expect(history.status).toBe(200);
    expect(history.body.items).toEqual([
      {
        alert_id: ALERTS.dormant,
        acknowledged_at: store.now,
        acknowledged_by: 'operator',
        note: 'looking into it',
      },
      {
        alert_id: ALERTS.dormant,
        acknowledged_at: store.now,
        acknowledged_by: 'operator',
        note: 'planned maintenance',
      },
    ]);
    const never = await get(`/v1/alerts/${ALERTS.logging}/acks`);
    expect(never.body.items).toEqual([]);
    const missing = await get('/v1/alerts/alert-missing/acks');
    expect(missing.status).toBe(404);
  });
});

describe('GET /v1/events', () => {
  it('pages without overlap or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const { status, body } = await get(
        `/v1/events?principal_id=${encodeURIComponent(APP_ROLE)}&limit=10${query}`,
      );
      expect(status).toBe(200);
      seen.push(...body.items.map((item: { event_id: string }) => item.event_id));
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    // Two recent calls plus the paged ones; the redelivered copy shows once.
    expect(seen).toHaveLength(PAGED_EVENTS + 2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe('evt-app-get');
    expect(seen.at(-1)).toBe(`evt-app-page-${PAGED_EVENTS - 1}`);
    expect(pages).toBe(3);
  });

  it('filters by permission, resource and outcome', async () => {
    const denied = await get('/v1/events?outcome=denied');
    expect(denied.body.items.map((item: { event_id: string }) => item.event_id)).toEqual([
      'evt-app-create-user',
    ]);
    const permission = await get('/v1/events?permission=s3%3AListBucket');
    expect(permission.body.items.map((item: { event_id: string }) => item.event_id)).toEqual([
      'evt-alice-list',
    ]);
    const resource = await get(
      `/v1/events?resource=${encodeURIComponent(BUCKET_OBJECT)}&limit=1000`,
    );
    expect(resource.body.items.map((item: { event_id: string }) => item.event_id)).toEqual([
      'evt-app-get',
      ...Array.from(
        { length: PAGED_EVENTS },
        (_, index) => `evt-app-page-${String(index).padStart(2, '0')}`,
      ),
    ]);
  });

  it('filters by time window', async () => {
    const { body } = await get(
      `/v1/events?from=${iso(store.now - 21 * DAY_MS)}&to=${iso(store.now - 19 * DAY_MS)}`,
    );
    expect(body.items.map((item: { event_id: string }) => item.event_id)).toEqual(['evt-app-old']);
    expect(body.items[0].event_time).toBe(store.now - 20 * DAY_MS);
  });
});

describe('GET /v1/pipeline/status', () => {
  it('reports lag and dead letters', async () => {
    const { status, body } = await get('/v1/pipeline/status');
    expect(status).toBe(200);
    expect(body.consumer_lag).toEqual([
      expect.objectContaining({ group: lagGroup, topic: lagTopic, total_lag: 5, error: null }),
    ]);
    expect(body.consumer_lag[0].partitions.map((entry: { lag: number }) => entry.lag)).toEqual([
      3, 2,
    ]);
    // Two distinct missing-field records (one copied twice) and one invalid-json record;
    // the 40-day-old record lies outside the default window.
    expect(
      body.dead_letters.map(
        (entry: { reason: string; provider: string; records: number }) =>
          `${entry.reason}/${entry.provider}/${entry.records}`,
      ),
    ).toEqual(['missing-field/aws/2', 'invalid-json/azure/1']);
    expect(body.dead_letters_truncated).toBe(false);
  });
});

describe('GET /openapi.json', () => {
  it('documents every route without authentication', async () => {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.0.3');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/alerts',
      '/v1/alerts/{alert_id}/ack',
      '/v1/alerts/{alert_id}/acks',
      '/v1/events',
      '/v1/pipeline/status',
      '/v1/principals',
      '/v1/principals/{principal_id}',
      '/v1/recommendations',
    ]);
  });

  it('lists the report formats of recommendations', async () => {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    const ok = response.json().paths['/v1/recommendations'].get.responses['200'];
    expect(Object.keys(ok.content).sort()).toEqual(['application/json', 'text/csv', 'text/html']);
    expect(ok.content['application/json'].schema.properties).toHaveProperty('next_cursor');
    expect(ok.headers).toHaveProperty('x-next-cursor');
  });
});
