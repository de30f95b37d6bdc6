import type { Alert } from '@ciem/events';
import { alertPayload } from '../payload.js';
import type { OcsfProduct } from '../ocsf/encode.js';
import type { HecSinkConfig } from './config.js';

/**
 * Encodes alerts as one HEC request body: JSON event objects concatenated without a
 * separator, as `/services/collector/event` accepts them. `time` is the alert's `last_seen`
 * in epoch seconds with milliseconds.
 */
export function encodeHecEvents(
  alerts: readonly Alert[],
  config: Pick<HecSinkConfig, 'format' | 'host' | 'source' | 'sourcetype' | 'index'>,
  product: OcsfProduct,
): string {
  return alerts
    .map((alert) =>
      JSON.stringify({
        time: alert.last_seen / 1000,
        host: config.host,
        source: config.source,
        sourcetype: config.sourcetype,
        ...(config.index === undefined ? {} : { index: config.index }),
        event: alertPayload(alert, config.format, product),
      }),
    )
    .join('');
}
