import { apiCall as c } from './types.js';
import type { PermissionGroup } from './types.js';

const STORAGE = 'storage.googleapis.com';
const COMPUTE = 'compute.googleapis.com';
const IAM = 'iam.googleapis.com';
const CRM = 'cloudresourcemanager.googleapis.com';
const BQ = 'bigquery.googleapis.com';
const PUBSUB = 'pubsub.googleapis.com';
const SECRETS = 'secretmanager.googleapis.com';
const LOGGING = 'logging.googleapis.com';
const RUN = 'run.googleapis.com';
const CREDENTIALS = 'iamcredentials.googleapis.com';

/**
 * Cloud Audit Log methods by permission group. The `d` flag sends an entry to the
 * `data_access` log; everything else is an Admin Activity entry. Permissions are the ones
 * the services report in `authorizationInfo`.
 */
export const GCP_GROUPS: readonly PermissionGroup[] = [
  group('gcp:storage-read', [
    c(STORAGE, 'storage.buckets.list', 'storage.buckets.list', 'project', 'rd', 1),
    c(STORAGE, 'storage.objects.list', 'storage.objects.list', 'bucket', 'rd', 4),
    c(STORAGE, 'storage.objects.get', 'storage.objects.get', 'object', 'rd', 10),
  ]),
  group('gcp:storage-write', [
    c(STORAGE, 'storage.objects.create', 'storage.objects.create', 'object', 'd', 5),
    c(STORAGE, 'storage.objects.delete', 'storage.objects.delete', 'object', 'd', 1),
    c(STORAGE, 'storage.buckets.create', 'storage.buckets.create', 'bucket', '', 1),
  ]),
  group('gcp:compute-read', [
    c(COMPUTE, 'v1.compute.instances.list', 'compute.instances.list', 'zone', 'rd', 4),
    c(COMPUTE, 'v1.compute.instances.get', 'compute.instances.get', 'instance', 'rd', 3),
    c(COMPUTE, 'v1.compute.disks.list', 'compute.disks.list', 'zone', 'rd', 1),
  ]),
  group('gcp:compute-write', [
    c(COMPUTE, 'v1.compute.instances.insert', 'compute.instances.create', 'instance', '', 1),
    c(COMPUTE, 'v1.compute.instances.start', 'compute.instances.start', 'instance', '', 2),
    c(COMPUTE, 'v1.compute.instances.stop', 'compute.instances.stop', 'instance', '', 2),
    c(COMPUTE, 'v1.compute.instances.delete', 'compute.instances.delete', 'instance', '', 1),
    c(
      COMPUTE,
      'v1.compute.instances.setMetadata',
      'compute.instances.setMetadata',
      'instance',
      '',
      1,
    ),
    c(COMPUTE, 'v1.compute.firewalls.insert', 'compute.firewalls.create', 'firewall', '', 1),
  ]),
  group('gcp:iam-read', [
    c(
      IAM,
      'google.iam.admin.v1.ListServiceAccounts',
      'iam.serviceAccounts.list',
      'project',
      'rd',
      2,
    ),
    c(
      IAM,
      'google.iam.admin.v1.GetServiceAccount',
      'iam.serviceAccounts.get',
      'serviceAccount',
      'rd',
      1,
    ),
    c(CRM, 'GetIamPolicy', 'resourcemanager.projects.getIamPolicy', 'project', 'rd', 2),
  ]),
  group('gcp:iam-admin', [
    c(
      IAM,
      'google.iam.admin.v1.CreateServiceAccount',
      'iam.serviceAccounts.create',
      'project',
      '',
      1,
    ),
    c(
      IAM,
      'google.iam.admin.v1.CreateServiceAccountKey',
      'iam.serviceAccountKeys.create',
      'serviceAccount',
      '',
      1,
    ),
    c(CRM, 'SetIamPolicy', 'resourcemanager.projects.setIamPolicy', 'project', '', 1),
  ]),
  group('gcp:bigquery', [
    c(BQ, 'google.cloud.bigquery.v2.JobService.InsertJob', 'bigquery.jobs.create', 'job', 'd', 6),
    c(
      BQ,
      'google.cloud.bigquery.v2.TableService.GetTable',
      'bigquery.tables.get',
      'table',
      'rd',
      2,
    ),
    c(
      BQ,
      'google.cloud.bigquery.v2.TableDataService.List',
      'bigquery.tables.getData',
      'table',
      'rd',
      3,
    ),
  ]),
  group('gcp:pubsub', [
    c(PUBSUB, 'google.pubsub.v1.Publisher.ListTopics', 'pubsub.topics.list', 'project', 'rd', 2),
    c(PUBSUB, 'google.pubsub.v1.Publisher.GetTopic', 'pubsub.topics.get', 'topic', 'rd', 2),
    c(PUBSUB, 'google.pubsub.v1.Publisher.CreateTopic', 'pubsub.topics.create', 'topic', '', 1),
    c(
      PUBSUB,
      'google.pubsub.v1.Subscriber.CreateSubscription',
      'pubsub.subscriptions.create',
      'subscription',
      '',
      1,
    ),
  ]),
  group('gcp:secrets', [
    c(
      SECRETS,
      'google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion',
      'secretmanager.versions.access',
      'secretVersion',
      'rd',
      5,
    ),
    c(
      SECRETS,
      'google.cloud.secretmanager.v1.SecretManagerService.GetSecret',
      'secretmanager.secrets.get',
      'secret',
      'rd',
      1,
    ),
  ]),
  group('gcp:logging-admin', [
    c(
      LOGGING,
      'google.logging.v2.ConfigServiceV2.ListSinks',
      'logging.sinks.list',
      'project',
      'rd',
      3,
    ),
    c(
      LOGGING,
      'google.logging.v2.ConfigServiceV2.UpdateSink',
      'logging.sinks.update',
      'sink',
      '',
      1,
    ),
    c(
      LOGGING,
      'google.logging.v2.ConfigServiceV2.DeleteSink',
      'logging.sinks.delete',
      'sink',
      '',
      1,
    ),
  ]),
  group('gcp:run-deploy', [
    c(RUN, 'google.cloud.run.v1.Services.GetService', 'run.services.get', 'runService', 'rd', 2),
    c(
      RUN,
      'google.cloud.run.v1.Services.ReplaceService',
      'run.services.update',
      'runService',
      '',
      1,
    ),
  ]),
  group('gcp:impersonate', [
    c(
      CREDENTIALS,
      'GenerateAccessToken',
      'iam.serviceAccounts.getAccessToken',
      'serviceAccount',
      'rd',
      1,
    ),
  ]),
];

function group(id: string, calls: PermissionGroup['calls']): PermissionGroup {
  return { id, provider: 'gcp', calls };
}

/** Resource kinds whose reads are `DATA_READ` rather than `ADMIN_READ`. */
export const GCP_DATA_RESOURCES = new Set(['object', 'bucket', 'table', 'secretVersion']);

export function gcpCall(groupId: string, name: string) {
  const found = GCP_GROUPS.find((g) => g.id === groupId)?.calls.find((x) => x.name === name);
  if (!found) throw new Error(`unknown GCP call ${groupId}/${name}`);
  return found;
}
