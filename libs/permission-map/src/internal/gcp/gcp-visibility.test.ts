import { describe, expect, it } from 'vitest';
import { classifyGcpPermission, gcpPermissionVisibility } from './gcp-visibility.js';

// Cloud Audit Logs overview: Admin Activity logs are always written; Data Access logs
// (ADMIN_READ, DATA_READ, DATA_WRITE) only when enabled, except for BigQuery.
describe('gcpPermissionVisibility', () => {
  it('logs admin writes always', () => {
    expect(gcpPermissionVisibility('compute.instances.create')).toBe('logged');
    expect(gcpPermissionVisibility('resourcemanager.projects.setIamPolicy')).toBe('logged');
  });

  it('marks configuration reads as data access', () => {
    expect(classifyGcpPermission('compute.instances.get')).toBe('ADMIN_READ');
    expect(classifyGcpPermission('resourcemanager.projects.getIamPolicy')).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility('compute.instances.list')).toBe('data-event');
  });

  it('classifies user data access', () => {
    expect(classifyGcpPermission('storage.objects.get')).toBe('DATA_READ');
    expect(classifyGcpPermission('storage.objects.create')).toBe('DATA_WRITE');
    expect(classifyGcpPermission('secretmanager.versions.access')).toBe('DATA_READ');
    expect(gcpPermissionVisibility('storage.objects.create')).toBe('data-event');
  });

  it('keeps BigQuery data access logged', () => {
    expect(gcpPermissionVisibility('bigquery.tables.getData')).toBe('logged');
  });

  it('uses the log type when given', () => {
    expect(
      gcpPermissionVisibility('compute.instances.get', {
        logType: 'projects/p1/logs/cloudaudit.googleapis.com%2Factivity',
      }),
    ).toBe('logged');
    expect(gcpPermissionVisibility('compute.instances.delete', { logType: 'data_access' })).toBe(
      'data-event',
    );
    expect(gcpPermissionVisibility('storage.objects.get', { logType: 'ADMIN_WRITE' })).toBe(
      'logged',
    );
    expect(gcpPermissionVisibility('storage.buckets.get', { logType: 'DATA_READ' })).toBe(
      'data-event',
    );
  });
});

// Service Account Credentials audit logging
// (https://cloud.google.com/iam/docs/audit-logging/audit-logging-iamcreds): GenerateAccessToken,
// GenerateIdToken, SignBlob and SignJwt check ADMIN_READ permissions, so they are written
// to Data Access audit logs, which are off by default.
describe('gcpPermissionVisibility of service account credentials', () => {
  it.each([
    'iam.serviceAccounts.getAccessToken',
    'iam.serviceAccounts.getOpenIdToken',
    'iam.serviceAccounts.signBlob',
    'iam.serviceAccounts.signJwt',
  ])('classifies %s as admin read', (permission) => {
    expect(classifyGcpPermission(permission)).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });
});

// "Compute Engine audit logging" (https://cloud.google.com/compute/docs/logging/audit-logging):
// read-only methods such as get, list and aggregated list write Data Access logs, and
// instances.getSerialPortOutput writes a DATA_READ log because it reads data from the VM.
describe('gcpPermissionVisibility of compound read verbs', () => {
  it.each([
    'compute.instances.getEffectiveFirewalls',
    'compute.instances.getGuestAttributes',
    'compute.instances.listReferrers',
    'compute.instances.listEffectiveTags',
  ])('classifies %s as admin read', (permission) => {
    expect(classifyGcpPermission(permission)).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });

  it('classifies serial port output as data read', () => {
    expect(classifyGcpPermission('compute.instances.getSerialPortOutput')).toBe('DATA_READ');
    expect(gcpPermissionVisibility('compute.instances.getSerialPortOutput')).toBe('data-event');
  });
});

