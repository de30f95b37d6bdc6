import type { Alert } from '@ciem/events';
import { batchIdempotencyKey } from '../idempotency.js';
import type { OcsfProduct } from '../ocsf/encode.js';
import { deliverInBatches } from '../sink.js';
import type { AlertSink } from '../sink.js';
import { postHecBody } from './client.js';
import type { HecSinkConfig } from './config.js';
import { encodeHecEvents } from './encode.js';

/**
 * Creates a Splunk HEC sink. Contract: a request of up to `batchMaxAlerts` alerts counts as
 * delivered when HEC returns 200 with code 0. The tests use a local HEC-compatible receiver,
 * not a Splunk server.
 *
 * NOTE: with indexer acknowledgement on, HEC returns an `ackId` after the event is received
 * but before it is indexed. The sink sends the channel header but does not poll
 * `/services/collector/ack`, so an indexer failure after the 200 loses the alert.
 */
export function createHecSink(config: HecSinkConfig, product: OcsfProduct): AlertSink {
  const sender = {
    name: config.name,
    batchMaxAlerts: config.batchMaxAlerts,
    retry: config.retry,
    async send(alerts: readonly Alert[]): Promise<void> {
      const body = encodeHecEvents(alerts, config, product);
      await postHecBody(config, body, batchIdempotencyKey(alerts));
    },
  };
  return {
    name: config.name,
    deliver: (alerts, hooks) => deliverInBatches(sender, alerts, hooks),
    close: async () => {},
  };
}
