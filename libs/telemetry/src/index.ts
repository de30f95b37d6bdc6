export { createLogger, stageLogger, LOG_LEVELS, REDACTED_PATHS } from './internal/logger.js';
export type { Logger, LoggerOptions, LogLevel } from './internal/logger.js';
export { createRateLimitedLog } from './internal/rate-limited-log.js';
export type { RateLimitedLog, RateLimitedLogOptions } from './internal/rate-limited-log.js';
export {
  BATCH_DURATION_BUCKETS,
  METRIC_LABEL_NAMES,
  METRIC_STAGE_BATCH_DURATION,
  METRIC_STAGE_DEAD_LETTERED_EVENTS,
  METRIC_STAGE_ERRORS,
  METRIC_STAGE_RECEIVED_EVENTS,
  METRIC_STAGE_SENT_EVENTS,
} from './internal/metric-names.js';
export type { MetricLabelName } from './internal/metric-names.js';
export { createMetrics, stageMetrics } from './internal/metrics.js';
export type {
  MetricsOptions,
  MetricsRegistry,
  StageMetricLabels,
  StageMetrics,
  StageMetricsOptions,
} from './internal/metrics.js';
export { startTracing } from './internal/tracing.js';
export type { Tracing, TracingOptions } from './internal/tracing.js';
export { extractTraceContext, injectTraceHeaders } from './internal/trace-headers.js';
export type { MessageHeaders } from './internal/trace-headers.js';