// Data-plane permissions whose verb reads as an admin write, and the log type that the
// service's "audit logging" page gives them. All of them are Data Access logs, written only
// where the customer enables them.
describe('gcpPermissionVisibility of documented data-plane permissions', () => {
  it.each([
    // "Cloud Bigtable API audit logging": ReadRows and SampleRowKeys are DATA_READ,
    // MutateRow, MutateRows and CheckAndMutateRow check bigtable.tables.mutateRows or
    // bigtable.authorizedViews.mutateRows - DATA_WRITE.
    ['bigtable.tables.readRows', 'DATA_READ'],
    ['bigtable.tables.sampleRowKeys', 'DATA_READ'],
    ['bigtable.tables.mutateRows', 'DATA_WRITE'],
    ['bigtable.authorizedViews.readRows', 'DATA_READ'],
    ['bigtable.authorizedViews.mutateRows', 'DATA_WRITE'],
    // "Functions audit logging": CallFunction checks cloudfunctions.functions.call -
    // DATA_READ.
    ['cloudfunctions.functions.call', 'DATA_READ'],
    // "Cloud Run audit logging": Data Access logs (DATA_WRITE) Jobs.RunJob.
    ['run.jobs.run', 'DATA_WRITE'],
    ['run.jobs.runWithOverrides', 'DATA_WRITE'],
    // "Enable Data Access audit logs" (Vertex AI): prediction calls are DATA_READ entries.
    ['aiplatform.endpoints.predict', 'DATA_READ'],
    // "Artifact Registry audit logging", Data plane API: Docker-GetManifest checks
    // downloadArtifacts - DATA_READ, Docker-FinishUpload uploadArtifacts - DATA_WRITE.
    ['artifactregistry.repositories.downloadArtifacts', 'DATA_READ'],
    ['artifactregistry.repositories.uploadArtifacts', 'DATA_WRITE'],
    // GKE "Audit policy": reading the logs for a Pod is DATA_READ, updating Pod status
    // DATA_WRITE.
    ['container.pods.getLogs', 'DATA_READ'],
    ['container.pods.updateStatus', 'DATA_WRITE'],
    ['container.deployments.updateStatus', 'DATA_WRITE'],
  ])('classifies %s as %s', (permission, logType) => {
    expect(classifyGcpPermission(permission)).toBe(logType);
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });

  // "Trace audit logging": GetTrace and ListTraces check cloudtrace.traces.get and
  // cloudtrace.traces.list - DATA_READ, which the verb alone would call ADMIN_READ.
  it.each(['cloudtrace.traces.get', 'cloudtrace.traces.list'])(
    'classifies %s as data read',
    (permission) => {
      expect(classifyGcpPermission(permission)).toBe('DATA_READ');
    },
  );

  // GKE "Audit policy": ADMIN_READ covers reading metadata about Kubernetes resources,
  // such as listing Pods, and a watch is a list that streams the changes.
  it.each(['container.pods.watch', 'container.configMaps.watch'])(
    'classifies %s as admin read',
    (permission) => {
      expect(classifyGcpPermission(permission)).toBe('ADMIN_READ');
      expect(gcpPermissionVisibility(permission)).toBe('data-event');
    },
  );

  it('keeps the seen log type', () => {
    expect(
      gcpPermissionVisibility('bigtable.tables.readRows', {
        logType: 'projects/p1/logs/cloudaudit.googleapis.com%2Fdata_access',
      }),
    ).toBe('data-event');
  });
});

// Permissions the service's page lists as written to the Admin Activity log, which is
// always written, although they act on data.
describe('gcpPermissionVisibility of documented admin writes', () => {
  it.each([
    // "Cloud SQL audit logs" (Audited operations): cloudsql.instances.connect is under
    // Admin Activity audit logs.
    'cloudsql.instances.connect',
    // "Secret Manager Audit Logging": AddSecretVersion is ADMIN_WRITE.
    'secretmanager.versions.add',
    // "Dataflow audit logging": dataflow.jobs.create, cancel and updateContents are
    // ADMIN_WRITE.
    'dataflow.jobs.create',
    'dataflow.jobs.cancel',
    'dataflow.jobs.updateContents',
  ])('classifies %s as admin write', (permission) => {
    expect(classifyGcpPermission(permission)).toBe('ADMIN_WRITE');
    expect(gcpPermissionVisibility(permission)).toBe('logged');
  });
});

