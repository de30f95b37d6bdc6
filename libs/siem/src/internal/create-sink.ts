import type { DestinationConfig } from './destinations.js';
import { createFileSink } from './file/sink.js';
import { createHecSink } from './hec/sink.js';
import type { OcsfProduct } from './ocsf/encode.js';
import type { AlertSink } from './sink.js';
import { createSyslogSink } from './syslog/sink.js';
import { createWebhookSink } from './webhook/sink.js';

/** Creates the sink of one configured destination. Nothing connects until the first delivery. */
export function createSink(destination: DestinationConfig, product: OcsfProduct): AlertSink {
  switch (destination.type) {
    case 'hec':
      return createHecSink(destination, product);
    case 'syslog':
      return createSyslogSink(destination);
    case 'webhook':
      return createWebhookSink(destination, product);
    case 'file':
      return createFileSink(destination, product);
  }
}
