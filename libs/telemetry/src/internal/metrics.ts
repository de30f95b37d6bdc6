import { messageOf } from '@ciem/errors';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logger.js';
import {
  BATCH_DURATION_BUCKETS,
  METRIC_STAGE_BATCH_DURATION,
  METRIC_STAGE_DEAD_LETTERED_EVENTS,
  METRIC_STAGE_ERRORS,
  METRIC_STAGE_RECEIVED_EVENTS,
  METRIC_STAGE_SENT_EVENTS,
} from './metric-names.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import { createRateLimitedLog } from './rate-limited-log.js';

/** A prom-client registry: what `/metrics` serves. */
export type MetricsRegistry = Registry;

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /**
   * Service name. It is not added as a label, because labels come only from
   * `METRIC_LABEL_NAMES` and the scrape target's `job` label already names the service.
   */
  service?: string;
  /** Registers prom-client's default process metrics (`process_cpu_seconds_total`, ...); true by default. */
  defaultMetrics?: boolean;
}

/** Creates the process's metrics registry, with the default process and Node.js metrics. */
export function createMetrics(options: MetricsOptions = {}): MetricsRegistry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/** Values of the optional labels of stage metrics; `stage` is bound by `stageMetrics`. */
export interface StageMetricLabels {
  provider?: string;
  topic?: string;
  phase?: string;
}

/** The metrics every stage emits, bound to its `stage` label. Updates never throw. */
export interface StageMetrics {
  readonly stage: string;
  /** Adds `count` to `ciem_stage_received_events_total`. */
  countReceived(count: number, labels?: StageMetricLabels): void;
  /** Adds `count` to `ciem_stage_sent_events_total`. */
  countSent(count: number, labels?: StageMetricLabels): void;
  /** Adds `count` to `ciem_stage_dead_lettered_events_total`. */
  countDeadLettered(count: number, labels?: StageMetricLabels): void;
  /** Adds one to `ciem_stage_errors_total` with `error_type` (see `errorTypeOf`). */
  countError(errorType: string, labels?: StageMetricLabels): void;
  /** Records one batch's duration in seconds in `ciem_stage_batch_duration_seconds`. */
  observeBatchDuration(seconds: number, labels?: StageMetricLabels): void;
  /** Starts timing a batch; the returned function records and returns the elapsed seconds. */
  startBatchTimer(labels?: StageMetricLabels): () => number;
}

/** Options of `stageMetrics`. */
export interface StageMetricsOptions {
  /** Where failed metric updates are logged, at most once a minute per message. */
  logger?: Logger;
}

const eventLabelNames = ['stage', 'provider', 'topic', 'phase'] as const;

function counterOf(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function histogramOf(registry: Registry): Histogram {
  const existing = registry.getSingleMetric(METRIC_STAGE_BATCH_DURATION);
  if (existing instanceof Histogram) return existing;
  return new Histogram({
    name: METRIC_STAGE_BATCH_DURATION,
    help: 'Time a stage spent on one batch, in seconds.',
    labelNames: eventLabelNames,
    buckets: [...BATCH_DURATION_BUCKETS],
    registers: [registry],
  });
}

/**
 * Returns the stage metrics of `stage`, registering them in `registry` on first use; several
 * stages share one registry and one series per label set. A failed update (a negative count,
 * say) is logged and dropped, never thrown into the batch.
 */
export function stageMetrics(
  registry: MetricsRegistry,
  stage: string,
  options: StageMetricsOptions = {},
): StageMetrics {
  const received = counterOf(
    registry,
    METRIC_STAGE_RECEIVED_EVENTS,
    'Events a stage read from its input.',
    eventLabelNames,
  );
  const sent = counterOf(
    registry,
    METRIC_STAGE_SENT_EVENTS,
    'Events a stage wrote durably to its output.',
    eventLabelNames,
  );
  const deadLettered = counterOf(
    registry,
    METRIC_STAGE_DEAD_LETTERED_EVENTS,
    'Events a stage sent to the dead-letter topic.',
    eventLabelNames,
  );
  const errors = counterOf(registry, METRIC_STAGE_ERRORS, 'Errors a stage handled, by type.', [
    ...eventLabelNames,
    'error_type',
  ]);
  const batchDuration = histogramOf(registry);

  const failureLog: RateLimitedLog | undefined =
    options.logger === undefined ? undefined : createRateLimitedLog(options.logger, 60_000);
  const safely = (metric: string, update: () => void): void => {
    try {
      update();
    } catch (error) {
      // NOTE: without a logger, a failed update is dropped silently.
      failureLog?.log({ stage, metric, error: messageOf(error) }, 'metric update failed');
    }
  };

  return {
    stage,
    countReceived(count, labels = {}) {
      safely(METRIC_STAGE_RECEIVED_EVENTS, () => received.inc({ ...labels, stage }, count));
    },
    countSent(count, labels = {}) {
      safely(METRIC_STAGE_SENT_EVENTS, () => sent.inc({ ...labels, stage }, count));
    },
    countDeadLettered(count, labels = {}) {
      safely(METRIC_STAGE_DEAD_LETTERED_EVENTS, () =>
        deadLettered.inc({ ...labels, stage }, count),
      );
    },
    countError(errorType, labels = {}) {
      safely(METRIC_STAGE_ERRORS, () => errors.inc({ ...labels, stage, error_type: errorType }));
    },
    observeBatchDuration(seconds, labels = {}) {
      safely(METRIC_STAGE_BATCH_DURATION, () =>
        batchDuration.observe({ ...labels, stage }, seconds),
      );
    },
    startBatchTimer(labels = {}) {
      const started = performance.now();
      return () => {
        const seconds = (performance.now() - started) / 1000;
        safely(METRIC_STAGE_BATCH_DURATION, () =>
          batchDuration.observe({ ...labels, stage }, seconds),
        );
        return seconds;
      };
    },
  };
}
