import { createHash } from 'node:crypto';
import type { Alert } from '@ciem/events';

/**
 * Returns the idempotency key of one version of an alert: `<alert_id>.<event_count>`. The
 * detector writes the same `alert_id` again with a higher `event_count` while its window is
 * open, so `alert_id` alone would make a SIEM drop those updates as repeats. A redelivery of
 * the same Kafka message gets the same key.
 */
export function idempotencyKeyOf(alert: Alert): string {
  return `${alert.alert_id}.${alert.event_count}`;
}

/**
 * Returns the `Idempotency-Key` header of a request carrying several alerts: the key itself
 * for one alert, otherwise `batch-` and the first 32 hex characters of SHA-256 over the keys
 * joined by newlines, so a retried batch sends the same header.
 */
export function batchIdempotencyKey(alerts: readonly Alert[]): string {
  if (alerts.length === 1) return idempotencyKeyOf(alerts[0]!);
  const hash = createHash('sha256');
  for (const alert of alerts) hash.update(`${idempotencyKeyOf(alert)}\n`);
  return `batch-${hash.digest('hex').slice(0, 32)}`;
}
