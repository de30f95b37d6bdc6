import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import {
  METRIC_LABEL_NAMES,
  METRIC_NAME_PATTERN,
  errorClassOf,
  metricStagePart,
  stageMetricNames,
} from './metric-names.js';
import { createMetrics, stageMetrics } from './metrics.js';
import { captureLines } from './test-log-capture.js';

describe('metric names', () => {
  it('put the stage in the name', () => {
    expect(stageMetricNames('normalizer')).toEqual({
      recordsIn: 'ciem_normalizer_records_in_total',
      recordsOut: 'ciem_normalizer_records_out_total',
      recordsDeadLettered: 'ciem_normalizer_records_dead_lettered_total',
      errors: 'ciem_normalizer_errors_total',
      batchDuration: 'ciem_normalizer_batch_duration_seconds',
      consumerLag: 'ciem_normalizer_consumer_lag_records',
    });
  });

  it('sanitize dashes in stage names', () => {
    expect(metricStagePart('ingest-aws')).toBe('ingest_aws');
    expect(metricStagePart('Alert--Forwarder')).toBe('alert_forwarder');
    expect(stageMetricNames('ingest-azure-eventhub').recordsIn).toBe(
      'ciem_ingest_azure_eventhub_records_in_total',
    );
  });

  it('reject a stage without letters', () => {
    expect(() => metricStagePart('--')).toThrow(TypeError);
  });

  it('match the documented pattern', () => {
    for (const name of Object.values(stageMetricNames('analyzer-anomaly'))) {
      expect(name).toMatch(METRIC_NAME_PATTERN);
    }
    expect('ciem_stage_errors').not.toMatch(METRIC_NAME_PATTERN);
    expect('ciem_Normalizer_errors_total').not.toMatch(METRIC_NAME_PATTERN);
  });

  it('map unknown error classes to internal', () => {
    expect(errorClassOf('input')).toBe('input');
    expect(errorClassOf('rejected')).toBe('rejected');
    expect(errorClassOf('TypeError')).toBe('internal');
  });
});

describe('stageMetrics', () => {
  it('exposes counters in Prometheus text', async () => {
    const registry = createMetrics({ service: 'normalizer', defaultMetrics: false });
    const metrics = stageMetrics(registry, 'normalizer');
    metrics.countReceived(5, { provider: 'aws', topic: 'ciem.raw.aws.cloudtrail' });
    metrics.countSent(3, { provider: 'aws', topic: 'ciem.events.normalized' });
    metrics.countDeadLettered(2, { provider: 'aws', topic: 'ciem.dlq' });
    metrics.countError('input', { provider: 'aws' });
    metrics.countError('no-such-class');
    metrics.observeBatchDuration(0.2);

    const text = await registry.metrics();
    expect(text).toContain(
      'ciem_normalizer_records_in_total{provider="aws",topic="ciem.raw.aws.cloudtrail"} 5',
    );
    expect(text).toContain(
      'ciem_normalizer_records_out_total{provider="aws",topic="ciem.events.normalized"} 3',
    );
    expect(text).toContain(
      'ciem_normalizer_records_dead_lettered_total{provider="aws",topic="ciem.dlq"} 2',
    );
    expect(text).toContain('ciem_normalizer_errors_total{provider="aws",class="input"} 1');
    expect(text).toContain('ciem_normalizer_errors_total{class="internal"} 1');
    expect(text).toContain('ciem_normalizer_batch_duration_seconds_bucket{le="0.25"} 1');
    expect(text).toContain('ciem_normalizer_batch_duration_seconds_count 1');
  });

  it('keeps stages apart by name', async () => {
    const registry = createMetrics({ defaultMetrics: false });
    stageMetrics(registry, 'ingest-aws').countReceived(1);
    stageMetrics(registry, 'normalizer').countReceived(4);
    stageMetrics(registry, 'normalizer').countReceived(2);
    const text = await registry.metrics();
    expect(text).toContain('ciem_ingest_aws_records_in_total 1');
    expect(text).toContain('ciem_normalizer_records_in_total 6');
  });

  it('sets consumer lag per partition', async () => {
    const registry = createMetrics({ defaultMetrics: false });
    const metrics = stageMetrics(registry, 'normalizer');
    metrics.setConsumerLag('ciem-normalizer', [
      { topic: 'ciem.raw.aws.cloudtrail', partition: 0, lag: 7 },
      { topic: 'ciem.raw.aws.cloudtrail', partition: 1, lag: 0 },
    ]);
    metrics.setConsumerLag('ciem-normalizer', [
      { topic: 'ciem.raw.aws.cloudtrail', partition: 0, lag: 3 },
    ]);
    const text = await registry.metrics();
    expect(text).toContain(
      'ciem_normalizer_consumer_lag_records{topic="ciem.raw.aws.cloudtrail",partition="0",group="ciem-normalizer"} 3',
    );
    expect(text).toContain(
      'ciem_normalizer_consumer_lag_records{topic="ciem.raw.aws.cloudtrail",partition="1",group="ciem-normalizer"} 0',
    );
  });

  it('uses only the fixed labels', async () => {
    const registry = createMetrics({ defaultMetrics: false });
    stageMetrics(registry, 'normalizer');
    const allowed = new Set<string>(METRIC_LABEL_NAMES);
    const described = await registry.getMetricsAsJSON();
    expect(described.length).toBe(6);
    for (const metric of described) {
      expect(metric.name).toMatch(METRIC_NAME_PATTERN);
      const labelNames = (metric as unknown as { labelNames?: string[] }).labelNames;
      for (const name of labelNames ?? []) expect(allowed.has(name)).toBe(true);
    }
  });

  it('logs a failed update instead of throwing', () => {
    const { stream, lines } = captureLines();
    const registry = createMetrics({ defaultMetrics: false });
    const metrics = stageMetrics(registry, 'normalizer', {
      logger: createLogger({ service: 's', destination: stream }),
    });
    expect(() => metrics.countSent(-1)).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      stage: 'normalizer',
      metric: 'ciem_normalizer_records_out_total',
      msg: 'metric update failed',
    });
  });

  it('times a batch', () => {
    const registry = createMetrics({ defaultMetrics: false });
    const stop = stageMetrics(registry, 'normalizer').startBatchTimer({ phase: 'write' });
    const seconds = stop();
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(seconds).toBeLessThan(5);
  });
});

describe('createMetrics', () => {
  it('registers default process metrics', async () => {
    const text = await createMetrics({ service: 'normalizer' }).metrics();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
