/** A GCP role definition in the shape `gcloud iam roles describe` prints. */
export interface GcpRole {
  readonly name: string;
  readonly title: string;
  readonly includedPermissions: readonly string[];
  readonly stage: 'GA' | 'BETA' | 'ALPHA';
}

const role = (name: string, title: string, permissions: string): GcpRole => ({
  name,
  title,
  includedPermissions: permissions.split(/\s+/).filter(Boolean).sort(),
  stage: 'GA',
});

/**
 * Predefined roles the estate binds, under their real names and titles.
 * NOTE: `includedPermissions` lists only the permissions of this simulator's catalog that
 * each real role contains; the real roles contain many more.
 */
export const GCP_PREDEFINED_ROLES: readonly GcpRole[] = [
  role(
    'roles/owner',
    'Owner',
    `bigquery.jobs.create compute.disks.list compute.firewalls.create compute.instances.create
     compute.instances.delete compute.instances.get compute.instances.list
     compute.instances.setMetadata compute.instances.start compute.instances.stop
     iam.serviceAccountKeys.create iam.serviceAccounts.create iam.serviceAccounts.get
     iam.serviceAccounts.list logging.sinks.delete logging.sinks.list logging.sinks.update
     pubsub.subscriptions.create pubsub.topics.create pubsub.topics.get pubsub.topics.list
     resourcemanager.projects.getIamPolicy resourcemanager.projects.setIamPolicy run.services.get
     run.services.update secretmanager.secrets.get secretmanager.versions.access
     storage.buckets.create storage.buckets.list`,
  ),
  role(
    'roles/editor',
    'Editor',
    `bigquery.jobs.create compute.disks.list compute.firewalls.create compute.instances.create
     compute.instances.delete compute.instances.get compute.instances.list
     compute.instances.setMetadata compute.instances.start compute.instances.stop
     iam.serviceAccountKeys.create iam.serviceAccounts.create iam.serviceAccounts.get
     iam.serviceAccounts.list logging.sinks.list pubsub.subscriptions.create pubsub.topics.create
     pubsub.topics.get pubsub.topics.list resourcemanager.projects.getIamPolicy run.services.get
     run.services.update secretmanager.secrets.get storage.buckets.create storage.buckets.list`,
  ),
  role(
    'roles/viewer',
    'Viewer',
    `bigquery.jobs.create compute.disks.list compute.instances.get compute.instances.list
     iam.serviceAccounts.get iam.serviceAccounts.list logging.sinks.list pubsub.topics.get
     pubsub.topics.list resourcemanager.projects.getIamPolicy run.services.get
     secretmanager.secrets.get storage.buckets.list`,
  ),
  role(
    'roles/storage.objectViewer',
    'Storage Object Viewer',
    'storage.objects.get storage.objects.list',
  ),
  role(
    'roles/storage.objectAdmin',
    'Storage Object Admin',
    'storage.objects.create storage.objects.delete storage.objects.get storage.objects.list',
  ),
  role(
    'roles/storage.admin',
    'Storage Admin',
    `storage.buckets.create storage.buckets.list storage.objects.create storage.objects.delete
     storage.objects.get storage.objects.list`,
  ),
  role(
    'roles/compute.viewer',
    'Compute Viewer',
    'compute.disks.list compute.instances.get compute.instances.list',
  ),
  role(
    'roles/compute.instanceAdmin.v1',
    'Compute Instance Admin (v1)',
    `compute.disks.list compute.instances.create compute.instances.delete compute.instances.get
     compute.instances.list compute.instances.setMetadata compute.instances.start
     compute.instances.stop`,
  ),
  role(
    'roles/iam.serviceAccountAdmin',
    'Service Account Admin',
    'iam.serviceAccounts.create iam.serviceAccounts.get iam.serviceAccounts.list',
  ),
  role(
    'roles/iam.serviceAccountKeyAdmin',
    'Service Account Key Admin',
    'iam.serviceAccountKeys.create iam.serviceAccounts.get iam.serviceAccounts.list',
  ),
  role(
    'roles/iam.serviceAccountTokenCreator',
    'Service Account Token Creator',
    'iam.serviceAccounts.get iam.serviceAccounts.getAccessToken iam.serviceAccounts.list',
  ),
  role(
    'roles/resourcemanager.projectIamAdmin',
    'Project IAM Admin',
    'resourcemanager.projects.getIamPolicy resourcemanager.projects.setIamPolicy',
  ),
  role(
    'roles/iam.securityReviewer',
    'Security Reviewer',
    `compute.disks.list compute.instances.list iam.serviceAccounts.get iam.serviceAccounts.list
     logging.sinks.list pubsub.topics.list resourcemanager.projects.getIamPolicy
     storage.buckets.list storage.objects.list`,
  ),
  role(
    'roles/bigquery.dataViewer',
    'BigQuery Data Viewer',
    'bigquery.tables.get bigquery.tables.getData',
  ),
  role('roles/bigquery.jobUser', 'BigQuery Job User', 'bigquery.jobs.create'),
  role(
    'roles/pubsub.editor',
    'Pub/Sub Editor',
    'pubsub.subscriptions.create pubsub.topics.create pubsub.topics.get pubsub.topics.list',
  ),
  role(
    'roles/secretmanager.secretAccessor',
    'Secret Manager Secret Accessor',
    'secretmanager.versions.access',
  ),
  role(
    'roles/logging.configWriter',
    'Logs Configuration Writer',
    'logging.sinks.delete logging.sinks.list logging.sinks.update',
  ),
  role('roles/run.developer', 'Cloud Run Developer', 'run.services.get run.services.update'),
];

export function gcpPredefinedRole(name: string): GcpRole {
  const found = GCP_PREDEFINED_ROLES.find((r) => r.name === name);
  if (!found) throw new Error(`unknown GCP role ${name}`);
  return found;
}
