import type { GcpAuditLogType } from './gcp-visibility.js';

/**
 * Log types that a service's "audit logging" page gives for permissions whose name misleads
 * the verb rule in `classifyGcpPermission`, mostly into calling them Admin Activity. Keys
 * are lower-cased permissions. Each block names its page and the methods that check them.
 *
 * NOTE: monitoring.timeSeries.create has no sourced entry, so the verb rule calls it Admin
 * Activity. If Cloud Monitoring logs CreateTimeSeries in Data Access logs or not at all, an
 * unused grant of it is still reported as unused.
 */
const DOCUMENTED_LOG_TYPES: Readonly<Record<string, GcpAuditLogType>> = {
  // "Cloud Bigtable API audit logging": ReadRows, SampleRowKeys, ExecuteQuery and
  // PrepareQuery check DATA_READ permissions. MutateRow, MutateRows and CheckAndMutateRow
  // check bigtable.tables.mutateRows or bigtable.authorizedViews.mutateRows, both
  // DATA_WRITE. PingAndWarm checks bigtable.instances.ping - ADMIN_READ.
  'bigtable.tables.readrows': 'DATA_READ',
  'bigtable.tables.samplerowkeys': 'DATA_READ',
  'bigtable.tables.mutaterows': 'DATA_WRITE',
  'bigtable.authorizedviews.readrows': 'DATA_READ',
  'bigtable.authorizedviews.samplerowkeys': 'DATA_READ',
  'bigtable.authorizedviews.mutaterows': 'DATA_WRITE',
  'bigtable.instances.executequery': 'DATA_READ',
  'bigtable.instances.ping': 'ADMIN_READ',

  // "Spanner audit logging": CreateSession, BatchCreateSessions and DeleteSession check
  // DATA_WRITE permissions, GetSession and ListSessions DATA_READ ones. BeginTransaction
  // checks the read-write (DATA_WRITE) or read-only (DATA_READ) transaction permission,
  // and PartitionQuery also checks databaseRoles.use and useRoleBasedAccess, DATA_WRITE.
  'spanner.sessions.create': 'DATA_WRITE',
  'spanner.sessions.delete': 'DATA_WRITE',
  'spanner.sessions.get': 'DATA_READ',
  'spanner.sessions.list': 'DATA_READ',
  'spanner.databases.beginorrollbackreadwritetransaction': 'DATA_WRITE',
  'spanner.databases.beginreadonlytransaction': 'DATA_READ',
  'spanner.databases.partitionquery': 'DATA_READ',
  'spanner.databases.partitionread': 'DATA_READ',
  'spanner.databaseroles.use': 'DATA_WRITE',
  'spanner.databases.userolebasedaccess': 'DATA_WRITE',

  // "Cloud Key Management Service audit logging": Encrypt, RawEncrypt, Decrypt,
  // AsymmetricSign, MacSign, MacVerify and GetPublicKey all check DATA_READ permissions.
  'cloudkms.cryptokeyversions.usetoencrypt': 'DATA_READ',
  'cloudkms.cryptokeyversions.usetodecrypt': 'DATA_READ',
  'cloudkms.cryptokeyversions.usetosign': 'DATA_READ',
  'cloudkms.cryptokeyversions.usetoverify': 'DATA_READ',
  'cloudkms.cryptokeyversions.viewpublickey': 'DATA_READ',

  // "Artifact Registry audit logging": the data plane API (Docker-GetManifest,
  // Maven-Artifact-Download, ...) checks downloadArtifacts - DATA_READ, uploads check
  // uploadArtifacts and deletes deleteArtifacts, both DATA_WRITE. DownloadFile checks
  // files.download - DATA_READ, and DeleteFile, DeletePackage, UpdatePackage,
  // BatchDeleteVersions and DeleteAttachment check DATA_WRITE permissions.
  'artifactregistry.repositories.downloadartifacts': 'DATA_READ',
  'artifactregistry.repositories.uploadartifacts': 'DATA_WRITE',
  'artifactregistry.repositories.deleteartifacts': 'DATA_WRITE',
  'artifactregistry.files.download': 'DATA_READ',
  'artifactregistry.files.delete': 'DATA_WRITE',
  'artifactregistry.packages.delete': 'DATA_WRITE',
  'artifactregistry.packages.update': 'DATA_WRITE',
  'artifactregistry.versions.delete': 'DATA_WRITE',
  'artifactregistry.attachments.delete': 'DATA_WRITE',

  // "Cloud SQL for SQL Server audit logging" (the MySQL and PostgreSQL pages list the same
  // cloudsql.googleapis.com methods): export is DATA_READ, and import, executeSql and login
  // (IAM database authentication) are DATA_WRITE. instances.connect stays ADMIN_WRITE.
  'cloudsql.instances.export': 'DATA_READ',
  'cloudsql.instances.import': 'DATA_WRITE',
  'cloudsql.instances.executesql': 'DATA_WRITE',
  'cloudsql.instances.login': 'DATA_WRITE',

  // "Firestore audit logging information": BeginTransaction, Commit and Rollback check
  // datastore.databases.get - DATA_READ. Documents are read and written with the
  // datastore.entities permissions.
  'datastore.databases.get': 'DATA_READ',

  // "Pub/Sub audit logging": Seek checks pubsub.snapshots.seek - ADMIN_READ.
  'pubsub.snapshots.seek': 'ADMIN_READ',

  // "Functions audit logging" (Cloud Run functions): CallFunction checks
  // cloudfunctions.functions.call - DATA_READ.
  'cloudfunctions.functions.call': 'DATA_READ',

  // "Cloud Run audit logging": the table of audited operations puts Jobs.RunJob under
  // Data Access (DATA_WRITE). A RunJob with overrides also checks runWithOverrides.
  'run.jobs.run': 'DATA_WRITE',
  'run.jobs.runwithoverrides': 'DATA_WRITE',

  // "Trace audit logging": GetTrace and ListTraces check cloudtrace.traces.get and
  // cloudtrace.traces.list, both DATA_READ, where the verb rule gives ADMIN_READ.
  'cloudtrace.traces.get': 'DATA_READ',
  'cloudtrace.traces.list': 'DATA_READ',

  // "Enable Data Access audit logs" (Vertex AI): prediction calls on endpoints are written
  // to the Data Access log when DATA_READ is enabled for aiplatform.googleapis.com.
  'aiplatform.endpoints.predict': 'DATA_READ',

  // GKE "Audit policy": DATA_READ covers reading data in Kubernetes resources, "such as
  // reading the logs for a Pod".
  'container.pods.getlogs': 'DATA_READ',
};

