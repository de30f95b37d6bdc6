import type { ClickHouse } from '@ciem/clickhouse';
import type { ConsumerOptions, KafkaClient, KafkaProducer } from '@ciem/kafka';
import { topicNames } from '@ciem/kafka';
import { createLogger, createMetrics, stageMetrics } from '@ciem/telemetry';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createNormalizerStage } from './normalizer-stage.js';

/** Returns a Kafka client whose consumers only record the options they were started with. */
function recordingKafka(started: ConsumerOptions[]): KafkaClient {
  const producer: KafkaProducer = { send: async () => [], disconnect: async () => {} };
  return {
    createProducer: async () => producer,
    runConsumer: async (options: ConsumerOptions) => {
      started.push(options);
      return { stop: async () => {}, done: new Promise<void>(() => {}), fetchLag: async () => [] };
    },
  } as unknown as KafkaClient;
}

describe('normalizer stage consumer settings', () => {
  it('passes the session timeout and lag interval to its consumer', async () => {
    const started: ConsumerOptions[] = [];
    const stage = createNormalizerStage({
      kafka: recordingKafka(started),
      topics: topicNames('unit.'),
      groupId: 'unit',
      clickhouse: { insert: async () => {} } as unknown as ClickHouse,
      database: 'unit',
      logger: createLogger({ service: 'unit', level: 'silent' }),
      metrics: stageMetrics(createMetrics({ defaultMetrics: false }), 'normalizer'),
      tracer: trace.getTracer('unit'),
      batchMaxRows: 100,
      batchMaxWaitMs: 1_000,
      maxRecordBytes: 1_048_576,
      sessionTimeoutMs: 45_000,
      lagIntervalMs: 5_000,
    });
    await stage.start({ fail: () => {} });
    expect(started).toHaveLength(1);
    expect(started[0]?.sessionTimeoutMs).toBe(45_000);
    expect(started[0]?.lagIntervalMs).toBe(5_000);
  });
});
