import type { Provider } from '@ciem/events';
import { createKafkaClient, ensureKafkaTopics } from '@ciem/kafka';
import type {
  KafkaClient,
  KafkaProducer,
  ProducerOptions,
  SslOptions,
  SaslOptions,
} from '@ciem/kafka';
import { injectTraceHeaders } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { createRawPublisher } from './raw-publisher.js';
import type { RawPublisher, RawPublisherOptions } from './raw-publisher.js';

/** Options of {@link openRawPublisher}. */
export interface OpenRawPublisherOptions extends Omit<
  RawPublisherOptions,
  'producer' | 'metrics' | 'logger'
> {
  brokers: readonly string[];
  /** Kafka client id, usually the service name. */
  clientId: string;
  provider: Provider;
  logger: Logger;
  metrics?: MetricsRegistry;
  ssl?: SslOptions;
  sasl?: SaslOptions;
  producer?: ProducerOptions;
  /** Creates the raw and dead-letter topics when missing, with these settings. */
  createTopics?: { partitions: number; replicationFactor: number };
}

/** A raw publisher with the Kafka client and producer it owns. */
export interface OpenedRawPublisher {
  publisher: RawPublisher;
  producer: KafkaProducer;
  client: KafkaClient;
  /** Waits for the sends in flight, then disconnects the producer and the client. Idempotent. */
  close(): Promise<void>;
}

/**
 * Connects a Kafka producer and wraps it in a raw publisher: the wiring every ingest service
 * repeats. Throws what `createKafkaClient`, `createProducer`, `ensureKafkaTopics` and
 * `createRawPublisher` throw.
 */
export async function openRawPublisher(
  options: OpenRawPublisherOptions,
): Promise<OpenedRawPublisher> {
  const client = createKafkaClient({
    brokers: options.brokers,
    clientId: options.clientId,
    logger: options.logger,
    injectHeaders: (headers) => injectTraceHeaders(headers as Record<string, string | Buffer>),
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
  });
  let producer: KafkaProducer;
  try {
    producer = await client.createProducer(options.producer);
  } catch (error) {
    await client.close();
    throw error;
  }
  let publisher: RawPublisher;
  try {
    publisher = createRawPublisher({
      ...options,
      producer,
      logger: options.logger,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    if (options.createTopics !== undefined) {
      await ensureKafkaTopics(client, [
        { name: publisher.topic, ...options.createTopics },
        { name: publisher.deadLetterTopic, ...options.createTopics },
      ]);
    }
  } catch (error) {
    await producer.disconnect();
    await client.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    publisher,
    producer,
    client,
    close() {
      closing ??= (async () => {
        await producer.disconnect();
        await client.close();
      })();
      return closing;
    },
  };
}
