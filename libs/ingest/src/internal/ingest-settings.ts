import { setting } from '@ciem/config';
import { kafkaSecuritySettings } from '@ciem/kafka';

/**
 * Settings every ingest service includes in its schema (`{ ...serviceSettings,
 * ...ingestSettings, ...own }`): the Kafka connection with its TLS and SASL settings, the
 * topic prefix, the publisher's batch and in-flight limits and the checkpoint folder.
 */
export const ingestSettings = {
  kafkaBrokers: setting.list({
    env: 'CIEM_KAFKA_BROKERS',
    description: 'Kafka bootstrap servers as comma-separated `host:port`.',
    default: ['127.0.0.1:9092'],
    minItems: 1,
  }),
  ...kafkaSecuritySettings,
  kafkaTopicPrefix: setting.string({
    env: 'CIEM_KAFKA_TOPIC_PREFIX',
    description: 'Prefix of every topic name, such as `staging.`; empty for none.',
    default: '',
    nonEmpty: false,
  }),
  kafkaCreateTopics: setting.boolean({
    env: 'CIEM_KAFKA_TOPICS_CREATE_ENABLED',
    description:
      'Creates the raw and dead-letter topics at start when missing; leave it off when an operator manages topics.',
    default: false,
  }),
  kafkaTopicPartitions: setting.integer({
    env: 'CIEM_KAFKA_TOPICS_PARTITIONS',
    description: 'Partitions of topics created at start.',
    default: 6,
    min: 1,
    unit: 'partitions',
  }),
  kafkaReplicationFactor: setting.integer({
    env: 'CIEM_KAFKA_TOPICS_REPLICATION_FACTOR',
    description: 'Replication factor of topics created at start.',
    default: 1,
    min: 1,
    unit: 'replicas',
  }),
  batchMaxRecords: setting.integer({
    env: 'CIEM_INGEST_BATCH_MAX_RECORDS',
    description: 'Most records in one Kafka send.',
    default: 500,
    min: 1,
    unit: 'records',
  }),
  batchMaxBytes: setting.integer({
    env: 'CIEM_INGEST_BATCH_MAX_BYTES',
    description: 'Most record bytes in one Kafka send.',
    default: 1_048_576,
    min: 1,
    unit: 'bytes',
  }),
  inFlightMaxRecords: setting.integer({
    env: 'CIEM_INGEST_IN_FLIGHT_MAX_RECORDS',
    description:
      'Most records sent to Kafka and not yet acknowledged; reading waits beyond it (backpressure).',
    default: 5_000,
    min: 1,
    unit: 'records',
  }),
  inFlightMaxBytes: setting.integer({
    env: 'CIEM_INGEST_IN_FLIGHT_MAX_BYTES',
    description:
      'Most record bytes sent to Kafka and not yet acknowledged; reading waits beyond it (backpressure).',
    default: 16_777_216,
    min: 1,
    unit: 'bytes',
  }),
  checkpointDir: setting.string({
    env: 'CIEM_INGEST_CHECKPOINT_DIR',
    description:
      'Folder of the durable checkpoints of pollers, consumers, and file and S3 backfills; relative paths start at the working directory.',
    default: '.var/ingest/checkpoints',
  }),
};
