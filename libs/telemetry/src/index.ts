export { createLogger, stageLogger, LOG_LEVELS, REDACTED_PATHS } from './internal/logger.js';
export type { Logger, LoggerOptions, LogLevel } from './internal/logger.js';
export { createRateLimitedLog } from './internal/rate-limited-log.js';
export type { RateLimitedLog, RateLimitedLogOptions } from './internal/rate-limited-log.js';
export {
  BATCH_DURATION_BUCKETS,
  ERROR_CLASSES,
  METRIC_LABEL_NAMES,
  METRIC_NAME_PATTERN,
  STAGE_METRIC_SUFFIXES,
  errorClassOf,
  metricStagePart,
  stageMetricName,
  stageMetricNames,
} from './internal/metric-names.js';
export type {
  ErrorClass,
  MetricLabelName,
  StageMetricKey,
  StageMetricNames,
} from './internal/metric-names.js';
export { createMetrics, stageMetrics } from './internal/metrics.js';
export type {
  ConsumerLagSample,
  MetricsOptions,
  MetricsRegistry,
  StageMetricLabels,
  StageMetrics,
  StageMetricsOptions,
} from './internal/metrics.js';
export { startTracing } from './internal/tracing.js';
export type { Tracing, TracingOptions } from './internal/tracing.js';
export { extractTraceContext, injectTraceHeaders } from './internal/trace-headers.js';
export {
  bindTraceContext,
  injectProducerSpan,
  recordSpanFailure,
  startMessageSpan,
  traceContextOf,
  withBatchSpan,
} from './internal/message-spans.js';
export type { BatchSpanOptions, MessageSpan } from './internal/message-spans.js';
export type { MessageHeaders } from './internal/trace-headers.js';