// Permissions whose use Cloud Audit Logs never records: right-sizing must report them as
// unobservable, never as unused.
describe('gcpPermissionVisibility of permissions never logged', () => {
  it.each([
    // "Pub/Sub audit logging", Methods that don't produce audit logs: Publish, Pull,
    // StreamingPull, Acknowledge and ModifyAckDeadline.
    'pubsub.topics.publish',
    'pubsub.subscriptions.consume',
    // "Dataflow audit logging", Methods that don't produce audit logs: GetJob, ListJobs,
    // SnapshotJob, ListJobMessages and GetJobMetrics.
    'dataflow.jobs.get',
    'dataflow.jobs.list',
    'dataflow.jobs.snapshot',
    'dataflow.messages.list',
    'dataflow.metrics.get',
    // "Trace audit logging", Methods that don't produce audit logs: PatchTraces,
    // BatchWriteSpans and CreateSpan.
    'cloudtrace.traces.patch',
    // "Cloud Run audit logging" lists no request to a service, and the Cloud Run functions
    // page lists no HTTP invocation.
    'run.routes.invoke',
    'cloudfunctions.functions.invoke',
  ])('marks %s as not logged', (permission) => {
    expect(gcpPermissionVisibility(permission)).toBe('not-logged');
  });

  it('follows the seen log type', () => {
    // A seen entry proves the use was logged, whatever the service's page stated earlier.
    expect(gcpPermissionVisibility('pubsub.topics.publish', { logType: 'data_access' })).toBe(
      'data-event',
    );
    expect(gcpPermissionVisibility('dataflow.jobs.get', { logType: 'activity' })).toBe('logged');
  });
});

// "Cloud Audit Logs with Cloud Storage" (https://cloud.google.com/storage/docs/audit-logging),
// Audited operations: setting or changing IAM policies and changing object ACLs are Admin
// Activity, getting IAM policies and object ACLs are ADMIN_READ, although objects are data.
describe('gcpPermissionVisibility of object IAM policies', () => {
  it('classifies object policy changes as admin write', () => {
    expect(classifyGcpPermission('storage.objects.setIamPolicy')).toBe('ADMIN_WRITE');
    expect(gcpPermissionVisibility('storage.objects.setIamPolicy')).toBe('logged');
  });

  it('classifies object policy reads as admin read', () => {
    expect(classifyGcpPermission('storage.objects.getIamPolicy')).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility('storage.objects.getIamPolicy')).toBe('data-event');
  });

  it('keeps object data access as data', () => {
    expect(classifyGcpPermission('storage.objects.list')).toBe('DATA_READ');
    expect(classifyGcpPermission('storage.objects.delete')).toBe('DATA_WRITE');
  });
});

// "Configure Data Access audit logs"
// (https://cloud.google.com/logging/docs/audit/configure-data-access): Data Access audit
// logs are disabled by default "for all services except some BigQuery services". "BigQuery
// audit logs overview" (https://cloud.google.com/bigquery/docs/reference/auditlogs): BigQuery
// Reservations and BigQuery Connections report requests as services of their own, and
// "BigQuery Data Transfer Service audit logging" names bigquerydatatransfer.googleapis.com.
describe('gcpPermissionVisibility of BigQuery APIs', () => {
  it('keeps BigQuery table reads logged', () => {
    expect(gcpPermissionVisibility('bigquery.tables.getData')).toBe('logged');
    expect(gcpPermissionVisibility('bigquery.datasets.get')).toBe('logged');
  });

  it.each([
    'bigquery.transfers.get',
    'bigquery.reservations.list',
    'bigquery.reservationAssignments.list',
    'bigquery.capacityCommitments.get',
    'bigquery.bireservations.get',
    'bigquery.connections.get',
    'bigquery.dataPolicies.get',
  ])('treats %s reads as optional data access', (permission) => {
    expect(classifyGcpPermission(permission)).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });
});

