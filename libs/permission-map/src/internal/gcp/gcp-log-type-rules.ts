import type { GcpAuditLogType } from './gcp-visibility.js';

/**
 * Log types that a service's "audit logging" page gives for permissions whose name misleads
 * the verb rule in `classifyGcpPermission`, mostly into calling them Admin Activity. Keys
 * are lower-cased permissions. Each block names its page.
 *
 * NOTE: spanner.sessions.create, monitoring.timeSeries.create and the KMS useToEncrypt and
 * useToSign have no sourced entry here, so the verb rule calls the first two Admin Activity
 * and the KMS ones DATA_WRITE. If their pages put the first two in Data Access logs, unused
 * grants of them are still reported as unused.
 */
const DOCUMENTED_LOG_TYPES: Readonly<Record<string, GcpAuditLogType>> = {
  // "Cloud Bigtable API audit logging": ReadRows and SampleRowKeys check DATA_READ
  // permissions. MutateRow, MutateRows and CheckAndMutateRow check
  // bigtable.tables.mutateRows or bigtable.authorizedViews.mutateRows, both DATA_WRITE.
  'bigtable.tables.readrows': 'DATA_READ',
  'bigtable.tables.samplerowkeys': 'DATA_READ',
  'bigtable.tables.mutaterows': 'DATA_WRITE',
  'bigtable.authorizedviews.readrows': 'DATA_READ',
  'bigtable.authorizedviews.samplerowkeys': 'DATA_READ',
  'bigtable.authorizedviews.mutaterows': 'DATA_WRITE',

  // "Configure Cloud Audit Logs with Cloud Run functions" (1st gen): the table of audited
  // operations puts cloudfunctions.functions.call under Data Access (DATA_READ).
  'cloudfunctions.functions.call': 'DATA_READ',

  // "Cloud Run audit logging": the table of audited operations puts Jobs.RunJob under
  // Data Access (DATA_WRITE). RunJob with overrides checks runWithOverrides as well.
  'run.jobs.run': 'DATA_WRITE',
  'run.jobs.runwithoverrides': 'DATA_WRITE',

  // "Trace audit logging": GetTrace and ListTraces check cloudtrace.traces.get and
  // cloudtrace.traces.list, both DATA_READ, where the verb rule says ADMIN_READ.
  'cloudtrace.traces.get': 'DATA_READ',
  'cloudtrace.traces.list': 'DATA_READ',

  // "Enable Data Access audit logs" (Vertex AI): prediction calls on endpoints are written
  // to the Data Access log when DATA_READ is enabled for aiplatform.googleapis.com.
  'aiplatform.endpoints.predict': 'DATA_READ',

  // Artifact Registry: a Docker pull (Docker-GetManifest, which checks downloadArtifacts)
  // is a DATA_READ entry of the Data Access log, and a push checks uploadArtifacts, a
  // DATA_WRITE. Source: "How to Measure Docker Image Pull Counts in Google Artifact
  // Registry" (openillumi.com), which counts pulls in the data_access log by
  // Docker-GetManifest, not the method list of "Artifact Registry audit logging".
  'artifactregistry.repositories.downloadartifacts': 'DATA_READ',
  'artifactregistry.repositories.uploadartifacts': 'DATA_WRITE',

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
 * Permissions whose use Cloud Audit Logs never records, with the page that says so.
 *
 * NOTE: the Trace, Cloud Run and Cloud Run functions entries rest on the method being
 * absent from its page's list of audited methods, not on a sentence saying it is not
 * logged. Should one of them start writing Data Access logs, its grants stay reported as
 * unobservable instead of unused.
 */
const UNLOGGED_PERMISSIONS: ReadonlySet<string> = new Set([
  // "Pub/Sub audit logging", Notes: "Pub/Sub does not currently write Data Access audit
  // logs for message operations, such as Publish, Subscribe, and Acknowledge." Pull,
  // StreamingPull, Acknowledge and ModifyAckDeadline check subscriptions.consume.
  'pubsub.topics.publish',
  'pubsub.subscriptions.consume',

  // "Trace audit logging" lists GetTrace and ListTraces and the trace sink methods, and
  // no method that writes spans, so PatchTraces and BatchWriteSpans write no audit log.
  'cloudtrace.traces.patch',

  // "Cloud Run audit logging" lists the Cloud Run Admin API methods and no request to a
  // service, and "Configure Cloud Audit Logs with Cloud Run functions" lists
  // cloudfunctions.functions.call and no HTTP invocation. Invoking a service or an HTTP
  // function writes no audit log.
  'run.routes.invoke',
  'cloudfunctions.functions.invoke',
]);

/**
 * Services whose page lists every method that writes an audit log; any other permission of
 * the service is never logged. "Dataflow audit logging" lists only dataflow.jobs.create,
 * dataflow.jobs.cancel and dataflow.jobs.updateContents, all ADMIN_WRITE.
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
