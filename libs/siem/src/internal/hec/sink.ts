import type { Alert } from '@ciem/events';
import { batchIdempotencyKey } from '../idempotency.js';
import type { OcsfProduct } from '../ocsf/encode.js';
import { deliverInBatches } from '../sink.js';
import type { AlertSink } from '../sink.js';
import { postHecBody, waitForHecAck } from './client.js';
import type { HecSinkConfig } from './config.js';
import { encodeHecEvents } from './encode.js';

/**
 * Creates a Splunk HEC sink. Contract: a request of up to `batchMaxAlerts` alerts counts as
 * delivered when HEC returns 200 with code 0. The tests use a local HEC-compatible receiver,
 * not a Splunk server.
 * With `ack` set, a request counts as delivered only once `/services/collector/ack` reports
 * its `ackId` indexed. An acknowledgement that does not come in time sends the request
 * again, so the SIEM may receive it twice and dedupes by the idempotency key.
 */
export function createHecSink(config: HecSinkConfig, product: OcsfProduct): AlertSink {
  const sender = {
    name: config.name,
    batchMaxAlerts: config.batchMaxAlerts,
    retry: config.retry,
    async send(alerts: readonly Alert[]): Promise<void> {
      const body = encodeHecEvents(alerts, config, product);
      const ackId = await postHecBody(config, body, batchIdempotencyKey(alerts));
      if (config.ack && ackId !== undefined) await waitForHecAck(config, ackId);
    },
  };
  return {
    name: config.name,
    deliver: (alerts, hooks) => deliverInBatches(sender, alerts, hooks),
    close: async () => {},
  };
}