/** Documented log types of permission families, matched against lower-cased names. */
const DOCUMENTED_LOG_TYPE_PATTERNS: readonly {
  readonly pattern: RegExp;
  readonly logType: GcpAuditLogType;
}[] = [
  // GKE "Audit policy": DATA_WRITE covers writing data to Kubernetes resources, "such as
  // updating Pod status". The status of any other Kubernetes resource counts the same.
  { pattern: /^container\.[a-z0-9]+\.updatestatus$/, logType: 'DATA_WRITE' },

  // "Cloud SQL for SQL Server audit logging": the get and list methods of databases and
  // users check DATA_READ permissions, and their create, update and delete DATA_WRITE.
  { pattern: /^cloudsql\.(databases|users)\.(get|list)$/, logType: 'DATA_READ' },
  { pattern: /^cloudsql\.(databases|users)\.(create|update|delete)$/, logType: 'DATA_WRITE' },

  // "Pub/Sub audit logging": GetTopic, ListTopics, ListTopicSubscriptions,
  // ListTopicSnapshots, GetSubscription and ListSubscriptions check DATA_READ permissions.
  { pattern: /^pubsub\.(topics|subscriptions)\.(get|list)$/, logType: 'DATA_READ' },

  // "Identity-Aware Proxy audit logging": GetTunnelDestGroup and ListTunnelDestGroups are
  // DATA_READ, and CreateTunnelDestGroup, DeleteTunnelDestGroup, UpdateTunnelDestGroup and
  // UpdateIapSettings are DATA_WRITE. IAP names these permissions after the resource and
  // method (iap.tunnelDestGroups.create, iap.web.updateSettings).
  { pattern: /^iap\.tunneldestgroups\.(get|list)$/, logType: 'DATA_READ' },
  { pattern: /^iap\.tunneldestgroups\.(create|delete|update)$/, logType: 'DATA_WRITE' },
  { pattern: /^iap\.[a-z]+\.updatesettings$/, logType: 'DATA_WRITE' },
];

/**
 * Returns the documented log type of a lower-cased permission, or `undefined` when the
 * verb rule applies.
 */
export function documentedGcpLogType(permission: string): GcpAuditLogType | undefined {
  if (Object.hasOwn(DOCUMENTED_LOG_TYPES, permission)) return DOCUMENTED_LOG_TYPES[permission];
  return DOCUMENTED_LOG_TYPE_PATTERNS.find(({ pattern }) => pattern.test(permission))?.logType;
}

/**
 * Permissions whose use Cloud Audit Logs never records, each with its source page.
 *
 * NOTE: the Cloud Run and Cloud Run functions entries rest on the invocation being absent
 * from the pages' lists of audited methods, not on a sentence saying it is not logged.
 * Should invocations start writing Data Access logs, their grants stay reported as
 * unobservable instead of unused.
 */
const UNLOGGED_PERMISSIONS: ReadonlySet<string> = new Set([
  // "Pub/Sub audit logging", Methods that don't produce audit logs: Publish, Pull,
  // StreamingPull, Acknowledge and ModifyAckDeadline, the methods that check these
  // permissions (the Notes add that message operations write no Data Access logs).
  'pubsub.topics.publish',
  'pubsub.subscriptions.consume',

  // "Trace audit logging", Methods that don't produce audit logs: PatchTraces,
  // BatchWriteSpans and CreateSpan, the methods that write spans with this permission.
  'cloudtrace.traces.patch',

  // "Cloud Run audit logging" lists the Cloud Run Admin API methods and no request to a
  // service, and "Functions audit logging" lists CallFunction and no HTTP invocation.
  'run.routes.invoke',
  'cloudfunctions.functions.invoke',
]);

/**
 * Services whose page lists every method that writes an audit log, so any other
 * permission of the service is never logged. "Dataflow audit logging" lists
 * dataflow.jobs.create and dataflow.jobs.updateContents (which also checks
 * dataflow.jobs.cancel), all ADMIN_WRITE, and names GetJob, ListJobs, SnapshotJob,
 * ListJobMessages, GetJobMetrics and the snapshot methods as methods that don't produce
 * audit logs.
 */
const SERVICES_WITH_LISTED_AUDITED_PERMISSIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  dataflow: new Set([
    'dataflow.jobs.create',
    'dataflow.jobs.cancel',
    'dataflow.jobs.updatecontents',
  ]),
};

/** Returns whether Cloud Audit Logs never records a use of the lower-cased permission. */
export function isUnloggedGcpPermission(permission: string): boolean {
  if (UNLOGGED_PERMISSIONS.has(permission)) return true;
  const service = permission.split('.')[0] ?? '';
  if (!Object.hasOwn(SERVICES_WITH_LISTED_AUDITED_PERMISSIONS, service)) return false;
  return !SERVICES_WITH_LISTED_AUDITED_PERMISSIONS[service]?.has(permission);
}
