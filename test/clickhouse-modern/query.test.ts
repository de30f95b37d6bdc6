import { createEventWriter, toEventRow } from '@ciem/event-store';
import {
  acknowledgeAlert,
  alertExists,
  countDeadLetters,
  listAlertAcks,
  listAlerts,
  listPrincipals,
  listRecommendations,
  readPrincipal,
  searchEvents,
} from '@ciem/query';
import type { QueryStoreOptions } from '@ciem/query';
import { clickhouseModernSkipReason, clickhouseModernUrl } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureStore } from './store-fixture.js';
import {
  ADMIN,
  AZURE_APP,
  DAY,
  DEVELOPER,
  GCP_ACCOUNT,
  at,
  createFixtureStore,
  fixtureEvent,
} from './store-fixture.js';

// Runs the query functions of @ciem/query, as the API calls them, against a modern
// ClickHouse over the rows of store-fixture.ts. Expected values are worked out by hand from
// those rows over the day 2026-03-04.

let store: FixtureStore;
let options: QueryStoreOptions;

if (clickhouseModernUrl === undefined) console.warn(clickhouseModernSkipReason);

describe.skipIf(clickhouseModernUrl === undefined)('@ciem/query on modern ClickHouse', () => {
  beforeAll(async () => {
    store = await createFixtureStore(clickhouseModernUrl!);
    options = { clickhouse: store.clickhouse, database: store.database };
  });

  afterAll(async () => {
    await store?.close();
  });

  describe('searchEvents', () => {
    it('pages newest first', async () => {
      const ids: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await searchEvents(options, { window: DAY, limit: 3, cursor });
        ids.push(page.items.map((item) => item.event_id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      // a0 is on the day before.
      expect(ids).toEqual([['g1', 'a4', 'a3'], ['z2', 'z1', 'a2'], ['a1']]);
    });

    it('keeps milliseconds and lists', async () => {
      const page = await searchEvents(options, {
        window: DAY,
        limit: 10,
        permission: 's3:GetObject',
      });
      expect(page.items.map((item) => item.event_id)).toEqual(['a4', 'a1']);
      expect(page.items[1]).toMatchObject({
        event_time: at('10:00:00') + 250,
        principal_id: ADMIN,
        principal_name: 'platform-admin',
        permissions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::logs/a', 'arn:aws:s3:::logs/b'],
      });
      expect(page.next_cursor).toBeNull();
    });

    it('filters by principal and outcome', async () => {
      const page = await searchEvents(options, {
        window: DAY,
        limit: 10,
        principalId: DEVELOPER,
        outcome: 'denied',
      });
      expect(page.items.map((item) => [item.event_id, item.error_code])).toEqual([
        ['a2', 'AccessDenied'],
      ]);
    });
  });

  describe('listPrincipals', () => {
    it('sums use and joins scores', async () => {
      const first = await listPrincipals(options, { window: DAY, limit: 2 });
      expect(first.next_cursor).not.toBeNull();
      const second = await listPrincipals(options, {
        window: DAY,
        limit: 2,
        cursor: first.next_cursor!,
      });
      expect(second.next_cursor).toBeNull();
      expect([...first.items, ...second.items]).toEqual([
        {
          // a1 (one permission) and a4 (two): three uses of two distinct permissions.
          provider: 'aws',
          account_id: '111122223333',
          principal_id: ADMIN,
          principal_type: '',
          principal_name: '',
          permissions_used: 2,
          permission_uses: 3,
          last_activity: at('12:00:00'),
          score: null,
          team: null,
        },
        {
          // a2 was denied, so only s3:ListBucket (a3) counts as used. The score is the one
          // of the latest analysis (12:00), not the older 0.95.
          provider: 'aws',
          account_id: '111122223333',
          principal_id: DEVELOPER,
          principal_type: 'user',
          principal_name: 'dev',
          permissions_used: 1,
          permission_uses: 2,
          last_activity: at('11:30:00'),
          score: 0.82,
          team: 'platform',
        },
        {
          // z1 (phase Started) does not count, z2 does.
          provider: 'azure',
          account_id: '00000000-0000-0000-0000-000000000001',
          principal_id: AZURE_APP,
          principal_type: 'service_principal',
          principal_name: 'deployer',
          permissions_used: 1,
          permission_uses: 1,
          last_activity: at('10:21:00'),
          score: 0.4,
          team: '',
        },
        {
          // g1 failed: a use, but no permission used successfully. Its score is of March 6th.
          provider: 'gcp',
          account_id: 'proj-1',
          principal_id: GCP_ACCOUNT,
          principal_type: '',
          principal_name: '',
          permissions_used: 0,
          permission_uses: 1,
          last_activity: at('23:59:59'),
          score: null,
          team: null,
        },
      ]);
    });
  });

  describe('readPrincipal', () => {
    it('reads grants, use and the latest result', async () => {
      const detail = await readPrincipal(options, {
        principalId: DEVELOPER,
        window: DAY,
        limit: 10,
      });
      expect(detail).toEqual({
        principal_id: DEVELOPER,
        principal_type: 'user',
        principal_name: 'dev',
        admin: false,
        last_activity: at('11:30:00'),
        entitlements: ['iam:CreateUser', 's3:ListBucket'].map((permission) => ({
          provider: 'aws',
          account_id: '111122223333',
          permission,
          resource: '*',
          via: 'arn:aws:iam::111122223333:policy/dev',
          conditional: false,
          data_action: false,
          taken_at: at('09:00:00'),
        })),
        entitlements_truncated: false,
        usage: [
          {
            provider: 'aws',
            account_id: '111122223333',
            permission: 'iam:CreateUser',
            outcome: 'denied',
            events: 1,
            first_seen: at('10:05:00'),
            last_seen: at('10:05:00'),
          },
          {
            // a0 of the day before is outside the window's days.
            provider: 'aws',
            account_id: '111122223333',
            permission: 's3:ListBucket',
            outcome: 'success',
            events: 1,
            first_seen: at('11:30:00'),
            last_seen: at('11:30:00'),
          },
        ],
        usage_truncated: false,
        recommendations: [
          {
            provider: 'aws',
            account_id: '111122223333',
            team: 'platform',
            status: 'active',
            score: 0.82,
            confidence: 0.9,
            window_end: at('12:00:00'),
            unused_permissions: ['iam:CreateAccessKey', 's3:GetBucketTagging'],
            recommendation_kind: 'replace-policy',
            removes: ['iam:CreateAccessKey', 's3:GetBucketTagging'],
          },
        ],
      });
    });

    it('marks an admin from its grants', async () => {
      const detail = await readPrincipal(options, { principalId: ADMIN, window: DAY, limit: 10 });
      // Only the 09:00 snapshot lies in the day, so ec2:RunInstances (March 1st) stays out.
      expect(detail?.admin).toBe(true);
      expect(detail?.entitlements.map((entry) => entry.permission)).toEqual([
        'iam:PassRole',
        's3:GetObject',
        's3:PutObject',
      ]);
      expect(detail?.usage.map((entry) => [entry.permission, entry.events])).toEqual([
        ['s3:GetObject', 2],
        ['s3:PutObject', 1],
      ]);
    });
  });

  describe('listRecommendations', () => {
    it('lists the latest result per principal', async () => {
      const page = await listRecommendations(options, { window: DAY, limit: 10 });
      expect(page.items.map((item) => [item.principal_id, item.score])).toEqual([
        [DEVELOPER, 0.82],
        [AZURE_APP, 0.4],
      ]);
      expect(page.items[0]).toMatchObject({
        window_start: at('12:00:00') - 28 * 86_400_000,
        window_end: at('12:00:00'),
        last_activity: at('11:00:00'),
        used_count: 1,
      });
    });

    it('filters the latest score only', async () => {
      // The developer's older 0.95 must not match a minimum of 0.9.
      const high = await listRecommendations(options, { window: DAY, limit: 10, minScore: 0.9 });
      expect(high.items).toEqual([]);
      const middle = await listRecommendations(options, {
        window: DAY,
        limit: 10,
        minScore: 0.5,
      });
      expect(middle.items.map((item) => item.principal_id)).toEqual([DEVELOPER]);
    });
  });

  describe('alerts', () => {
    it('lists the latest version of each alert', async () => {
      const page = await listAlerts(options, { window: DAY, limit: 10 });
      expect(page.items.map((item) => [item.alert_id, item.event_count])).toEqual([
        ['al2', 1],
        ['al1', 3],
      ]);
      expect(page.items[1]).toMatchObject({
        first_seen: at('10:05:00'),
        severity: 'high',
        acknowledgement: null,
      });
    });

    it('filters by severity', async () => {
      const page = await listAlerts(options, { window: DAY, limit: 10, severities: ['critical'] });
      expect(page.items.map((item) => item.alert_id)).toEqual(['al2']);
    });

    it('finds alerts by id', async () => {
      expect(await alertExists(options, 'al3')).toBe(true);
      expect(await alertExists(options, 'missing')).toBe(false);
    });

    it('keeps every acknowledgement', async () => {
      const first = {
        alert_id: 'al1',
        acknowledged_at: at('13:00:00'),
        acknowledged_by: 'key-1',
        note: 'looking',
      };
      const second = { ...first, acknowledged_at: at('14:00:00') + 5, note: 'benign' };
      await acknowledgeAlert(options, first);
      await acknowledgeAlert(options, second);

      expect(await listAlertAcks(options, 'al1')).toEqual([first, second]);
      const acknowledged = await listAlerts(options, {
        window: DAY,
        limit: 10,
        acknowledged: true,
      });
      expect(acknowledged.items.map((item) => [item.alert_id, item.acknowledgement])).toEqual([
        ['al1', second],
      ]);
      const open = await listAlerts(options, { window: DAY, limit: 10, acknowledged: false });
      expect(open.items.map((item) => item.alert_id)).toEqual(['al2']);
    });
  });

  it('counts dead letters by reason', async () => {
    // k1 was copied twice and counts once.
    expect(await countDeadLetters(options, DAY, 10)).toEqual({
      groups: [
        {
          stage: 'normalizer',
          reason: 'missing-field',
          provider: 'aws',
          error_code: 'CIEM_NORMALIZE_INVALID_RECORD',
          records: 2,
          last_dead_lettered_at: at('11:00:00'),
        },
        {
          stage: 'normalizer',
          reason: 'wrong-type',
          provider: 'gcp',
          error_code: 'CIEM_NORMALIZE_INVALID_RECORD',
          records: 1,
          last_dead_lettered_at: at('12:00:00'),
        },
      ],
      truncated: false,
    });
  });

  // Runs last, because the redelivered copy stays in the store.
  it('returns a redelivered event once', async () => {
    const writer = createEventWriter({
      client: store.clickhouse,
      database: store.database,
      maxRows: 10,
      maxWaitMs: 60_000,
    });
    await writer.add(toEventRow(fixtureEvent('a3', { ingest_time: at('11:45:00') })));
    await writer.close();

    const page = await searchEvents(options, { window: DAY, limit: 10, principalId: DEVELOPER });
    expect(page.items.map((item) => item.event_id)).toEqual(['a3', 'a2']);
  });
});
