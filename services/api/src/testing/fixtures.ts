/**
 * Rows for the API tests, in the table shapes of schemas/clickhouse. Events fill
 * permission_usage through its materialized view. Recommendations come from the real
 * right-sizing analysis, one alert has two versions, and one dead letter is copied twice.
 * Times are relative to `now`, so default windows select the recent rows only.
 */
import type { ClickHouse } from '@ciem/clickhouse';
import { normalizationErrorCode } from '@ciem/events';
import { analyzeRightsizing } from '@ciem/rightsizing';
import { toRecommendationRow } from '@ciem/rightsizing-store';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const ACCOUNT = '111122223333';
export const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const AZURE_SUBSCRIPTION = '6f1b2c3d-0000-4000-8000-00000000abcd';
export const AZURE_PRINCIPAL = '9a8b7c6d-1111-4222-8333-444455556666';
export const GCP_PROJECT = 'shop-prod';
export const GCP_PRINCIPAL = 'serviceAccount:ci@shop-prod.iam.gserviceaccount.com';
export const BUCKET_OBJECT = 'arn:aws:s3:::reports-bucket/2026/summary.csv';

/** Events of the app role used to page through: one every minute, ending 10 hours ago. */
export const PAGED_EVENTS = 25;

/** Builds a row with every column of `events`, defaulting to an ordinary AWS call. */
function eventRow(now: number, fields: Record<string, unknown>): Record<string, unknown> {
  const timeMs = now - (fields.ago_ms as number);
  const row: Record<string, unknown> = {
    event_id: '',
    provider: 'aws',
    event_time: Math.floor(timeMs / 1000),
    event_time_ms: timeMs,
    ingest_time: Math.floor(timeMs / 1000) + 5,
    schema_version: 1,
    log_type: 'cloudtrail',
    account_id: ACCOUNT,
    tenant_id: '',
    region: 'eu-west-1',
    principal_id: APP_ROLE,
    principal_type: 'role',
    principal_name: 'app',
    session_id: '',
    session_name: '',
    session_source_identity: '',
    session_issued_at_ms: 0,
    session_chain: [],
    actor: '',
    access_key_id: '',
    mfa: -1,
    service: 's3',
    operation: 'GetObject',
    permissions: ['s3:GetObject'],
    mapping: 'exact',
    visibility: 'logged',
    read_only: 1,
    category: 'data',
    resources: [BUCKET_OBJECT],
    resource_types: ['AWS::S3::Object'],
    outcome: 'success',
    error_code: '',
    error_message: '',
    source_ip: '203.0.113.10',
    user_agent: 'aws-cli/2.15.0',
    via_service: '',
    vpc_endpoint: '',
    phase: '',
    correlation_id: '',
    raw_ref: 'ciem.raw.aws.cloudtrail/0/1',
  };
  for (const [key, value] of Object.entries(fields)) if (key !== 'ago_ms') row[key] = value;
  return row;
}

