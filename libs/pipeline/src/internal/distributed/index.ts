export { createNormalizerStage, NORMALIZER_STAGE } from './normalizer-stage.js';
export type { NormalizerStage, NormalizerStageOptions } from './normalizer-stage.js';
export {
  createDeadLetterSinkStage,
  deadLetterRowOf,
  DEAD_LETTER_SINK_STAGE,
  SELF_RECORDING_STAGES,
} from './dead-letter-sink-stage.js';
export type { DeadLetterSinkStage, DeadLetterSinkStageOptions } from './dead-letter-sink-stage.js';
export {
  normalizeBatch,
  deadLetterFor,
  NORMALIZER_DEAD_LETTER_HEADERS,
} from './normalize-batch.js';
export type {
  DeadLetterItem,
  EventItem,
  NormalizeBatchOptions,
  NormalizedBatch,
} from './normalize-batch.js';
export { RAW_RECORD_HEADERS, ingestTimeOf, rawRecordHeaders, headerText } from './raw-headers.js';
export { rawTopicFor, rawTopicsOf } from './raw-topics.js';
export { createPlatformTopics } from './create-topics.js';
export type { CreateTopicsOptions } from './create-topics.js';
export { publishRawFiles, rawRecordKey, FILE_INGEST_STAGE } from './publish-raw-files.js';
export type { PublishCounts, PublishRawFilesOptions, PublishReport } from './publish-raw-files.js';
export { runDistributed } from './run-distributed.js';
export type { DistributedRunOptions } from './run-distributed.js';
export { waitWithHeartbeat, BATCH_HANDED_BACK } from './wait-with-heartbeat.js';
export { ANOMALY_STAGE, createAnomalyStage } from './anomaly-stage.js';
export type { AnomalyStageOptions } from './anomaly-stage.js';
export { ALERT_COLUMNS, toAlertRow } from './alert-row.js';
export { createAnomalyCheckpointStore } from './anomaly-checkpoint-store.js';
export type { AnomalyCheckpointStore, PartitionCheckpoint } from './anomaly-checkpoint-store.js';
