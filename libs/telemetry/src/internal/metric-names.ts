/**
 * Metric names follow `ciem_<stage>_<what>_<unit>`: the stage is part of the name, so each
 * stage's series are found by name, and the last part is the unit (or `total` for a counter).
 * docs/metrics.md lists every metric of the platform.
 */
export const METRIC_NAME_PATTERN =
  /^ciem_[a-z0-9]+(_[a-z0-9]+)*_(total|seconds|bytes|records|events|ratio|info)$/;

/** Name suffixes of the metrics every stage emits, after `ciem_<stage>_`. */
export const STAGE_METRIC_SUFFIXES = {
  /** Counter of records a stage read from its input. Labels: `provider`, `topic`, `phase`. */
  recordsIn: 'records_in_total',
  /** Counter of records a stage wrote durably to its output. Same labels as `recordsIn`. */
  recordsOut: 'records_out_total',
  /** Counter of records a stage sent to the dead-letter topic. Same labels as `recordsIn`. */
  recordsDeadLettered: 'records_dead_lettered_total',
  /** Counter of errors a stage handled, by `class` (see `ERROR_CLASSES`). */
  errors: 'errors_total',
  /** Histogram of the time a stage spent on one batch, in seconds. */
  batchDuration: 'batch_duration_seconds',
  /** Gauge of records a consumer group has not committed. Labels: `topic`, `partition`, `group`. */
  consumerLag: 'consumer_lag_records',
} as const;

/** One key of `STAGE_METRIC_SUFFIXES`. */
export type StageMetricKey = keyof typeof STAGE_METRIC_SUFFIXES;

/** The full metric names of one stage, by key of `STAGE_METRIC_SUFFIXES`. */
export type StageMetricNames = Record<StageMetricKey, string>;

/**
 * Values of the `class` label of error counters: the `errorType` of the `@ciem/errors`
 * classes (`ConfigError`, `InputError`, `DependencyError`, `RejectedError`), and `internal`
 * for any other error.
 */
export const ERROR_CLASSES = ['config', 'input', 'dependency', 'rejected', 'internal'] as const;

/** One of `ERROR_CLASSES`. */
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/**
 * The only label names platform metrics use. Each has a small fixed set of values, and ids
 * (principals, accounts, event ids) are never labels because every value is a new series.
 * `partition` and `group` appear only on the consumer lag gauge, whose values come from the
 * topic configuration and the service's group id.
 */
export const METRIC_LABEL_NAMES = [
  'provider',
  'topic',
  'phase',
  'class',
  'partition',
  'group',
] as const;

/** One of `METRIC_LABEL_NAMES`. */
export type MetricLabelName = (typeof METRIC_LABEL_NAMES)[number];

/** Buckets of the batch duration histogram, in seconds: 5 ms to 2 minutes. */
export const BATCH_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];

/**
 * Returns the metric-name part of a stage name: lower case, with every run of characters
 * other than `a-z` and `0-9` turned into one `_` (`ingest-aws` becomes `ingest_aws`).
 * Throws a `TypeError` when nothing valid is left, because a stage name is a constant in code.
 */
export function metricStagePart(stage: string): string {
  const part = stage
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (part === '') {
    throw new TypeError(
      `Invalid stage name ${JSON.stringify(stage)}: expected letters or digits, such as "normalizer".`,
    );
  }
  return part;
}

/** Returns `ciem_<stage>_<suffix>` with the stage sanitized by `metricStagePart`. */
export function stageMetricName(stage: string, suffix: string): string {
  return `ciem_${metricStagePart(stage)}_${suffix}`;
}

/** Returns the names of the metrics `stageMetrics` registers for `stage`. */
export function stageMetricNames(stage: string): StageMetricNames {
  const names = {} as StageMetricNames;
  for (const [key, suffix] of Object.entries(STAGE_METRIC_SUFFIXES)) {
    names[key as StageMetricKey] = stageMetricName(stage, suffix);
  }
  return names;
}

/** Returns `value` when it is one of `ERROR_CLASSES`, else `internal`. */
export function errorClassOf(value: string): ErrorClass {
  return (ERROR_CLASSES as readonly string[]).includes(value) ? (value as ErrorClass) : 'internal';
}
