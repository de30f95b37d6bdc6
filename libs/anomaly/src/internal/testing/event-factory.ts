import type { NormalizedEvent } from '@ciem/events';

/** Fixed start of every scenario: Monday 2024-03-04 00:00 UTC. */
export const T0 = Date.UTC(2024, 2, 4);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let counter = 0;

/** Builds a NormalizedEvent for scenario tests; fields not given describe a plain AWS read. */
export function makeEvent(
  overrides: Partial<Omit<NormalizedEvent, 'principal' | 'action'>> & {
    principal?: Partial<NormalizedEvent['principal']>;
    action?: Partial<NormalizedEvent['action']>;
  } = {},
): NormalizedEvent {
  counter++;
  const { principal, action, ...rest } = overrides;
  return {
    schema_version: 1,
    event_id: `evt-${counter}`,
    provider: 'aws',
    event_time: T0,
    ingest_time: T0,
    log_type: 'AwsApiCall',
    account_id: '111122223333',
    tenant_id: null,
    region: 'us-east-1',
    principal: {
      id: 'arn:aws:iam::111122223333:user/alice',
      type: 'user',
      name: 'alice',
      ...principal,
    },
    session: null,
    actor: null,
    access_key_id: null,
    mfa: null,
    action: {
      service: 's3',
      operation: 'ListBuckets',
      permissions: ['s3:ListAllMyBuckets'],
      mapping: 'mapped',
      visibility: 'logged',
      ...action,
    },
    read_only: true,
    category: 'management',
    resources: [],
    outcome: 'success',
    error_code: null,
    error_message: null,
    source_ip: '203.0.113.10',
    user_agent: 'aws-cli/2.15.0',
    via_service: null,
    vpc_endpoint: null,
    phase: null,
    correlation_id: null,
    raw_ref: `test:${counter}`,
    ...rest,
  };
}

/**
 * Builds a benign baseline: `days` days of `perDay` calls spread over working hours, cycling
 * through `permissions`, from one office address.
 */
export function baseline(
  principal: Partial<NormalizedEvent['principal']>,
  permissions: readonly string[],
  options: {
    days?: number;
    perDay?: number;
    provider?: NormalizedEvent['provider'];
    sourceIp?: string;
  } = {},
): NormalizedEvent[] {
  const days = options.days ?? 14;
  const perDay = options.perDay ?? 20;
  const events: NormalizedEvent[] = [];
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < perDay; i++) {
      const permission = permissions[(day * perDay + i) % permissions.length] as string;
      events.push(
        makeEvent({
          provider: options.provider ?? 'aws',
          principal,
          event_time: T0 + day * DAY + 9 * HOUR + Math.floor((i * 8 * HOUR) / perDay),
          action: {
            operation: permission.split(/[:/.]/).pop() ?? permission,
            permissions: [permission],
          },
          source_ip: options.sourceIp ?? '203.0.113.10',
        }),
      );
    }
  }
  return events;
}
