import type { PermissionVisibility } from '../types.js';
import { ownEntry } from '../own-entry.js';
import { documentedGcpLogType, isUnloggedGcpPermission } from './gcp-log-type-rules.js';

/**
 * Cloud Audit Logs log type of a permission check, as `AuditConfig.logType` names the
 * Data Access sub-types, plus the other audit logs: `ADMIN_WRITE` (Admin Activity),
 * `SYSTEM_EVENT` and `POLICY_DENIED`.
 */
export type GcpAuditLogType =
  'ADMIN_WRITE' | 'ADMIN_READ' | 'DATA_READ' | 'DATA_WRITE' | 'SYSTEM_EVENT' | 'POLICY_DENIED';

/** Options of `gcpPermissionVisibility`. */
export interface GcpVisibilityOptions {
  /**
   * The log type when known: a `GcpAuditLogType`, the `logName` suffix (`activity`,
   * `data_access`, `system_event`, `policy`) or a whole `logName`
   * (`projects/p/logs/cloudaudit.googleapis.com%2Fdata_access`).
   */
  readonly logType?: string;
}

// Cloud Audit Logs, "Data Access audit logs": read verbs of configuration are ADMIN_READ.
const READ_VERBS: ReadonlySet<string> = new Set([
  'get',
  'list',
  'getiampolicy',
  'testiampermissions',
  'search',
  'access',
  'consume',
  'getdata',
  'read',
  'select',
  'usetodecrypt',
  'usetoverify',
  // GKE "Audit policy": reads of Kubernetes resource metadata, such as listing Pods, are
  // ADMIN_READ, and a watch is a list that streams the changes.
  'watch',
]);

// Compound read verbs (`getEffectiveFirewalls`, `listReferrers`) name read-only methods, and
// Compute Engine writes those to Data Access logs like get and list ("Compute Engine audit
// logging", https://cloud.google.com/compute/docs/logging/audit-logging).
const READ_VERB_PREFIX = /^(get|list)/;

// ADMIN_READ permissions whose verb is not in READ_VERBS. The Service Account Credentials
// methods GenerateAccessToken, GenerateIdToken, SignBlob and SignJwt check them, so only
// Data Access logs record their use ("Service Account Credentials audit logging",
// https://cloud.google.com/iam/docs/audit-logging/audit-logging-iamcreds).
const ADMIN_READ_PERMISSIONS: ReadonlySet<string> = new Set([
  'iam.serviceaccounts.getaccesstoken',
  'iam.serviceaccounts.getopenidtoken',
  'iam.serviceaccounts.signblob',
  'iam.serviceaccounts.signjwt',
]);

// Permissions on user data rather than on configuration: their reads are DATA_READ and
// their writes DATA_WRITE. Sources: "Cloud Storage audit logging", "BigQuery audit logs",
// "Secret Manager audit logging", "Pub/Sub audit logging", "Cloud KMS audit logging",
// "Firestore audit logging", "Spanner audit logging". Pub/Sub writes no audit log for
// publish and consume at all, so `isUnloggedGcpPermission` marks them never logged.
const DATA_PERMISSION_PREFIXES: readonly string[] = [
  'storage.objects.',
  'storage.multipartuploads.',
  'bigquery.tables.getdata',
  'bigquery.tables.updatedata',
  'secretmanager.versions.access',
  'pubsub.topics.publish',
  'pubsub.subscriptions.consume',
  'cloudkms.cryptokeyversions.use',
  'datastore.entities.',
  'spanner.databases.read',
  'spanner.databases.select',
  'spanner.databases.write',
  // Compute Engine logs the serial port output as DATA_READ, because it is data from the VM.
  'compute.instances.getserialportoutput',
];

// "Configure Data Access audit logs": disabled by default "for all services except some
// BigQuery services". BigQuery's own API (bigquery.googleapis.com) always writes them.
const DATA_ACCESS_ALWAYS_ON: ReadonlySet<string> = new Set(['bigquery']);

// `bigquery.` permissions of BigQuery APIs that log as services of their own ("BigQuery
// audit logs overview": Reservations and Connections; "BigQuery Data Transfer Service audit
// logging": bigquerydatatransfer.googleapis.com; "BigQuery Data Policy audit logging").
// NOTE: no page states whether their Data Access logs are on by default, so they count as
// off, and an unused grant of theirs is reported unobservable unless its log shows.
const BIGQUERY_SEPARATE_API_PREFIXES: readonly string[] = [
  'bigquery.transfers.',
  'bigquery.reservations.',
  'bigquery.reservationassignments.',
  'bigquery.capacitycommitments.',
  'bigquery.bireservations.',
  'bigquery.connections.',
  'bigquery.datapolicies.',
];

const LOG_TYPE_BY_LOG_NAME: Readonly<Record<string, GcpAuditLogType>> = {
  activity: 'ADMIN_WRITE',
  system_event: 'SYSTEM_EVENT',
  policy: 'POLICY_DENIED',
};

