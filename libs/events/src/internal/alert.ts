import avro from 'avsc';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * TypeScript mirror of `schemas/avro/alert.avsc`. Field names are the Avro and ClickHouse
 * names (snake_case). Times are epoch milliseconds UTC.
 */

/** Alert severities, lowest first. */
export const ALERT_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** One of {@link ALERT_SEVERITIES}. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The version of `alert.avsc` this code writes into `schema_version`. */
export const ALERT_SCHEMA_VERSION = 1;

/** Maximum length of {@link Alert.evidence_event_ids}. */
export const ALERT_MAX_EVIDENCE_EVENTS = 50;

/** Maximum length of {@link Alert.source_ips}. */
export const ALERT_MAX_SOURCE_IPS = 20;

/**
 * Key of {@link Alert.details} that numbers the versions of an alert from 1, as decimal
 * text. The detector writes an alert again while its window is open, and SIEM outputs tell
 * the first version (a new finding) from later ones (updates) by it. It is a detail rather
 * than a field so that `alert.avsc` and the readers of earlier alerts stay as they are.
 * Alerts written before it existed lack it.
 */
export const ALERT_VERSION_DETAIL = 'alert_version';

/** Returns an alert's version from {@link ALERT_VERSION_DETAIL}, or undefined without one. */
export function alertVersionOf(alert: Pick<Alert, 'details'>): number | undefined {
  const version = Number(alert.details[ALERT_VERSION_DETAIL]);
  return Number.isSafeInteger(version) && version > 0 ? version : undefined;
}

/**
 * One anomaly alert about one principal. While its aggregation window is open the same
 * `alert_id` is emitted again with a higher `event_count`, so sinks upsert by `alert_id`
 * and keep the version with the highest `created_at`.
 */
export interface Alert {
  schema_version: number;
  /** Deterministic: see {@link computeAlertId}. */
  alert_id: string;
  /** `rule_id|principal_id|subject`, the Kafka message key. */
  dedupe_key: string;
  rule_id: string;
  rule_name: string;
  severity: AlertSeverity;
  provider: string;
  account_id: string;
  principal_id: string;
  principal_type: string;
  principal_name: string | null;
  title: string;
  /** Why the detector raised the alert. */
  description: string;
  /** MITRE ATT&CK technique ids such as `T1098`. */
  mitre_techniques: string[];
  window_start: number;
  first_seen: number;
  last_seen: number;
  event_count: number;
  /** At most {@link ALERT_MAX_EVIDENCE_EVENTS} ids, first events first. */
  evidence_event_ids: string[];
  /** At most {@link ALERT_MAX_SOURCE_IPS} distinct addresses. */
  source_ips: string[];
  details: Record<string, string>;
  created_at: number;
}

/**
 * Returns the deterministic alert id: the first 32 hex characters of SHA-256 over the
 * dedupe key and the window start (ms), so replaying the same events yields the same id.
 */
export function computeAlertId(dedupeKey: string, windowStart: number): string {
  return createHash('sha256').update(`${dedupeKey}\n${windowStart}`).digest('hex').slice(0, 32);
}

/** Path of the Avro schema file that is the source of truth for the alert contract. */
export const ALERT_SCHEMA_PATH = fileURLToPath(
  new URL('../../../../schemas/avro/alert.avsc', import.meta.url),
);

/** The parsed Avro schema of an Alert. */
export const alertSchema: avro.Schema = JSON.parse(
  readFileSync(ALERT_SCHEMA_PATH, 'utf8'),
) as avro.Schema;

const alertType = avro.Type.forSchema(alertSchema);

/**
 * Encodes an alert as Avro binary (no container, no schema id: the topic's schema is fixed
 * and versioned by `schema_version`). Throws a TypeError naming the invalid field paths
 * when the value does not match the schema.
 */
export function encodeAlert(alert: Alert): Buffer {
  const invalidPaths: string[] = [];
  const valid = alertType.isValid(alert, {
    errorHook: (path) => invalidPaths.push(path.join('.')),
  });
  if (!valid) {
    throw new TypeError(
      `Alert does not match the Avro schema at ${invalidPaths.join(', ')}; fix the detector that produced alert ${alert.alert_id}`,
    );
  }
  return alertType.toBuffer(alert);
}

/** Decodes Avro binary written by {@link encodeAlert}. */
export function decodeAlert(bytes: Buffer): Alert {
  return alertType.fromBuffer(bytes) as Alert;
}
