import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { createEventWriter, toEventRow } from '@ciem/event-store';
import type { NormalizedEvent } from '@ciem/events';
import { randomName } from '@ciem/testing';

// A small event store, written through the project's own migrations and event writer, whose
// query results the suites of this folder work out by hand. The day under test is
// 2026-03-04 (UTC). Every time below is on that day unless `at` is given another day.

/** Epoch milliseconds of `hh:mm:ss` on 2026-03-04 UTC (or on another day of March 2026). */
export function at(time: string, day = 4): number {
  const [hours, minutes, seconds] = time.split(':').map(Number);
  return Date.UTC(2026, 2, day, hours, minutes, seconds);
}

/** The day under test, as the dashboards' and the API's time window. */
export const DAY = { fromMs: at('00:00:00'), toMs: at('00:00:00', 5) };

export const AWS_ACCOUNT = '111122223333';
export const AZURE_SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
export const GCP_PROJECT = 'proj-1';
export const ADMIN = `arn:aws:iam::${AWS_ACCOUNT}:role/platform-admin`;
export const DEVELOPER = `arn:aws:iam::${AWS_ACCOUNT}:user/dev`;
export const AZURE_APP = '00000000-0000-0000-0000-0000000000bb';
export const GCP_ACCOUNT = 'serviceAccount:ci@proj-1.iam.gserviceaccount.com';

interface EventSpec {
  id: string;
  timeMs: number;
  provider: 'aws' | 'azure' | 'gcp';
  principal: string;
  outcome: 'success' | 'denied' | 'failed';
  operation: string;
  permissions: string[];
  resources?: string[];
  phase?: string;
  errorCode?: string;
}

const ACCOUNTS = { aws: AWS_ACCOUNT, azure: AZURE_SUBSCRIPTION, gcp: GCP_PROJECT };
const PRINCIPALS: Record<
  string,
  { type: 'role' | 'user' | 'service_principal' | 'service_account'; name: string }
> = {
  [ADMIN]: { type: 'role', name: 'platform-admin' },
  [DEVELOPER]: { type: 'user', name: 'dev' },
  [AZURE_APP]: { type: 'service_principal', name: 'deployer' },
  [GCP_ACCOUNT]: { type: 'service_account', name: 'ci' },
};