/**
 * Infers the audit log type that records a use of a GCP permission: the type a service's
 * audit logging page gives it where the name misleads (`gcp-log-type-rules.ts`), otherwise
 * the type its name (`service.resource.verb`) implies. Reads of configuration are
 * ADMIN_READ, reads and writes of user data are DATA_READ and DATA_WRITE, and other writes
 * are ADMIN_WRITE (Admin Activity). A permission that is never logged still gets the type
 * its name implies; `gcpPermissionVisibility` reports it as `not-logged`.
 */
export function classifyGcpPermission(permission: string): GcpAuditLogType {
  const canonical = permission.trim().toLowerCase();
  const documented = documentedGcpLogType(canonical);
  if (documented !== undefined) return documented;
  const verb = canonical.split('.').pop() ?? '';
  // "Cloud Audit Logs with Cloud Storage": setting IAM policies and changing object ACLs
  // are Admin Activity, and getting them ADMIN_READ, even on objects, because a policy is
  // configuration whatever it is attached to.
  if (verb === 'setiampolicy') return 'ADMIN_WRITE';
  if (verb === 'getiampolicy') return 'ADMIN_READ';

  const read =
    READ_VERBS.has(verb) || READ_VERB_PREFIX.test(verb) || ADMIN_READ_PERMISSIONS.has(canonical);
  if (DATA_PERMISSION_PREFIXES.some((prefix) => canonical.startsWith(prefix))) {
    return read ? 'DATA_READ' : 'DATA_WRITE';
  }
  return read ? 'ADMIN_READ' : 'ADMIN_WRITE';
}

function logTypeOf(permission: string, logType: string | undefined): GcpAuditLogType {
  if (logType === undefined) return classifyGcpPermission(permission);
  const trimmed = logType.trim();
  const upper = trimmed.toUpperCase();
  const known: readonly GcpAuditLogType[] = [
    'ADMIN_WRITE',
    'ADMIN_READ',
    'DATA_READ',
    'DATA_WRITE',
    'SYSTEM_EVENT',
    'POLICY_DENIED',
  ];
  const exact = known.find((type) => type === upper);
  if (exact !== undefined) return exact;

  // A logName ends with `cloudaudit.googleapis.com%2F<suffix>` (or `/` once decoded).
  const suffix = trimmed.replace(/%2F/gi, '/').split('/').pop()?.toLowerCase() ?? '';
  if (suffix === 'data_access') {
    // The log is Data Access, and the permission name separates reads from writes.
    const inferred = classifyGcpPermission(permission);
    return inferred === 'ADMIN_WRITE' ? 'DATA_WRITE' : inferred;
  }
  return ownEntry(LOG_TYPE_BY_LOG_NAME, suffix) ?? classifyGcpPermission(permission);
}

/**
 * Returns whether the use of a GCP permission shows in Cloud Audit Logs. Admin Activity,
 * System Event and Policy Denied logs are always written (`logged`). Data Access logs
 * (ADMIN_READ, DATA_READ, DATA_WRITE) are written only where the customer enables them
 * (`data-event`), except BigQuery's, which are always on. Without `options.logType` the
 * type is inferred with `classifyGcpPermission`, and a permission whose use the service
 * never writes to an audit log (Pub/Sub publish, most of Dataflow) is `not-logged`. With
 * `options.logType` the entry was seen, so its log decides.
 */
export function gcpPermissionVisibility(
  permission: string,
  options: GcpVisibilityOptions = {},
): PermissionVisibility {
  // The same few hundred permissions and log types recur in entry after entry. The cache is
  // keyed by log type, then permission, so a lookup hashes the two strings as they are.
  const logType = options.logType;
  let byPermission = visibilityCache.get(logType);
  const cached = byPermission?.get(permission);
  if (cached !== undefined) return cached;
  const visibility = visibilityOf(permission, logType);
  if (cachedVisibilities >= MAX_CACHED_VISIBILITIES) {
    visibilityCache.clear();
    cachedVisibilities = 0;
    byPermission = undefined;
  }
  if (byPermission === undefined) {
    byPermission = new Map();
    visibilityCache.set(logType, byPermission);
  }
  byPermission.set(permission, visibility);
  cachedVisibilities++;
  return visibility;
}

/** Largest number of visibilities kept; the cache is emptied when it is full. */
const MAX_CACHED_VISIBILITIES = 10_000;
/** Visibilities by log type (undefined when the caller gave none), then by permission. */
const visibilityCache = new Map<string | undefined, Map<string, PermissionVisibility>>();
let cachedVisibilities = 0;

function visibilityOf(permission: string, logType: string | undefined): PermissionVisibility {
  const canonical = permission.trim().toLowerCase();
  if (logType === undefined && isUnloggedGcpPermission(canonical)) return 'not-logged';
  const type = logTypeOf(permission, logType);
  if (type === 'ADMIN_WRITE' || type === 'SYSTEM_EVENT' || type === 'POLICY_DENIED') {
    return 'logged';
  }
  const service = canonical.split('.')[0] ?? '';
  const alwaysOn =
    DATA_ACCESS_ALWAYS_ON.has(service) &&
    !BIGQUERY_SEPARATE_API_PREFIXES.some((prefix) => canonical.startsWith(prefix));
  return alwaysOn ? 'logged' : 'data-event';
}
