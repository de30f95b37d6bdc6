/**
 * SIEM sinks of the platform's alerts and the alert-forwarder stage.
 *
 * Contract: each destination gets the alerts its routing rules match. A delivery is retried
 * with capped, jittered back-off (honouring Retry-After) within the destination's retry
 * budget. An alert that the destination rejects, or that spends the budget, is dead-lettered
 * to `ciem.dlq` with a `destination` header. The stage commits an alert's offset only after every
 * routed destination delivered or dead-lettered it. Every payload carries an idempotency key
 * (`<alert_id>.<event_count>`), and HTTP requests send it as `Idempotency-Key`.
 */
export { SiemErrorCodes } from './internal/errors.js';
export type { SiemErrorCode } from './internal/errors.js';
export { idempotencyKeyOf, batchIdempotencyKey } from './internal/idempotency.js';
export {
  ROUTE_ALL,
  isRouted,
  matchesPattern,
  matchesRule,
  severityRankOf,
} from './internal/routing.js';
export type { RouteRule } from './internal/routing.js';
export {
  OCSF_FINDING_ACTIVITIES,
  OCSF_FINDING_STATUS_NEW,
  findingActivityOf,
} from './internal/ocsf/activity.js';
export type { OcsfFindingActivity } from './internal/ocsf/activity.js';
export {
  OCSF_CATEGORY_UID,
  OCSF_CLASS_UID,
  OCSF_SEVERITY_IDS,
  OCSF_VERSION,
  encodeOcsfFinding,
} from './internal/ocsf/encode.js';
export type { OcsfDetectionFinding, OcsfProduct } from './internal/ocsf/encode.js';
export { PAYLOAD_FORMATS, alertPayload } from './internal/payload.js';
export type { PayloadFormat } from './internal/payload.js';
export { defaultRetryPolicy, withRetry } from './internal/retry.js';
export type { RetryHooks, RetryPolicy } from './internal/retry.js';
export { parseRetryAfter } from './internal/http.js';
export { deliverInBatches } from './internal/sink.js';
export type { AlertSink, BatchSender, DeliveryHooks, DeliveryOutcome } from './internal/sink.js';
export { HEC_EVENT_PATH } from './internal/hec/config.js';
export type { HecSinkConfig } from './internal/hec/config.js';
export { encodeHecEvents } from './internal/hec/encode.js';
export { createHecSink } from './internal/hec/sink.js';
export {
  CEF_SEVERITIES,
  encodeCef,
  escapeCefExtension,
  escapeCefHeader,
} from './internal/syslog/cef.js';
export { SYSLOG_SD_ID } from './internal/syslog/config.js';
export type { SyslogSinkConfig, SyslogTlsConfig } from './internal/syslog/config.js';
export {
  SYSLOG_SEVERITIES,
  encodeSyslogMessage,
  escapeSdValue,
  frameOctetCounted,
  headerField,
  syslogPriority,
} from './internal/syslog/encode.js';
export { createSyslogSink } from './internal/syslog/sink.js';
export {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './internal/webhook/config.js';
export type { WebhookSinkConfig } from './internal/webhook/config.js';
export {
  encodeWebhookBody,
  signWebhookBody,
  verifyWebhookSignature,
} from './internal/webhook/encode.js';
export type { SignatureCheck } from './internal/webhook/encode.js';
export { createWebhookSink } from './internal/webhook/sink.js';
export { createFileSink } from './internal/file/sink.js';
export type { FileSinkConfig } from './internal/file/sink.js';
export { describeDestination, parseDestinations } from './internal/destinations.js';
export type {
  DestinationConfig,
  DestinationsConfig,
  SecretSources,
} from './internal/destinations.js';
export { createSink } from './internal/create-sink.js';
export { createAlertForwarder } from './internal/forwarder.js';
export type {
  AlertForwarder,
  AlertForwarderOptions,
  Destination,
  ForwardControl,
  ForwardSummary,
} from './internal/forwarder.js';
export { forwardAlertsOnce } from './internal/forward-once.js';
export type { ForwardOnceOptions } from './internal/forward-once.js';
export {
  METRIC_FORWARDER_DEAD_LETTERED,
  METRIC_FORWARDER_FAILED,
  METRIC_FORWARDER_LATENCY,
  METRIC_FORWARDER_RETRIED,
  METRIC_FORWARDER_SENT,
  createForwarderMetrics,
} from './internal/metrics.js';
export type { ForwarderMetrics } from './internal/metrics.js';
export {
  DESTINATION_HEADER,
  FORWARDER_STAGE,
  createAlertForwarderStage,
} from './internal/forwarder-stage.js';
export type { AlertForwarderStageOptions } from './internal/forwarder-stage.js';