function normalizedEvent(spec: EventSpec): NormalizedEvent {
  const principal = PRINCIPALS[spec.principal]!;
  const [service = '', operation = spec.operation] =
    spec.provider === 'aws' ? spec.operation.split(':') : ['', spec.operation];
  return {
    schema_version: 1,
    event_id: spec.id,
    provider: spec.provider,
    event_time: spec.timeMs,
    ingest_time: spec.timeMs + 5_000,
    log_type: null,
    account_id: ACCOUNTS[spec.provider],
    tenant_id: null,
    region: spec.provider === 'aws' ? 'us-east-1' : null,
    principal: { id: spec.principal, type: principal.type, name: principal.name },
    session: null,
    actor: null,
    access_key_id: null,
    mfa: null,
    action: {
      service: spec.provider === 'aws' ? service : spec.operation.split('/')[0]!,
      operation: spec.provider === 'aws' ? operation : spec.operation,
      permissions: spec.permissions,
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: null,
    category: 'management',
    resources: (spec.resources ?? []).map((id) => ({ id, type: null })),
    outcome: spec.outcome,
    error_code: spec.errorCode ?? null,
    error_message: null,
    source_ip: '198.51.100.7',
    user_agent: null,
    via_service: null,
    vpc_endpoint: null,
    phase: spec.phase ?? null,
    correlation_id: null,
    raw_ref: `fixture/${spec.id}`,
  };
}

/**
 * The events of the store. `a0` lies on the day before, outside the window. Azure writes
 * `z1` (phase Started) and `z2` (Succeeded) for one operation, and only `z2` counts as use.
 */
export const EVENTS: EventSpec[] = [
  {
    id: 'a0',
    timeMs: at('23:00:00', 3),
    provider: 'aws',
    principal: DEVELOPER,
    outcome: 'success',
    operation: 's3:ListBucket',
    permissions: ['s3:ListBucket'],
  },
  {
    id: 'a1',
    timeMs: at('10:00:00') + 250,
    provider: 'aws',
    principal: ADMIN,
    outcome: 'success',
    operation: 's3:GetObject',
    permissions: ['s3:GetObject'],
    resources: ['arn:aws:s3:::logs/a', 'arn:aws:s3:::logs/b'],
  },
  {
    id: 'a2',
    timeMs: at('10:05:00'),
    provider: 'aws',
    principal: DEVELOPER,
    outcome: 'denied',
    operation: 'iam:CreateUser',
    permissions: ['iam:CreateUser'],
    errorCode: 'AccessDenied',
  },
  {
    id: 'a3',
    timeMs: at('11:30:00'),
    provider: 'aws',
    principal: DEVELOPER,
    outcome: 'success',
    operation: 's3:ListBucket',
    permissions: ['s3:ListBucket'],
    resources: ['arn:aws:s3:::logs'],
  },
  {
    id: 'a4',
    timeMs: at('12:00:00'),
    provider: 'aws',
    principal: ADMIN,
    outcome: 'success',
    operation: 's3:CopyObject',
    permissions: ['s3:GetObject', 's3:PutObject'],
    resources: ['arn:aws:s3:::logs/c'],
  },
  {
    id: 'z1',
    timeMs: at('10:20:00'),
    provider: 'azure',
    principal: AZURE_APP,
    outcome: 'success',
    operation: 'Microsoft.Compute/virtualMachines/write',
    permissions: ['Microsoft.Compute/virtualMachines/write'],
    phase: 'Started',
  },
  {
    id: 'z2',
    timeMs: at('10:21:00'),
    provider: 'azure',
    principal: AZURE_APP,
    outcome: 'success',
    operation: 'Microsoft.Compute/virtualMachines/write',
    permissions: ['Microsoft.Compute/virtualMachines/write'],
    phase: 'Succeeded',
  },
  {
    id: 'g1',
    timeMs: at('23:59:59'),
    provider: 'gcp',
    principal: GCP_ACCOUNT,
    outcome: 'failed',
    operation: 'storage.objects.get',
    permissions: ['storage.objects.get'],
    errorCode: 'INTERNAL',
  },
];

/** Returns the `NormalizedEvent` of the event with this id, with `overrides` applied. */
export function fixtureEvent(
  id: string,
  overrides: Partial<NormalizedEvent> = {},
): NormalizedEvent {
  const spec = EVENTS.find((event) => event.id === id);
  if (spec === undefined) throw new Error(`no fixture event ${id}`);
  return { ...normalizedEvent(spec), ...overrides };
}

const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';
const DEVELOPER_POLICY = `arn:aws:iam::${AWS_ACCOUNT}:policy/dev`;

function grant(
  principal: string,
  takenAtMs: number,
  permission: string,
  admin: number,
  via: string,
) {
  return {
    provider: 'aws',
    account_id: AWS_ACCOUNT,
    taken_at_ms: takenAtMs,
    snapshot_time: Math.floor(takenAtMs / 1000),
    principal_id: principal,
    principal_type: PRINCIPALS[principal]!.type,
    principal_name: PRINCIPALS[principal]!.name,
    admin,
    permission,
    resource: '*',
    conditional: 0,
    conditions: '',
    via,
    data_action: 0,
    written_at: Math.floor(takenAtMs / 1000) + 1,
  };
}

/**
 * Two snapshots of the AWS account. Only the later one (09:00) counts: there the admin role
 * has s3:GetObject, s3:PutObject and iam:PassRole, and the developer s3:ListBucket and
 * iam:CreateUser. The earlier one (March 1st) gave the admin ec2:RunInstances.
 */
export const ENTITLEMENTS = [
  grant(ADMIN, at('09:00:00', 1), 'ec2:RunInstances', 1, ADMIN_POLICY),
  ...['s3:GetObject', 's3:PutObject', 'iam:PassRole'].map((permission) =>
    grant(ADMIN, at('09:00:00'), permission, 1, ADMIN_POLICY),
  ),
  ...['s3:ListBucket', 'iam:CreateUser'].map((permission) =>
    grant(DEVELOPER, at('09:00:00'), permission, 0, DEVELOPER_POLICY),
  ),
];

function recommendation(
  provider: 'aws' | 'azure' | 'gcp',
  principal: string,
  windowEndMs: number,
  score: number,
  unused: [string, string][],
  extra: { team?: string; kind?: string } = {},
) {
  const windowEnd = Math.floor(windowEndMs / 1000);
  return {
    provider,
    account_id: ACCOUNTS[provider],
    principal_id: principal,
    principal_type: PRINCIPALS[principal]!.type,
    principal_name: PRINCIPALS[principal]!.name,
    team: extra.team ?? '',
    status: 'active',
    window_start: windowEnd - 28 * 86_400,
    window_end: windowEnd,
    window_days: 28,
    last_activity: windowEnd - 3600,
    score,
    confidence: 0.9,
    used_count: 1,
    unused_permissions: unused.map(([permission]) => permission),
    unused_risks: unused.map(([, risk]) => risk),
    unobservable_permissions: [],
    unused_services: [],
    recommendation_kind: extra.kind ?? 'replace-policy',
    removes: unused.map(([permission]) => permission),
    recommendation: '{}',
    result: '{}',
    written_at: windowEnd + 5,
  };
}

/**
 * Right-sizing results. The developer's latest one ends at 12:00 with score 0.82; an older
 * one (06:00, score 0.95) must never show. The GCP account's ends on March 6th, outside
 * the day.
 */
export const RECOMMENDATIONS = [
  recommendation('aws', DEVELOPER, at('06:00:00'), 0.95, [['iam:PassRole', 'escalation']], {
    team: 'platform',
  }),
  recommendation(
    'aws',
    DEVELOPER,
    at('12:00:00'),
    0.82,
    [
      ['iam:CreateAccessKey', 'escalation'],
      ['s3:GetBucketTagging', 'read'],
    ],
    { team: 'platform' },
  ),
  recommendation(
    'azure',
    AZURE_APP,
    at('18:00:00'),
    0.4,
    [['Microsoft.Authorization/roleAssignments/write', 'permissions-management']],
    { kind: 'custom-role' },
  ),
  recommendation('gcp', GCP_ACCOUNT, at('12:00:00', 6), 0.7, [['storage.buckets.delete', 'write']]),
];

function alert(
  id: string,
  rule: [string, string, string],
  principal: string,
  firstSeenMs: number,
  eventCount: number,
  createdAtMs: number,
) {
  const [ruleId, ruleName, severity] = rule;
  return {
    alert_id: id,
    dedupe_key: `${ruleId}/${principal}`,
    rule_id: ruleId,
    rule_name: ruleName,
    severity,
    provider: 'aws',
    account_id: AWS_ACCOUNT,
    principal_id: principal,
    principal_type: PRINCIPALS[principal]!.type,
    principal_name: PRINCIPALS[principal]!.name,
    title: ruleName,
    description: '',
    mitre_techniques: ['T1098'],
    window_start_ms: firstSeenMs - (firstSeenMs % 3_600_000),
    first_seen_ms: firstSeenMs,
    last_seen_ms: firstSeenMs,
    first_seen: Math.floor(firstSeenMs / 1000),
    event_count: eventCount,
    evidence_event_ids: [],
    source_ips: [],
    details: '{}',
    created_at_ms: createdAtMs,
    schema_version: 1,
  };
}

const DENIED_BURST: [string, string, string] = ['denied-burst', 'Burst of denied calls', 'high'];
const LOGGING: [string, string, string] = ['logging-tampering', 'Logging tampering', 'critical'];

/**
 * Alerts. `al1` is written twice, the later version with 3 events. `al3` was first seen on
 * March 6th, outside the day.
 */
export const ALERTS = [
  alert('al1', DENIED_BURST, DEVELOPER, at('10:05:00'), 1, at('10:06:00')),
  alert('al1', DENIED_BURST, DEVELOPER, at('10:05:00'), 3, at('10:10:00')),
  alert('al2', LOGGING, ADMIN, at('12:00:00'), 1, at('12:01:00')),
  alert('al3', LOGGING, ADMIN, at('08:00:00', 6), 1, at('08:01:00', 6)),
];

function deadLetter(key: string, timeMs: number, reason: string, provider: string) {
  return {
    dedupe_key: key,
    dead_lettered_at: Math.floor(timeMs / 1000),
    stage: 'normalizer',
    error_code: 'CIEM_NORMALIZE_INVALID_RECORD',
    error_type: 'input',
    error_message: `record has a ${reason} field`,
    provider,
    reason,
    field: 'eventTime',
    source_ref: '',
    original_topic: 'ciem.raw.aws.cloudtrail',
    original_partition: 0,
    original_offset: 1,
    original_key: '',
    payload: '{}',
    payload_encoding: 'utf8',
    payload_bytes: 2,
    payload_truncated: 0,
  };
}

/** Dead-lettered records: `k1` twice (a copy), `k2` and, for GCP, `k3`. */
export const DEAD_LETTERS = [
  deadLetter('k1', at('10:00:00'), 'missing-field', 'aws'),
  deadLetter('k1', at('10:00:00'), 'missing-field', 'aws'),
  deadLetter('k2', at('11:00:00'), 'missing-field', 'aws'),
  deadLetter('k3', at('12:00:00'), 'wrong-type', 'gcp'),
];

/** A migrated database filled with the rows above, and the client bound to it. */
export interface FixtureStore {
  clickhouse: ClickHouse;
  database: string;
  close(): Promise<void>;
}

/**
 * Creates a database on the server at `url`, applies every migration with `runMigrations`,
 * writes EVENTS through the event writer of `@ciem/event-store` and inserts the other rows.
 */
export async function createFixtureStore(url: string): Promise<FixtureStore> {
  const database = randomName('ciem_modern_test');
  const clickhouse = createClickHouse({ url, database });
  // The client sends its database with every request, and a server rejects a missing one.
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });

  const writer = createEventWriter({
    client: clickhouse,
    database,
    maxRows: 100,
    maxWaitMs: 60_000,
  });
  for (const spec of EVENTS) await writer.add(toEventRow(normalizedEvent(spec)));
  await writer.close();

  await clickhouse.insert(`${database}.entitlements`, ENTITLEMENTS);
  await clickhouse.insert(`${database}.recommendations`, RECOMMENDATIONS);
  for (const version of ALERTS) await clickhouse.insert(`${database}.alerts`, [version]);
  await clickhouse.insert(`${database}.dlq_events`, DEAD_LETTERS);

  return {
    clickhouse,
    database,
    async close() {
      await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
      await clickhouse.close();
    },
  };
}
