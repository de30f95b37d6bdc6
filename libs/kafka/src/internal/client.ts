import { Kafka } from './kafkajs.js';
import type { Admin, KafkaConfig } from 'kafkajs';
import { createAdmin, fetchLagWith } from './admin.js';
import type { KafkaAdmin } from './admin.js';
import { runConsumer } from './consumer.js';
import type { ConsumerOptions, RunningConsumer } from './consumer.js';
import { invalidOption } from './errors.js';
import { createLogCreator, stderrLogger, toKafkajsLevel } from './logger.js';
import type { KafkaLogLevel } from './logger.js';
import { createProducer } from './producer.js';
import type { KafkaProducer, ProducerOptions } from './producer.js';
import type {
  KafkaLogger,
  MessageHeaders,
  PartitionLag,
  SaslOptions,
  SslOptions,
} from './types.js';

/** Settings of a Kafka client. Times in milliseconds. */
export interface KafkaClientOptions {
  /** Bootstrap servers as `host:port`. */
  brokers: readonly string[];
  /** Client id sent to the brokers; shows in broker logs and quotas. */
  clientId: string;
  /** Receives this library's and the Kafka client's log lines. Default: warnings and errors on stderr. */
  logger?: KafkaLogger;
  /** Minimum level of the Kafka client's own log lines passed to `logger` (default `info`). */
  logLevel?: KafkaLogLevel;
  ssl?: SslOptions;
  sasl?: SaslOptions;
  /** Time allowed for a TCP connection to a broker. */
  connectionTimeoutMs?: number;
  /** Time allowed for a broker to respond to a request. */
  requestTimeoutMs?: number;
  /**
   * Called with a copy of every outgoing message's headers before it is sent; returns the
   * headers to send. This is where tracing adds its context. Default: headers unchanged.
   */
  injectHeaders?: (headers: MessageHeaders) => MessageHeaders;
}

/** Entry point to Kafka: creates producers, consumers and admin clients sharing one configuration. */
export interface KafkaClient {
  /** Creates and connects an idempotent acks=all producer. */
  createProducer(options?: ProducerOptions): Promise<KafkaProducer>;
  /** Joins a consumer group and starts handling batches (see `ConsumerOptions`). */
  runConsumer(options: ConsumerOptions): Promise<RunningConsumer>;
  /** Creates and connects an admin client for topic administration. */
  createAdmin(): Promise<KafkaAdmin>;
  /** Returns the lag of `groupId` on every partition of `topic`. */
  fetchLag(groupId: string, topic: string): Promise<PartitionLag[]>;
  /** Disconnects the admin client this client keeps for lag queries. Producers and consumers are stopped on their own. */
  close(): Promise<void>;
  readonly logger: KafkaLogger;
}

const brokerAddress = /^[^\s:]+:\d{1,5}$/;

/**
 * Creates a Kafka client. Nothing connects until a producer, consumer or admin is created.
 * Throws `ConfigError` `CIEM_KAFKA_INVALID_OPTION` for invalid options.
 */
export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
    throw invalidOption('brokers', 'a non-empty array of host:port strings', options.brokers);
  }
  for (const broker of options.brokers) {
    if (typeof broker !== 'string' || !brokerAddress.test(broker)) {
      throw invalidOption('brokers', 'host:port strings such as 127.0.0.1:9092', broker);
    }
  }
  if (typeof options.clientId !== 'string' || options.clientId.length === 0) {
    throw invalidOption('clientId', 'a non-empty string', options.clientId);
  }

  const logger = options.logger ?? stderrLogger;
  const config: KafkaConfig = {
    brokers: [...options.brokers],
    clientId: options.clientId,
    logLevel: toKafkajsLevel(options.logLevel ?? 'info'),
    logCreator: createLogCreator(logger),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl as KafkaConfig['ssl'] }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
  };
  const kafka = new Kafka(config);
  const injectHeaders = options.injectHeaders ?? ((headers: MessageHeaders) => headers);

  let sharedAdmin: Promise<Admin> | undefined;
  const admin = (): Promise<Admin> => {
    sharedAdmin ??= (async () => {
      const created = kafka.admin();
      await created.connect();
      return created;
    })();
    // A failed connection is not kept, so the next call tries again.
    sharedAdmin.catch(() => {
      sharedAdmin = undefined;
    });
    return sharedAdmin;
  };

  return {
    logger,
    createProducer: (producerOptions) =>
      createProducer({ kafka, logger, injectHeaders }, producerOptions),
    runConsumer: (consumerOptions) => runConsumer({ kafka, logger, admin }, consumerOptions),
    createAdmin: () => createAdmin(kafka.admin(), logger),
    fetchLag: async (groupId, topic) => fetchLagWith(await admin(), groupId, topic),
    close: async () => {
      const pending = sharedAdmin;
      sharedAdmin = undefined;
      if (pending) await (await pending.catch(() => undefined))?.disconnect();
    },
  };
}
