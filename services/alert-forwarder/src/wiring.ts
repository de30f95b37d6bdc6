import type { ConfigValues } from '@ciem/config';
import {
  createKafkaClient,
  defaultTopicSpecs,
  ensureKafkaTopics,
  kafkaSecurityOptions,
  topicNames,
} from '@ciem/kafka';
import type { KafkaClient } from '@ciem/kafka';
import type { Stage } from '@ciem/runtime';
import type { DestinationsConfig } from '@ciem/siem';
import { FORWARDER_STAGE, createAlertForwarderStage, describeDestination } from '@ciem/siem';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { stageLogger } from '@ciem/telemetry';
import type { forwarderSchema } from './config.js';

/** Values of the alert-forwarder's configuration. */
export type ForwarderConfig = ConfigValues<typeof forwarderSchema>;

/**
 * Builds the alert-forwarder's stage. Its `start` creates the alerts and dead-letter topics
 * when configured, then joins the group; its `stop` also closes the Kafka client.
 */
export function wireForwarder(
  config: ForwarderConfig,
  destinations: DestinationsConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry },
): Stage {
  const logger = stageLogger(telemetry.logger, FORWARDER_STAGE);
  const kafka: KafkaClient = createKafkaClient({
    brokers: config.kafkaBrokers,
    clientId: 'ciem-alert-forwarder',
    ...kafkaSecurityOptions(config),
    logger: logger.child({ component: 'kafka' }),
  });
  const topics = topicNames(config.topicPrefix);
  const stage = createAlertForwarderStage({
    kafka,
    alertsTopic: topics.alerts,
    deadLetterTopic: topics.deadLetter,
    groupId: config.groupId,
    destinations,
    logger,
    registry: telemetry.metrics,
    sessionTimeoutMs: config.sessionTimeoutMs,
    lagIntervalMs: config.lagIntervalMs,
  });

  return {
    name: stage.name,
    async start(context) {
      logger.info(
        { destinations: destinations.destinations.map(describeDestination) },
        'alert destinations loaded',
      );
      if (config.topicsCreate) {
        const wanted = new Set([topics.alerts, topics.deadLetter]);
        await ensureKafkaTopics(
          kafka,
          defaultTopicSpecs({
            prefix: config.topicPrefix,
            partitions: config.topicPartitions,
            replicationFactor: config.topicReplicationFactor,
          }).filter((spec) => wanted.has(spec.name)),
        );
      }
      await stage.start(context);
    },
    async stop() {
      try {
        await stage.stop();
      } finally {
        await kafka.close();
      }
    },
    health: () => stage.health(),
  };
}
