/**
 * GCP adapter of the ingest services: a Pub/Sub streaming-pull consumer that publishes each
 * Cloud Logging sink message (one LogEntry) to the `gcp` raw topic and acks it only after the
 * Kafka acknowledgement. Checked with `@google-cloud/pubsub` 5.3 against the Go client's
 * `pstest` fake (`deploy/local/pubsub.sh`).
 */
export { createPubSubIngestStage } from './internal/pubsub-ingest.js';
export type { PubSubIngestOptions } from './internal/pubsub-ingest.js';
export { createPubSubSubscription } from './internal/pubsub-client.js';
export type { OpenedSubscription, PubSubSubscriptionOptions } from './internal/pubsub-client.js';
export { messageSource, parseLogEntryMessage } from './internal/log-entry.js';
export type { ParsedMessage } from './internal/log-entry.js';
export { IngestGcpErrorCodes } from './internal/errors.js';
export type { IngestGcpErrorCode } from './internal/errors.js';
