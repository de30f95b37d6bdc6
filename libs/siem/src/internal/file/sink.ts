import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { Alert } from '@ciem/events';
import { deliveryFailed } from '../errors.js';
import type { OcsfProduct } from '../ocsf/encode.js';
import { alertPayload } from '../payload.js';
import type { PayloadFormat } from '../payload.js';
import type { RetryPolicy } from '../retry.js';
import { deliverInBatches } from '../sink.js';
import type { AlertSink } from '../sink.js';

/** Settings of a file destination: alerts appended as JSON lines. */
export interface FileSinkConfig {
  name: string;
  /** File the lines are appended to; its folder is created when missing. */
  path: string;
  format: PayloadFormat;
  batchMaxAlerts: number;
  retry: RetryPolicy;
}

/**
 * Creates a file sink: one JSON object per line (NDJSON), appended and flushed with fsync
 * before the alerts count as delivered. A retried batch can append lines twice; readers
 * dedupe by `idempotency_key` or OCSF `metadata.uid`.
 */
export function createFileSink(config: FileSinkConfig, product: OcsfProduct): AlertSink {
  const sender = {
    name: config.name,
    batchMaxAlerts: config.batchMaxAlerts,
    retry: config.retry,
    async send(alerts: readonly Alert[]): Promise<void> {
      const text = alerts
        .map((alert) => `${JSON.stringify(alertPayload(alert, config.format, product))}\n`)
        .join('');
      try {
        await mkdir(path.dirname(config.path), { recursive: true });
        const handle = await open(config.path, 'a');
        try {
          await handle.appendFile(text, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        throw deliveryFailed(
          config.name,
          `appending to ${config.path} failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
  };
  return {
    name: config.name,
    deliver: (alerts, hooks) => deliverInBatches(sender, alerts, hooks),
    close: async () => {},
  };
}
