import { messageOf } from '@ciem/errors';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logger.js';
import { BATCH_DURATION_BUCKETS, errorClassOf, stageMetricNames } from './metric-names.js';
import type { StageMetricNames } from './metric-names.js';
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

/** Values of the optional labels of stage metrics. */
export interface StageMetricLabels {
  provider?: string;
  topic?: string;
  phase?: string;
}

/** Lag of a consumer group on one partition, as `fetchLag` of `@ciem/kafka` returns it. */
export interface ConsumerLagSample {
  topic: string;
  partition: number;
  /** Records not yet committed by the group. */
  lag: number;
}

/** The metrics every stage emits, named `ciem_<stage>_...`. Updates never throw. */
export interface StageMetrics {
  readonly stage: string;
  /** The full names of this stage's metrics. */
  readonly names: StageMetricNames;
  /** Adds `count` to `ciem_<stage>_records_in_total`. */
  countReceived(count: number, labels?: StageMetricLabels): void;
  /** Adds `count` to `ciem_<stage>_records_out_total`. */
  countSent(count: number, labels?: StageMetricLabels): void;
  /** Adds `count` to `ciem_<stage>_records_dead_lettered_total`. */
  countDeadLettered(count: number, labels?: StageMetricLabels): void;
  /**
   * Adds one to `ciem_<stage>_errors_total` with label `class` set to `errorClass` (an
   * `errorTypeOf` value). A value outside `ERROR_CLASSES` is counted as `internal`.
   */
  countError(errorClass: string, labels?: StageMetricLabels): void;
  /** Records one batch's duration in seconds in `ciem_<stage>_batch_duration_seconds`. */
  observeBatchDuration(seconds: number, labels?: StageMetricLabels): void;
  /** Starts timing a batch; the returned function records and returns the elapsed seconds. */
  startBatchTimer(labels?: StageMetricLabels): () => number;
  /** Sets `ciem_<stage>_consumer_lag_records` of consumer group `group` on every partition in `lags`. */
  setConsumerLag(group: string, lags: readonly ConsumerLagSample[]): void;
}

/** Options of `stageMetrics`. */
export interface StageMetricsOptions {
  /** Where failed metric updates are logged, at most once a minute per message. */
  logger?: Logger;
}

const recordLabelNames = ['provider', 'topic', 'phase'] as const;

function counterOf(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function histogramOf(registry: Registry, name: string): Histogram {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing;
  return new Histogram({
    name,
    help: 'Time the stage spent on one batch, in seconds.',
    labelNames: recordLabelNames,
    buckets: [...BATCH_DURATION_BUCKETS],
    registers: [registry],
  });
}

function gaugeOf(registry: Registry, name: string): Gauge {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Gauge) return existing;
  return new Gauge({
    name,
    help: 'Records the consumer group has not committed, per partition.',
    labelNames: ['topic', 'partition', 'group'],
    registers: [registry],
  });
}

/**
 * Returns the metrics of `stage`, named `ciem_<stage>_<what>_<unit>` (see `stageMetricNames`)
 * and registered in `registry` on first use; several calls for one stage share its series.
 * A failed update (a negative count, say) is logged and dropped, never thrown into the batch.
 * Throws a `TypeError` when `stage` has no letter or digit.
 */
export function stageMetrics(
  registry: MetricsRegistry,
  stage: string,
  options: StageMetricsOptions = {},
): StageMetrics {
  const names = stageMetricNames(stage);
  const received = counterOf(
    registry,
    names.recordsIn,
    'Records the stage read from its input.',
    recordLabelNames,
  );
  const sent = counterOf(
    registry,
    names.recordsOut,
    'Records the stage wrote durably to its output.',
    recordLabelNames,
  );
  const deadLettered = counterOf(
    registry,
    names.recordsDeadLettered,
    'Records the stage sent to the dead-letter topic.',
    recordLabelNames,
  );
  const errors = counterOf(registry, names.errors, 'Errors the stage handled, by class.', [
    ...recordLabelNames,
    'class',
  ]);
  const batchDuration = histogramOf(registry, names.batchDuration);
  const consumerLag = gaugeOf(registry, names.consumerLag);

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
    names,
    countReceived(count, labels = {}) {
      safely(names.recordsIn, () => received.inc({ ...labels }, count));
    },
    countSent(count, labels = {}) {
      safely(names.recordsOut, () => sent.inc({ ...labels }, count));
    },
    countDeadLettered(count, labels = {}) {
      safely(names.recordsDeadLettered, () => deadLettered.inc({ ...labels }, count));
    },
    countError(errorClass, labels = {}) {
      safely(names.errors, () => errors.inc({ ...labels, class: errorClassOf(errorClass) }));
    },
    observeBatchDuration(seconds, labels = {}) {
      safely(names.batchDuration, () => batchDuration.observe({ ...labels }, seconds));
    },
    startBatchTimer(labels = {}) {
      const started = performance.now();
      return () => {
        const seconds = (performance.now() - started) / 1000;
        safely(names.batchDuration, () => batchDuration.observe({ ...labels }, seconds));
        return seconds;
      };
    },
    setConsumerLag(group, lags) {
      safely(names.consumerLag, () => {
        for (const { topic, partition, lag } of lags) {
          consumerLag.set({ topic, partition: String(partition), group }, lag);
        }
      });
    },
  };
}