// "Identity-Aware Proxy audit logging" (https://cloud.google.com/iap/docs/audit-log-howto),
// Methods by permission type: GetTunnelDestGroup and ListTunnelDestGroups are DATA_READ,
// CreateTunnelDestGroup, DeleteTunnelDestGroup, UpdateTunnelDestGroup and UpdateIapSettings
// DATA_WRITE, and GetIapSettings ADMIN_READ.
describe('gcpPermissionVisibility of IAP settings', () => {
  it.each([
    ['iap.tunnelDestGroups.get', 'DATA_READ'],
    ['iap.tunnelDestGroups.list', 'DATA_READ'],
    ['iap.tunnelDestGroups.create', 'DATA_WRITE'],
    ['iap.tunnelDestGroups.delete', 'DATA_WRITE'],
    ['iap.tunnelDestGroups.update', 'DATA_WRITE'],
    ['iap.web.updateSettings', 'DATA_WRITE'],
    ['iap.tunnelInstances.updateSettings', 'DATA_WRITE'],
    ['iap.web.getSettings', 'ADMIN_READ'],
  ])('classifies %s as %s', (permission, logType) => {
    expect(classifyGcpPermission(permission)).toBe(logType);
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });

  it('keeps IAP policy changes logged', () => {
    expect(gcpPermissionVisibility('iap.web.setIamPolicy')).toBe('logged');
  });
});

// Method lists of the services' "audit logging" pages ("Methods by permission type" and the
// per-method permissions), for data-plane permissions the verb rule misreads.
describe('gcpPermissionVisibility of listed data-plane methods', () => {
  it.each([
    // "Cloud Key Management Service audit logging": Encrypt and RawEncrypt check
    // useToEncrypt, AsymmetricSign and MacSign useToSign, GetPublicKey viewPublicKey, all
    // DATA_READ.
    ['cloudkms.cryptoKeyVersions.useToEncrypt', 'DATA_READ'],
    ['cloudkms.cryptoKeyVersions.useToSign', 'DATA_READ'],
    ['cloudkms.cryptoKeyVersions.useToDecrypt', 'DATA_READ'],
    ['cloudkms.cryptoKeyVersions.useToVerify', 'DATA_READ'],
    ['cloudkms.cryptoKeyVersions.viewPublicKey', 'DATA_READ'],
    // "Spanner audit logging": CreateSession, BatchCreateSessions and DeleteSession check
    // DATA_WRITE permissions, GetSession and ListSessions DATA_READ ones, and
    // BeginTransaction, PartitionQuery and PartitionRead the transaction and partition
    // permissions below.
    ['spanner.sessions.create', 'DATA_WRITE'],
    ['spanner.sessions.delete', 'DATA_WRITE'],
    ['spanner.sessions.get', 'DATA_READ'],
    ['spanner.sessions.list', 'DATA_READ'],
    ['spanner.databases.beginOrRollbackReadWriteTransaction', 'DATA_WRITE'],
    ['spanner.databases.beginReadOnlyTransaction', 'DATA_READ'],
    ['spanner.databases.partitionQuery', 'DATA_READ'],
    ['spanner.databases.partitionRead', 'DATA_READ'],
    ['spanner.databaseRoles.use', 'DATA_WRITE'],
    ['spanner.databases.useRoleBasedAccess', 'DATA_WRITE'],
    // "Artifact Registry audit logging", Data plane API and ArtifactRegistry methods:
    // DownloadFile checks files.download - DATA_READ, Docker-DeleteBlob deleteArtifacts,
    // DeleteFile, DeletePackage, UpdatePackage, BatchDeleteVersions and DeleteAttachment
    // their resource permissions, all DATA_WRITE.
    ['artifactregistry.files.download', 'DATA_READ'],
    ['artifactregistry.repositories.deleteArtifacts', 'DATA_WRITE'],
    ['artifactregistry.files.delete', 'DATA_WRITE'],
    ['artifactregistry.packages.delete', 'DATA_WRITE'],
    ['artifactregistry.packages.update', 'DATA_WRITE'],
    ['artifactregistry.versions.delete', 'DATA_WRITE'],
    ['artifactregistry.attachments.delete', 'DATA_WRITE'],
    // "Cloud Bigtable API audit logging": ExecuteQuery and PrepareQuery check
    // bigtable.instances.executeQuery - DATA_READ, PingAndWarm bigtable.instances.ping -
    // ADMIN_READ.
    ['bigtable.instances.executeQuery', 'DATA_READ'],
    ['bigtable.instances.ping', 'ADMIN_READ'],
  ])('classifies %s as %s', (permission, logType) => {
    expect(classifyGcpPermission(permission)).toBe(logType);
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });

  it.each([
    // "Artifact Registry audit logging": CreateTag and UpdateVersion are ADMIN_WRITE.
    'artifactregistry.tags.create',
    'artifactregistry.versions.update',
    // "Cloud Key Management Service audit logging": ImportCryptoKeyVersion checks
    // cloudkms.importJobs.useToImport - ADMIN_WRITE.
    'cloudkms.importJobs.useToImport',
  ])('keeps %s logged as admin write', (permission) => {
    expect(classifyGcpPermission(permission)).toBe('ADMIN_WRITE');
    expect(gcpPermissionVisibility(permission)).toBe('logged');
  });
});

