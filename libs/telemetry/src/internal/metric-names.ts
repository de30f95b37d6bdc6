/** Counter of events a stage read from its input. Labels: `stage`, `provider`, `topic`, `phase`. */
export const METRIC_STAGE_RECEIVED_EVENTS = 'ciem_stage_received_events_total';

/** Counter of events a stage wrote durably to its output. Same labels as received. */
export const METRIC_STAGE_SENT_EVENTS = 'ciem_stage_sent_events_total';

/** Counter of events a stage sent to the dead-letter topic. Same labels as received. */
export const METRIC_STAGE_DEAD_LETTERED_EVENTS = 'ciem_stage_dead_lettered_events_total';

/** Counter of errors a stage handled, by `error_type` (`config`, `input`, `dependency`, ...). */
export const METRIC_STAGE_ERRORS = 'ciem_stage_errors_total';

/** Histogram of the time a stage spent on one batch, in seconds. */
export const METRIC_STAGE_BATCH_DURATION = 'ciem_stage_batch_duration_seconds';

/**
 * The only label names platform metrics use. Each has a small fixed set of values, and ids
 * (principals, accounts, event ids) are never labels because every value is a new series.
 */
export const METRIC_LABEL_NAMES = ['stage', 'provider', 'topic', 'phase', 'error_type'] as const;

/** One of `METRIC_LABEL_NAMES`. */
export type MetricLabelName = (typeof METRIC_LABEL_NAMES)[number];

/** Buckets of the batch duration histogram, in seconds: 5 ms to 2 minutes. */
export const BATCH_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];
