export type { NormalizeContext, NormalizeResult } from './internal/context.js';

export { readRecords, DEFAULT_MAX_RECORD_BYTES } from './internal/containers/read-records.js';
export type { ReadRecordsOptions } from './internal/containers/read-records.js';
export type { RecordInput } from './internal/containers/byte-source.js';
export type { RawRecord, RecordReadError } from './internal/containers/raw-record.js';

export { detectProvider } from './internal/dispatch/detect-provider.js';
export {
  normalizeRecord,
  normalizeText,
  normalizeFile,
} from './internal/dispatch/normalize-record.js';
export type {
  RecordContext,
  DispatchOptions,
  NormalizeFileOptions,
} from './internal/dispatch/normalize-record.js';
export { RECORD_NORMALIZERS } from './internal/dispatch/record-normalizers.js';
export type { RecordNormalizer, NormalizerTable } from './internal/dispatch/record-normalizers.js';

export { normalizeCloudTrailRecord } from './internal/aws/cloudtrail.js';
export { normalizeAzureActivityRecord } from './internal/azure/activity.js';
export { normalizeGcpAuditEntry } from './internal/gcp/audit.js';