// "Cloud SQL for SQL Server audit logging" (https://cloud.google.com/sql/docs/sqlserver/audit-logging),
// Methods by permission type: databases and users reads are DATA_READ and their writes
// DATA_WRITE, instances.export is DATA_READ, instances.import, executeSql and login
// DATA_WRITE, and instances.connect ADMIN_WRITE.
describe('gcpPermissionVisibility of Cloud SQL data', () => {
  it.each([
    ['cloudsql.databases.get', 'DATA_READ'],
    ['cloudsql.databases.list', 'DATA_READ'],
    ['cloudsql.databases.create', 'DATA_WRITE'],
    ['cloudsql.databases.delete', 'DATA_WRITE'],
    ['cloudsql.databases.update', 'DATA_WRITE'],
    ['cloudsql.users.list', 'DATA_READ'],
    ['cloudsql.users.create', 'DATA_WRITE'],
    ['cloudsql.users.update', 'DATA_WRITE'],
    ['cloudsql.instances.export', 'DATA_READ'],
    ['cloudsql.instances.import', 'DATA_WRITE'],
    ['cloudsql.instances.executeSql', 'DATA_WRITE'],
    ['cloudsql.instances.login', 'DATA_WRITE'],
  ])('classifies %s as %s', (permission, logType) => {
    expect(classifyGcpPermission(permission)).toBe(logType);
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });

  it('keeps instance restarts logged', () => {
    expect(classifyGcpPermission('cloudsql.instances.restart')).toBe('ADMIN_WRITE');
    expect(gcpPermissionVisibility('cloudsql.instances.restart')).toBe('logged');
  });
});

// "Pub/Sub audit logging" (https://cloud.google.com/pubsub/docs/audit-logging), Methods by
// permission type: GetTopic, ListTopics, GetSubscription and ListSubscriptions check
// DATA_READ permissions, and Seek checks pubsub.snapshots.seek - ADMIN_READ.
describe('gcpPermissionVisibility of Pub/Sub configuration', () => {
  it.each([
    ['pubsub.topics.get', 'DATA_READ'],
    ['pubsub.topics.list', 'DATA_READ'],
    ['pubsub.subscriptions.get', 'DATA_READ'],
    ['pubsub.subscriptions.list', 'DATA_READ'],
    ['pubsub.snapshots.seek', 'ADMIN_READ'],
    ['pubsub.snapshots.list', 'ADMIN_READ'],
  ])('classifies %s as %s', (permission, logType) => {
    expect(classifyGcpPermission(permission)).toBe(logType);
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });
});

// "Firestore audit logging information" (https://cloud.google.com/firestore/native/docs/audit-logging):
// BeginTransaction, Commit and Rollback check datastore.databases.get - DATA_READ, document
// reads and writes datastore.entities permissions, and GetDatabase
// datastore.databases.getMetadata - ADMIN_READ.
describe('gcpPermissionVisibility of Firestore', () => {
  it.each([
    ['datastore.databases.get', 'DATA_READ'],
    ['datastore.entities.get', 'DATA_READ'],
    ['datastore.entities.list', 'DATA_READ'],
    ['datastore.entities.create', 'DATA_WRITE'],
    ['datastore.entities.allocateIds', 'DATA_WRITE'],
    ['datastore.databases.getMetadata', 'ADMIN_READ'],
  ])('classifies %s as %s', (permission, logType) => {
    expect(classifyGcpPermission(permission)).toBe(logType);
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });
});
