/** Hand-written Cloud Audit Log entries for tests of the GCP ingest adapter. */
export { adminActivityEntry, dataAccessEntry, organizationEntry } from './audit-entries.js';
