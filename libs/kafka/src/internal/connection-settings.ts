import { setting } from '@ciem/config';

/**
 * Returns the settings every service that talks to Kafka shares: the brokers and the topic
 * prefix. `exampleTopic` is a topic of the service, shown with the prefix in the
 * description. Each service spreads the result into its configuration schema, so the
 * variables keep one name, default and check everywhere.
 */
export function kafkaConnectionSettings(exampleTopic: string) {
  return {
    kafkaBrokers: setting.list({
      env: 'CIEM_KAFKA_BROKERS',
      description: 'Kafka bootstrap servers as comma-separated `host:port`.',
      default: ['127.0.0.1:9092'],
      minItems: 1,
    }),
    topicPrefix: setting.string({
      env: 'CIEM_KAFKA_TOPIC_PREFIX',
      description: `Put in front of every topic name, such as \`staging.\` for \`staging.${exampleTopic}\`.`,
      default: '',
      nonEmpty: false,
    }),
  };
}

/**
 * Returns the settings of the topics a service creates at start. `topics` names them in
 * the description, such as `the recommendations topic`.
 */
export function kafkaTopicCreationSettings(topics: string) {
  return {
    topicsCreate: setting.boolean({
      env: 'CIEM_KAFKA_TOPICS_CREATE_ENABLED',
      description: `Creates ${topics} at start when missing; existing topics are compared, never changed.`,
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
}
