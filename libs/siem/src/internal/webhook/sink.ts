import type { Alert } from '@ciem/events';
import { idempotencyKeyOf } from '../idempotency.js';
import type { OcsfProduct } from '../ocsf/encode.js';
import { deliverInBatches } from '../sink.js';
import type { AlertSink } from '../sink.js';
import { postWebhookBody } from './client.js';
import type { WebhookSinkConfig } from './config.js';
import { encodeWebhookBody } from './encode.js';

/**
 * Creates a webhook sink: one POST per alert with a JSON body, an HMAC-SHA256 signature
 * (`X-Ciem-Signature`, see `signWebhookBody`) and an `Idempotency-Key` header. An alert
 * counts as delivered on a 2xx status.
 */
export function createWebhookSink(
  config: WebhookSinkConfig,
  product: OcsfProduct,
  nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
): AlertSink {
  const sender = {
    name: config.name,
    batchMaxAlerts: 1,
    retry: config.retry,
    async send(alerts: readonly Alert[]): Promise<void> {
      for (const alert of alerts) {
        const body = encodeWebhookBody(alert, config.format, product);
        await postWebhookBody(config, body, idempotencyKeyOf(alert), nowSeconds);
      }
    },
  };
  return {
    name: config.name,
    deliver: (alerts, hooks) => deliverInBatches(sender, alerts, hooks),
    close: async () => {},
  };
}
