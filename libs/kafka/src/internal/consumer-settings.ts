import { setting } from '@ciem/config';
import { DEFAULT_LAG_INTERVAL_MS } from './lag-reporter.js';

/**
 * Settings of the services that run a Kafka consumer group (the normalizer, the anomaly
 * analyzer, the alert forwarder). Each service spreads them into its configuration schema,
 * so the variables keep one name, default and range everywhere.
 */
export const kafkaConsumerSettings = {
  sessionTimeoutMs: setting.duration({
    env: 'CIEM_KAFKA_SESSION_TIMEOUT_MS',
    description:
      'Time without heartbeats after which the group drops an instance and hands its partitions to the others.',
    default: 30_000,
    min: 6_000,
    max: 300_000,
  }),
  lagIntervalMs: setting.duration({
    env: 'CIEM_KAFKA_LAG_INTERVAL_MS',
    description:
      'Interval between reads of the consumer group’s lag on each partition, exported as the consumer lag metric.',
    default: DEFAULT_LAG_INTERVAL_MS,
    min: 1_000,
    max: 3_600_000,
  }),
};
