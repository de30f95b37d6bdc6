import { setting } from '@ciem/config';
import { kafkaConsumerSettings, kafkaSecuritySettings } from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the alert-forwarder service: the shared service settings plus its own. */
export const forwarderSchema = {
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
    description: 'Put in front of every topic name, such as `staging.` for `staging.ciem.alerts`.',
    default: '',
    nonEmpty: false,
  }),
  groupId: setting.string({
    env: 'CIEM_FORWARDER_GROUP_ID',
    description: 'Consumer group of the alerts topic; instances in one group share the partitions.',
    default: 'ciem-alert-forwarder',
  }),
  destinationsFile: setting.string({
    env: 'CIEM_FORWARDER_DESTINATIONS_FILE',
    description:
      'Path of the JSON file listing the SIEM destinations, their routing rules and the variables or files holding their secrets (see "Destinations file").',
  }),
  ...kafkaConsumerSettings,
  topicsCreate: setting.boolean({
    env: 'CIEM_KAFKA_TOPICS_CREATE_ENABLED',
    description:
      'Creates the alerts and dead-letter topics at start when missing; existing topics are compared, never changed.',
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
};
