import { setting } from '@ciem/config';
import { clickhouseConnectionSettings } from '@ciem/clickhouse';
import {
  kafkaConnectionSettings,
  kafkaConsumerSettings,
  kafkaSecuritySettings,
  kafkaTopicCreationSettings,
} from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the normalizer service: the shared service settings plus its own. */
export const normalizerSchema = {
  ...serviceSettings,
  ...kafkaConnectionSettings('ciem.dlq'),
  ...kafkaSecuritySettings,
  groupId: setting.string({
    env: 'CIEM_NORMALIZER_GROUP_ID',
    description: 'Consumer group of the raw topics; instances in one group share the partitions.',
    default: 'ciem-normalizer',
  }),
  ...kafkaConsumerSettings,
  ...kafkaTopicCreationSettings('the platform topics'),
  maxMessageBytes: setting.integer({
    env: 'CIEM_KAFKA_RAW_MAX_MESSAGE_BYTES',
    description:
      '`max.message.bytes` of the raw topics created at start (the dead-letter topic gets 1 MiB more), so that large audit records fit.',
    default: 16_777_216,
    min: 1_048_576,
    unit: 'bytes',
  }),
  partitionsConcurrency: setting.integer({
    env: 'CIEM_NORMALIZER_PARTITIONS_CONCURRENCY',
    description:
      'Partitions normalized at the same time, each one batch at a time; while one batch waits for Kafka and ClickHouse, the others normalize.',
    default: 4,
    min: 1,
    unit: 'partitions',
  }),
  deadLetterSink: setting.boolean({
    env: 'CIEM_NORMALIZER_DLQ_SINK_ENABLED',
    description:
      'Copies the dead letters of the other stages (the ingest services, the anomaly analyzer, the alert forwarder) from the dead-letter topic into `dlq_events`; the normalizer writes its own there directly.',
    default: true,
  }),
  deadLetterSinkGroupId: setting.string({
    env: 'CIEM_NORMALIZER_DLQ_SINK_GROUP_ID',
    description:
      'Consumer group of the dead-letter sink on the dead-letter topic; by default the normalizer group followed by `.dlq-sink`.',
    optional: true,
  }),
  maxRecordBytes: setting.integer({
    env: 'CIEM_NORMALIZER_MAX_RECORD_BYTES',
    description: 'Largest raw record normalized; larger records are dead-lettered as `oversized`.',
    default: 8_388_608,
    min: 1,
    unit: 'bytes',
  }),
  ...clickhouseConnectionSettings({ tables: 'the `events` and `dlq_events` tables' }),
  batchMaxRows: setting.integer({
    env: 'CIEM_CLICKHOUSE_BATCH_MAX_ROWS',
    description: 'Rows per ClickHouse INSERT.',
    default: 10_000,
    min: 1,
    unit: 'rows',
  }),
  batchMaxWaitMs: setting.duration({
    env: 'CIEM_CLICKHOUSE_BATCH_MAX_WAIT_MS',
    description:
      'Maximum time a row waits for its INSERT; each Kafka batch is also written before its offsets are committed.',
    default: 1_000,
    min: 1,
  }),
  migrations: setting.boolean({
    env: 'CIEM_MIGRATIONS_ENABLED',
    description: 'Applies the ClickHouse migrations at start (idempotent).',
    default: true,
  }),
};
