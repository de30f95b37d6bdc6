import type { Alert } from '@ciem/events';
import { idempotencyKeyOf } from './idempotency.js';
import { encodeOcsfFinding } from './ocsf/encode.js';
import type { OcsfProduct } from './ocsf/encode.js';

/** Formats of an alert in a JSON payload: the Alert fields, or an OCSF Detection Finding. */
export const PAYLOAD_FORMATS = ['json', 'ocsf'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

/**
 * Returns an alert as a JSON object in `format`. The `json` format is the Avro Alert's fields
 * plus `idempotency_key`; the `ocsf` format carries the key in `metadata.uid`.
 */
export function alertPayload(
  alert: Alert,
  format: PayloadFormat,
  product: OcsfProduct,
): Record<string, unknown> {
  if (format === 'ocsf') return encodeOcsfFinding(alert, product);
  return { ...alert, idempotency_key: idempotencyKeyOf(alert) };
}
