import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import {
  METRIC_LABEL_NAMES,
  METRIC_STAGE_BATCH_DURATION,
  METRIC_STAGE_DEAD_LETTERED_EVENTS,
  METRIC_STAGE_ERRORS,
  METRIC_STAGE_RECEIVED_EVENTS,
  METRIC_STAGE_SENT_EVENTS,
} from './metric-names.js';
import { createMetrics, stageMetrics } from './metrics.js';
import { captureLines } from './test-log-capture.js';

describe('metric names', () => {
  it('follow the naming convention', () => {
    expect(METRIC_STAGE_RECEIVED_EVENTS).toBe('ciem_stage_received_events_total');
    expect(METRIC_STAGE_SENT_EVENTS).toBe('ciem_stage_sent_events_total');
    expect(METRIC_STAGE_DEAD_LETTERED_EVENTS).toBe('ciem_stage_dead_lettered_events_total');
    expect(METRIC_STAGE_ERRORS).toBe('ciem_stage_errors_total');
    expect(METRIC_STAGE_BATCH_DURATION).toBe('ciem_stage_batch_duration_seconds');
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
    metrics.observeBatchDuration(0.2);

    const text = await registry.metrics();
    expect(text).toContain(
      'ciem_stage_received_events_total{provider="aws",topic="ciem.raw.aws.cloudtrail",stage="normalizer"} 5',
    );
    expect(text).toContain(
      'ciem_stage_sent_events_total{provider="aws",topic="ciem.events.normalized",stage="normalizer"} 3',
    );
    expect(text).toContain(
      'ciem_stage_dead_lettered_events_total{provider="aws",topic="ciem.dlq",stage="normalizer"} 2',
    );
    expect(text).toContain(
      'ciem_stage_errors_total{provider="aws",stage="normalizer",error_type="input"} 1',
    );
    expect(text).toContain(
      'ciem_stage_batch_duration_seconds_bucket{le="0.25",stage="normalizer"} 1',
    );
    expect(text).toContain('ciem_stage_batch_duration_seconds_count{stage="normalizer"} 1');
  });

  it('shares metrics between stages', async () => {
    const registry = createMetrics({ defaultMetrics: false });
    stageMetrics(registry, 'ingest-aws').countReceived(1);
    stageMetrics(registry, 'normalizer').countReceived(4);
    const metric = await registry.getSingleMetricAsString(METRIC_STAGE_RECEIVED_EVENTS);
    expect(metric).toContain('ciem_stage_received_events_total{stage="ingest-aws"} 1');
    expect(metric).toContain('ciem_stage_received_events_total{stage="normalizer"} 4');
  });

  it('uses only the fixed labels', async () => {
    const registry = createMetrics({ defaultMetrics: false });
    stageMetrics(registry, 'normalizer');
    const allowed = new Set<string>(METRIC_LABEL_NAMES);
    const described = await registry.getMetricsAsJSON();
    expect(described.length).toBe(5);
    for (const metric of described) {
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
      metric: 'ciem_stage_sent_events_total',
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
