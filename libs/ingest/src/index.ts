/**
 * Shared pieces of the ingest services: the publisher that writes original records to a
 * provider's raw topic with backpressure, file backfill, and durable checkpoints. Records
 * keep their bytes unchanged; a record that cannot be read goes to the dead-letter topic
 * with stage `ingest`, so every record read is on exactly one of the two topics.
 */
export { createRawPublisher } from './internal/raw-publisher.js';
export type {
  IngestDeadLetter,
  PublishReport,
  RawPublishRecord,
  RawPublisher,
  RawPublisherOptions,
} from './internal/raw-publisher.js';
export { openRawPublisher } from './internal/open-raw-publisher.js';
export type { OpenRawPublisherOptions, OpenedRawPublisher } from './internal/open-raw-publisher.js';
export { INGEST_DEAD_LETTER_HEADERS, RAW_HEADERS } from './internal/raw-headers.js';
export {
  RECORD_KEY_BY_PROVIDER,
  azureRecordKey,
  cloudTrailRecordKey,
  gcpRecordKey,
} from './internal/record-keys.js';
export type { RecordKeyFunction } from './internal/record-keys.js';
export { ingestRecords, readErrorToInputError } from './internal/ingest-records.js';
export type { IngestRecordsOptions, IngestReport } from './internal/ingest-records.js';
export { backfillFiles, expandInputs, isCloudTrailDigest } from './internal/backfill-files.js';
export type { BackfillFilesOptions, BackfillReport } from './internal/backfill-files.js';
export { checkpointFileName, createFileCheckpointStore } from './internal/checkpoint-store.js';
export type { CheckpointStore } from './internal/checkpoint-store.js';
export {
  INGEST_BYTES_IN_SUFFIX,
  INGEST_BYTES_OUT_SUFFIX,
  ingestMetrics,
} from './internal/ingest-metrics.js';
export type { IngestMetricLabels, IngestMetrics } from './internal/ingest-metrics.js';
export { ingestSettings } from './internal/ingest-settings.js';
export { createIngestStage } from './internal/ingest-stage.js';
export type {
  IngestSettingValues,
  IngestSource,
  IngestStage,
  IngestStageOptions,
} from './internal/ingest-stage.js';
export { runIngestService } from './internal/run-ingest-service.js';
export type { IngestServiceDefinition } from './internal/run-ingest-service.js';
export { InFlightLimiter } from './internal/in-flight-limiter.js';
export { IngestErrorCodes } from './internal/errors.js';
export type { IngestErrorCode } from './internal/errors.js';
