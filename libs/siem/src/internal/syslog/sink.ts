import type { Alert } from '@ciem/events';
import { deliverInBatches } from '../sink.js';
import type { AlertSink } from '../sink.js';
import { createSyslogConnection } from './client.js';
import type { SyslogSinkConfig } from './config.js';
import { encodeSyslogMessage, frameOctetCounted } from './encode.js';

/**
 * Creates a syslog sink: RFC 5424 messages with a CEF body, framed by octet counting, over
 * TLS (RFC 5425) or plain TCP. A request of up to `batchMaxAlerts` frames goes out in one
 * write. See `createSyslogConnection` for what "delivered" means without acknowledgement.
 */
export function createSyslogSink(config: SyslogSinkConfig): AlertSink {
  const connection = createSyslogConnection(config);
  const sender = {
    name: config.name,
    batchMaxAlerts: config.batchMaxAlerts,
    retry: config.retry,
    async send(alerts: readonly Alert[]): Promise<void> {
      const frames = alerts.map((alert) => frameOctetCounted(encodeSyslogMessage(alert, config)));
      await connection.write(Buffer.concat(frames));
    },
  };
  return {
    name: config.name,
    deliver: (alerts, hooks) => deliverInBatches(sender, alerts, hooks),
    close: () => connection.close(),
  };
}
