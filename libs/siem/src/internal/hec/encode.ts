import type { Alert } from '@ciem/events';
import { alertPayload } from '../payload.js';
import type { OcsfProduct } from '../ocsf/encode.js';
import type { HecSinkConfig } from './config.js';

/**
 * Encodes alerts as one HEC request body: JSON event objects concatenated without a
 * separator, as `/services/collector/event` accepts them. `time`, which Splunk indexes as
 * the event's `_time`, is the alert's `created_at` in epoch seconds with milliseconds,
 * because the event is the alert version the detector produced then. Syslog TIMESTAMP and
 * OCSF `time` carry the same time. The span of the cloud activity stays in the payload
 * (`first_seen` and `last_seen`).
 */
export function encodeHecEvents(
  alerts: readonly Alert[],
  config: Pick<HecSinkConfig, 'format' | 'host' | 'source' | 'sourcetype' | 'index'>,
  product: OcsfProduct,
): string {
  return alerts
    .map((alert) =>
      JSON.stringify({
        time: alert.created_at / 1000,
        host: config.host,
        source: config.source,
        sourcetype: config.sourcetype,
        ...(config.index === undefined ? {} : { index: config.index }),
        event: alertPayload(alert, config.format, product),
      }),
    )
    .join('');
}
