import type { Alert } from '@ciem/events';

/** Columns of the `alerts` table (schemas/clickhouse/0006_alerts.sql), in order. */
export const ALERT_COLUMNS = [
  'alert_id',
  'dedupe_key',
  'rule_id',
  'rule_name',
  'severity',
  'provider',
  'account_id',
  'principal_id',
  'principal_type',
  'principal_name',
  'title',
  'description',
  'mitre_techniques',
  'window_start_ms',
  'first_seen_ms',
  'last_seen_ms',
  'first_seen',
  'event_count',
  'evidence_event_ids',
  'source_ips',
  'details',
  'created_at_ms',
  'schema_version',
] as const;

/** Maps an alert to its `alerts` row; `first_seen` is whole seconds for the DateTime column. */
export function toAlertRow(alert: Alert): Record<(typeof ALERT_COLUMNS)[number], unknown> {
  return {
    alert_id: alert.alert_id,
    dedupe_key: alert.dedupe_key,
    rule_id: alert.rule_id,
    rule_name: alert.rule_name,
    severity: alert.severity,
    provider: alert.provider,
    account_id: alert.account_id,
    principal_id: alert.principal_id,
    principal_type: alert.principal_type,
    principal_name: alert.principal_name ?? '',
    title: alert.title,
    description: alert.description,
    mitre_techniques: alert.mitre_techniques,
    window_start_ms: alert.window_start,
    first_seen_ms: alert.first_seen,
    last_seen_ms: alert.last_seen,
    first_seen: Math.floor(alert.first_seen / 1000),
    event_count: alert.event_count,
    evidence_event_ids: alert.evidence_event_ids,
    source_ips: alert.source_ips,
    details: JSON.stringify(alert.details),
    created_at_ms: alert.created_at,
    schema_version: alert.schema_version,
  };
}
