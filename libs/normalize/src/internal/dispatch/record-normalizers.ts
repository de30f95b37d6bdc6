import type { Provider } from '@ciem/events';
import { normalizeCloudTrailRecord } from '../aws/cloudtrail.js';
import { normalizeAzureActivityRecord } from '../azure/activity.js';
import type { NormalizeContext, NormalizeResult } from '../context.js';
import { normalizeGcpAuditEntry } from '../gcp/audit.js';

/** Turns one parsed provider record into a NormalizedEvent or a NormalizationError. */
export type RecordNormalizer = (record: unknown, ctx: NormalizeContext) => NormalizeResult;

/** The normalizer of each provider. */
export type NormalizerTable = Readonly<Record<Provider, RecordNormalizer>>;

/** The platform's normalizers: CloudTrail, Azure Activity Log and GCP Cloud Audit Logs. */
export const RECORD_NORMALIZERS: NormalizerTable = {
  aws: normalizeCloudTrailRecord,
  azure: normalizeAzureActivityRecord,
  gcp: normalizeGcpAuditEntry,
};
