import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse } from '@ciem/clickhouse';
import type { KafkaClient, KafkaProducer, TopicNames } from '@ciem/kafka';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import { publishRawFiles } from '@ciem/pipeline';
import type { PublishReport } from '@ciem/pipeline';
import { createDeadLetterWriter } from '@ciem/event-store';
import { clickhouseUrl, kafkaBrokers, randomName } from '@ciem/testing';
import type { NormalizerProcess } from './normalizer-process.js';
import { startNormalizer } from './normalizer-process.js';

/** A normalizer child process with its own topics, group and database, and clients to check them. */
export interface PipelineContext {
  readonly prefix: string;
  readonly groupId: string;
  readonly database: string;
  readonly topics: TopicNames;
  readonly kafka: KafkaClient;
  readonly producer: KafkaProducer;
  readonly clickhouse: ClickHouse;
  normalizer: NormalizerProcess;
  /** The environment the normalizer was started with. */
  readonly env: Record<string, string>;
  /** Starts the normalizer again with the same environment (after a stop or kill). */
  restart(extraEnv?: Record<string, string>): Promise<NormalizerProcess>;
  /** Publishes files as a file backfill ingest does; ingest dead letters go to `dlq_events` too. */
  publish(files: readonly string[]): Promise<PublishReport>;
  /** Stops the normalizer, deletes the topics and the database, and closes the clients. */
  close(): Promise<void>;
}

/** Options of `startPipeline`. */
export interface PipelineOptions {
  brokers?: readonly string[];
  /** URL the normalizer uses for ClickHouse (a proxy, say); the test's own client uses the real one. */
  normalizerClickhouseUrl?: string;
  env?: Record<string, string>;
}

/** Starts a normalizer child on random topics, group and database. */
export async function startPipeline(options: PipelineOptions = {}): Promise<PipelineContext> {
  const brokers = options.brokers ?? kafkaBrokers;
  const prefix = `${randomName('e2e')}.`;
  const groupId = randomName('e2e_normalizer');
  const database = randomName('ciem_e2e');
  const topics = topicNames(prefix);
  const env = {
    CIEM_KAFKA_BROKERS: brokers.join(','),
    CIEM_KAFKA_TOPIC_PREFIX: prefix,
    CIEM_NORMALIZER_GROUP_ID: groupId,
    CIEM_CLICKHOUSE_URL: options.normalizerClickhouseUrl ?? clickhouseUrl,
    CIEM_CLICKHOUSE_DATABASE: database,
    CIEM_KAFKA_TOPICS_PARTITIONS: '3',
    CIEM_CLICKHOUSE_BATCH_MAX_WAIT_MS: '200',
    CIEM_KAFKA_SESSION_TIMEOUT_MS: '6000',
    CIEM_SHUTDOWN_TIMEOUT_MS: '20000',
    ...options.env,
  };
  const normalizer = await startNormalizer(env);
  const kafka = createKafkaClient({
    brokers,
    clientId: 'e2e-test',
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const producer = await kafka.createProducer();
  const clickhouse = createClickHouse({ url: clickhouseUrl });

  const context: PipelineContext = {
    prefix,
    groupId,
    database,
    topics,
    kafka,
    producer,
    clickhouse,
    normalizer,
    env,
    async restart(extraEnv = {}) {
      context.normalizer = await startNormalizer({ ...env, ...extraEnv });
      return context.normalizer;
    },
    async publish(files) {
      const writer = createDeadLetterWriter({
        client: clickhouse,
        database,
        maxRows: 1000,
        maxWaitMs: 200,
      });
      const report = await publishRawFiles({
        files,
        producer,
        topics,
        ingestTime: Date.now(),
        onDeadLetter: (row) => writer.add(row),
      });
      await writer.close();
      return report;
    },
    async close() {
      await context.normalizer.stop();
      await producer.disconnect();
      const admin = await kafka.createAdmin().catch(() => undefined);
      await admin?.deleteTopics(Object.values(topics)).catch(() => undefined);
      await admin?.disconnect();
      await kafka.close();
      await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
      await clickhouse.close();
    },
  };
  return context;
}
