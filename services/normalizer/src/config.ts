import { setting } from '@ciem/config';
import { kafkaConsumerSettings, kafkaSecuritySettings } from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the normalizer service: the shared service settings plus its own. */
export const normalizerSchema = {
  ...serviceSettings,
  kafkaBrokers: setting.list({
    env: 'CIEM_KAFKA_BROKERS',
    description: 'Kafka bootstrap servers as comma-separated `host:port`.',
    default: ['127.0.0.1:9092'],
    minItems: 1,
  }),
  ...kafkaSecuritySettings,
  topicPrefix: setting.string({
    env: 'CIEM_KAFKA_TOPIC_PREFIX',
    description: 'Put in front of every topic name, such as `staging.` for `staging.ciem.dlq`.',
    default: '',
    nonEmpty: false,
  }),
  groupId: setting.string({
    env: 'CIEM_NORMALIZER_GROUP_ID',
    description: 'Consumer group of the raw topics; instances in one group share the partitions.',
    default: 'ciem-normalizer',
  }),
  ...kafkaConsumerSettings,
  topicsCreate: setting.boolean({
    env: 'CIEM_KAFKA_TOPICS_CREATE_ENABLED',
    description:
      'Creates the missing platform topics at start; existing topics are compared, never changed.',
    default: true,
  }),
  topicPartitions: setting.integer({
    env: 'CIEM_KAFKA_TOPICS_PARTITIONS',
    description: 'Partitions of the topics created at start.',
    default: 6,
    min: 1,
    unit: 'partitions',
  }),
  topicReplicationFactor: setting.integer({
    env: 'CIEM_KAFKA_TOPICS_REPLICATION_FACTOR',
    description: 'Replicas of each partition of the topics created at start.',
    default: 1,
    min: 1,
    unit: 'replicas',
  }),
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
  clickhouseUrl: setting.url({
    env: 'CIEM_CLICKHOUSE_URL',
    description: 'ClickHouse HTTP endpoint.',
    default: 'http://127.0.0.1:8123',
  }),
  clickhouseDatabase: setting.string({
    env: 'CIEM_CLICKHOUSE_DATABASE',
    description: 'ClickHouse database of the `events` and `dlq_events` tables.',
    default: 'ciem',
  }),
  clickhouseUser: setting.string({
    env: 'CIEM_CLICKHOUSE_USER',
    description: 'ClickHouse user.',
    default: 'default',
  }),
  clickhousePassword: setting.string({
    env: 'CIEM_CLICKHOUSE_PASSWORD',
    description: 'ClickHouse password.',
    secret: true,
    optional: true,
    nonEmpty: false,
  }),
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
