import type { Alert } from '@ciem/events';

/** Returns a valid alert with `overrides` applied; times are fixed so tests can state them. */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    schema_version: 1,
    alert_id: '0123456789abcdef0123456789abcdef',
    dedupe_key: 'aws-defense-evasion-logging|arn:aws:iam::111122223333:user/alice|trail',
    rule_id: 'aws-defense-evasion-logging',
    rule_name: 'CloudTrail logging stopped',
    severity: 'high',
    provider: 'aws',
    account_id: '111122223333',
    principal_id: 'arn:aws:iam::111122223333:user/alice',
    principal_type: 'user',
    principal_name: 'alice',
    title: 'alice stopped CloudTrail logging',
    description: 'StopLogging was called on trail management-events.',
    mitre_techniques: ['T1562.008'],
    window_start: Date.UTC(2026, 0, 2, 3, 0, 0),
    first_seen: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
    last_seen: Date.UTC(2026, 0, 2, 3, 14, 5, 6),
    event_count: 2,
    evidence_event_ids: ['e1', 'e2'],
    source_ips: ['203.0.113.7'],
    details: { trail: 'management-events' },
    created_at: Date.UTC(2026, 0, 2, 3, 15, 0, 0),
    ...overrides,
  };
}
