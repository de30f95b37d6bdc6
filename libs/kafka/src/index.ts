/**
 * Kafka adapter of the platform. The rest of the code uses only these types, never the
 * client library behind them (kafkajs 2.2), so the client can be replaced.
 *
 * Contract: producers are idempotent and write with acks=all; consumers commit offsets only
 * after their batch handler resolves (at-least-once); dead-lettered records keep their bytes
 * and carry the error and original position in headers; topics are created from
 * configuration, never on first use. Checked against Apache Kafka 4.1 (KRaft, one node).
 */
export { createKafkaClient } from './internal/client.js';
export type { KafkaClient, KafkaClientOptions } from './internal/client.js';
export {
  KAFKA_SASL_MECHANISMS,
  kafkaSecurityOptions,
  kafkaSecuritySettings,
} from './internal/security-settings.js';
export type { KafkaSecurityValues } from './internal/security-settings.js';
export type { KafkaProducer, ProducerOptions } from './internal/producer.js';
export type {
  BatchControl,
  BatchHandler,
  ConsumerOptions,
  RunningConsumer,
} from './internal/consumer.js';
export type { KafkaAdmin, NewTopic, TopicDescription } from './internal/admin.js';
export { DEFAULT_LAG_INTERVAL_MS } from './internal/lag-reporter.js';
export { kafkaConsumerSettings } from './internal/consumer-settings.js';
export {
  kafkaConnectionSettings,
  kafkaTopicCreationSettings,
} from './internal/connection-settings.js';
export type { LagListener } from './internal/lag-reporter.js';
export {
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_MESSAGE_MAX_CHARS,
  buildDeadLetterHeaders,
  publishToDeadLetter,
} from './internal/dead-letter.js';
export type { DeadLetter, DeadLetterOriginal } from './internal/dead-letter.js';
export {
  TOPICS,
  defaultTopicSpecs,
  ensureKafkaTopics,
  ensureTopics,
  topicNames,
} from './internal/topics.js';
export type {
  EnsureTopicsReport,
  TopicKey,
  TopicMismatch,
  TopicNames,
  TopicSpec,
} from './internal/topics.js';
export { computeBackoffMs, defaultBackoff } from './internal/backoff.js';
export { sendInBatches } from './internal/send-in-batches.js';
export type { BackoffOptions } from './internal/backoff.js';
export { KafkaErrorCodes } from './internal/errors.js';
export type { KafkaErrorCode } from './internal/errors.js';
export type { KafkaLogLevel } from './internal/logger.js';
export type {
  HeaderValue,
  KafkaLogger,
  MessageHeaders,
  OutgoingMessage,
  PartitionAck,
  PartitionLag,
  ReceivedBatch,
  ReceivedMessage,
  SaslOptions,
  SslOptions,
} from './internal/types.js';