/** The events of the fixture, one redelivered copy included. */
export function fixtureEvents(now: number): Record<string, unknown>[] {
  const events = [
    eventRow(now, { event_id: 'evt-app-get', ago_ms: 1 * HOUR_MS }),
    eventRow(now, {
      event_id: 'evt-app-create-user',
      ago_ms: 2 * HOUR_MS,
      service: 'iam',
      operation: 'CreateUser',
      permissions: ['iam:CreateUser'],
      resources: [`arn:aws:iam::${ACCOUNT}:user/mallory`],
      resource_types: ['AWS::IAM::User'],
      outcome: 'denied',
      error_code: 'AccessDenied',
      read_only: 0,
      category: 'management',
    }),
    eventRow(now, {
      event_id: 'evt-alice-list',
      ago_ms: 3 * HOUR_MS,
      principal_id: ALICE,
      principal_type: 'user',
      principal_name: 'alice',
      operation: 'ListObjects',
      permissions: ['s3:ListBucket'],
      resources: ['arn:aws:s3:::reports-bucket'],
      resource_types: ['AWS::S3::Bucket'],
    }),
    eventRow(now, {
      event_id: 'evt-azure-vm-write',
      ago_ms: 1 * DAY_MS,
      provider: 'azure',
      log_type: 'activity',
      account_id: AZURE_SUBSCRIPTION,
      principal_id: AZURE_PRINCIPAL,
      principal_type: 'service-principal',
      principal_name: 'deployer',
      service: 'Microsoft.Compute',
      operation: 'Microsoft.Compute/virtualMachines/write',
      permissions: ['Microsoft.Compute/virtualMachines/write'],
      resources: [
        `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      ],
      resource_types: ['Microsoft.Compute/virtualMachines'],
      outcome: 'failed',
      phase: 'failed',
      region: 'westeurope',
    }),
    eventRow(now, {
      event_id: 'evt-gcp-get',
      ago_ms: 2 * DAY_MS,
      provider: 'gcp',
      log_type: 'audit',
      account_id: GCP_PROJECT,
      principal_id: GCP_PRINCIPAL,
      principal_type: 'service-account',
      principal_name: 'ci@shop-prod.iam.gserviceaccount.com',
      service: 'storage.googleapis.com',
      operation: 'storage.objects.get',
      permissions: ['storage.objects.get'],
      resources: ['projects/_/buckets/shop-assets/objects/logo.png'],
      resource_types: ['storage.objects'],
      region: 'europe-west1',
    }),
    eventRow(now, { event_id: 'evt-app-old', ago_ms: 20 * DAY_MS, operation: 'GetObject' }),
  ];
  for (let index = 0; index < PAGED_EVENTS; index += 1) {
    events.push(
      eventRow(now, {
        event_id: `evt-app-page-${String(index).padStart(2, '0')}`,
        ago_ms: 10 * HOUR_MS + index * 60_000,
        operation: 'PutObject',
        permissions: ['s3:PutObject'],
        read_only: 0,
      }),
    );
  }
  // The same event delivered twice: a later ingest time, otherwise equal.
  events.push({ ...events[0], ingest_time: (events[0]?.ingest_time as number) + 60 });
  return events;
}

function entitlementRow(
  now: number,
  agoMs: number,
  principal: { id: string; type: string; name: string },
  permission: string,
): Record<string, unknown> {
  const takenAt = now - agoMs;
  return {
    provider: 'aws',
    account_id: ACCOUNT,
    taken_at_ms: takenAt,
    snapshot_time: Math.floor(takenAt / 1000),
    principal_id: principal.id,
    principal_type: principal.type,
    principal_name: principal.name,
    admin: 0,
    permission,
    resource: '*',
    conditional: 0,
    conditions: '',
    via: `inline:${principal.name}`,
    data_action: 0,
    written_at: Math.floor(takenAt / 1000),
  };
}

const APP = { id: APP_ROLE, type: 'role', name: 'app' };
const ALICE_PRINCIPAL = { id: ALICE, type: 'user', name: 'alice' };

/** Two snapshots: the latest grants the app role three actions, the older one also `ec2:*`. */
export function fixtureEntitlements(now: number): Record<string, unknown>[] {
  const latest = ['s3:GetObject', 's3:PutObject', 'iam:CreateUser'].map((permission) =>
    entitlementRow(now, DAY_MS, APP, permission),
  );
  const older = ['s3:GetObject', 'ec2:*'].map((permission) =>
    entitlementRow(now, 3 * DAY_MS, APP, permission),
  );
  const alice = ['s3:ListBucket', 's3:DeleteBucket', 'iam:PassRole'].map((permission) =>
    entitlementRow(now, DAY_MS, ALICE_PRINCIPAL, permission),
  );
  return [...latest, ...older, ...alice, latest[0] as Record<string, unknown>];
}

/** Recommendation rows from the right-sizing analysis of the two AWS principals. */
export function fixtureRecommendations(now: number): Record<string, unknown>[] {
  const windowEnd = now - 12 * HOUR_MS;
  const grant = (permission: string, name: string) => ({
    permission,
    resource: '*',
    conditional: false,
    via: `inline:${name}`,
  });
  const results = analyzeRightsizing(
    {
      principals: [
        {
          provider: 'aws',
          account_id: ACCOUNT,
          principal_id: APP_ROLE,
          principal_type: 'role',
          principal_name: 'app',
          tags: { team: 'payments' },
          grants: ['s3:GetObject', 's3:PutObject', 'iam:CreateUser'].map((p) => grant(p, 'app')),
          findings: [],
        },
        {
          provider: 'aws',
          account_id: ACCOUNT,
          principal_id: ALICE,
          principal_type: 'user',
          principal_name: 'alice',
          tags: { team: 'analytics' },
          grants: ['s3:ListBucket', 's3:DeleteBucket', 'iam:PassRole'].map((p) =>
            grant(p, 'alice'),
          ),
          findings: [],
        },
      ],
      usage: [
        {
          provider: 'aws',
          account_id: ACCOUNT,
          principal_id: APP_ROLE,
          permission: 's3:GetObject',
          visibility: 'logged',
          allowed_count: 30,
          denied_count: 0,
          first_seen: windowEnd - 20 * DAY_MS,
          last_seen: windowEnd - HOUR_MS,
          resources: [],
        },
        {
          provider: 'aws',
          account_id: ACCOUNT,
          principal_id: APP_ROLE,
          permission: 's3:PutObject',
          visibility: 'logged',
          allowed_count: 25,
          denied_count: 0,
          first_seen: windowEnd - 20 * DAY_MS,
          last_seen: windowEnd - HOUR_MS,
          resources: [],
        },
      ],
    },
    { windowEnd, windowDays: 30 },
  );
  const rows = results.map((result) => toRecommendationRow(result, now - 11 * HOUR_MS));
  // An older analysis of alice with a lower score, which the latest one must hide.
  const older = results.find((result) => result.principal_id === ALICE);
  if (older !== undefined) {
    rows.push(
      toRecommendationRow(
        { ...older, score: 10, window: { ...older.window, end: windowEnd - 2 * DAY_MS } },
        now - 2 * DAY_MS,
      ),
    );
  }
  return rows as unknown as Record<string, unknown>[];
}

function alertRow(now: number, fields: Record<string, unknown>): Record<string, unknown> {
  const firstSeen = now - (fields.ago_ms as number);
  const row: Record<string, unknown> = {
    alert_id: '',
    dedupe_key: '',
    rule_id: 'aws-defense-evasion-logging',
    rule_name: 'CloudTrail logging stopped',
    severity: 'critical',
    provider: 'aws',
    account_id: ACCOUNT,
    principal_id: APP_ROLE,
    principal_type: 'role',
    principal_name: 'app',
    title: 'app stopped CloudTrail logging',
    description: 'StopLogging on the organization trail.',
    mitre_techniques: ['T1562.008'],
    window_start_ms: firstSeen,
    first_seen_ms: firstSeen,
    last_seen_ms: firstSeen + 60_000,
    first_seen: Math.floor(firstSeen / 1000),
    event_count: 1,
    evidence_event_ids: ['evt-app-get'],
    source_ips: ['203.0.113.10'],
    details: '{"trail":"org-trail"}',
    created_at_ms: firstSeen + 60_000,
    schema_version: 1,
  };
  for (const [key, value] of Object.entries(fields)) if (key !== 'ago_ms') row[key] = value;
  return row;
}

/** Alert ids of the fixture. */
export const ALERTS = {
  logging: 'alert-logging-0001',
  denied: 'alert-denied-0002',
  dormant: 'alert-dormant-0003',
  old: 'alert-old-0004',
} as const;

/** Four alerts; the logging alert is written twice, the later version with 5 events. */
export function fixtureAlerts(now: number): Record<string, unknown>[] {
  return [
    alertRow(now, { alert_id: ALERTS.logging, ago_ms: HOUR_MS }),
    alertRow(now, {
      alert_id: ALERTS.logging,
      ago_ms: HOUR_MS,
      event_count: 5,
      created_at_ms: now - HOUR_MS + 300_000,
    }),
    alertRow(now, {
      alert_id: ALERTS.denied,
      ago_ms: 2 * HOUR_MS,
      rule_id: 'denied-burst',
      rule_name: 'Burst of denied calls',
      severity: 'high',
      principal_id: ALICE,
      principal_type: 'user',
      principal_name: 'alice',
    }),
    alertRow(now, {
      alert_id: ALERTS.dormant,
      ago_ms: 3 * DAY_MS,
      rule_id: 'dormant-identity',
      rule_name: 'Dormant identity active',
      severity: 'low',
    }),
    alertRow(now, { alert_id: ALERTS.old, ago_ms: 30 * DAY_MS, severity: 'medium' }),
  ];
}

function deadLetterRow(now: number, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    dedupe_key: '',
    dead_lettered_at: Math.floor((now - HOUR_MS) / 1000),
    stage: 'normalizer',
    error_code: normalizationErrorCode('missing-field'),
    error_type: 'input',
    error_message: 'eventTime is missing',
    provider: 'aws',
    reason: 'missing-field',
    field: 'eventTime',
    source_ref: 'trail.json:3',
    original_topic: 'ciem.raw.aws.cloudtrail',
    original_partition: 0,
    original_offset: 7,
    original_key: ACCOUNT,
    payload: '{}',
    payload_encoding: 'utf8',
    payload_bytes: 2,
    payload_truncated: 0,
    ...fields,
  };
}

/** Three distinct dead letters, one of them copied twice, and one outside the default window. */
export function fixtureDeadLetters(now: number): Record<string, unknown>[] {
  return [
    deadLetterRow(now, { dedupe_key: 'ciem.dlq/0/1' }),
    deadLetterRow(now, { dedupe_key: 'ciem.dlq/0/1' }),
    deadLetterRow(now, { dedupe_key: 'ciem.dlq/0/2' }),
    deadLetterRow(now, {
      dedupe_key: 'ciem.dlq/0/3',
      provider: 'azure',
      reason: 'invalid-json',
      error_code: normalizationErrorCode('invalid-json'),
      field: '',
    }),
    deadLetterRow(now, {
      dedupe_key: 'ciem.dlq/0/4',
      dead_lettered_at: Math.floor((now - 40 * DAY_MS) / 1000),
    }),
  ];
}

/** Inserts every fixture table into `database`, which must be migrated. */
export async function seedFixtures(
  clickhouse: ClickHouse,
  database: string,
  now: number,
): Promise<void> {
  await clickhouse.insert(`${database}.events`, fixtureEvents(now));
  await clickhouse.insert(`${database}.entitlements`, fixtureEntitlements(now));
  await clickhouse.insert(`${database}.recommendations`, fixtureRecommendations(now));
  await clickhouse.insert(`${database}.alerts`, fixtureAlerts(now));
  await clickhouse.insert(`${database}.dlq_events`, fixtureDeadLetters(now));
}
