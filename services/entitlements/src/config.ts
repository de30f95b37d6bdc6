import { setting } from '@ciem/config';
import { clickhouseConnectionSettings } from '@ciem/clickhouse';
import {
  kafkaConnectionSettings,
  kafkaSecuritySettings,
  kafkaTopicCreationSettings,
} from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the entitlements service: the shared service settings plus its own. */
export const entitlementsSchema = {
  ...serviceSettings,
  schedule: setting.enum({
    env: 'CIEM_ENTITLEMENTS_SCHEDULE',
    description:
      '`once` collects one snapshot per provider and exits 0; `interval` collects again every `CIEM_ENTITLEMENTS_INTERVAL_MS` until stopped.',
    values: ['once', 'interval'] as const,
    default: 'once',
  }),
  intervalMs: setting.duration({
    env: 'CIEM_ENTITLEMENTS_INTERVAL_MS',
    description: 'Time from the start of one collection to the start of the next, with `interval`.',
    default: 3_600_000,
    min: 1_000,
  }),
  awsSource: setting.enum({
    env: 'CIEM_ENTITLEMENTS_AWS_SOURCE',
    description:
      '`files` reads `CIEM_ENTITLEMENTS_AWS_DIR`; `api` calls GetAccountAuthorizationDetails with the SDK default credentials; `off` skips AWS.',
    values: ['off', 'files', 'api'] as const,
    default: 'off',
  }),
  awsDir: setting.string({
    env: 'CIEM_ENTITLEMENTS_AWS_DIR',
    description:
      'Folder of GetAccountAuthorizationDetails exports (`.json`, `.ndjson`, `.gz`), read recursively.',
    optional: true,
  }),
  awsRegion: setting.string({
    env: 'CIEM_ENTITLEMENTS_AWS_REGION',
    description: 'Region the IAM API requests are signed for, with source `api`.',
    default: 'us-east-1',
  }),
  awsEndpoint: setting.url({
    env: 'CIEM_ENTITLEMENTS_AWS_ENDPOINT',
    description: 'IAM endpoint override with source `api`, such as a local test server.',
    optional: true,
  }),
  azureSource: setting.enum({
    env: 'CIEM_ENTITLEMENTS_AZURE_SOURCE',
    description:
      '`files` reads `CIEM_ENTITLEMENTS_AZURE_DIR`; `api` lists role assignments, role definitions, deny assignments and provider operations through Azure Resource Manager with `DefaultAzureCredential`; `off` skips Azure.',
    values: ['off', 'files', 'api'] as const,
    default: 'off',
  }),
  azureDir: setting.string({
    env: 'CIEM_ENTITLEMENTS_AZURE_DIR',
    description:
      'Folder of `az role assignment list`, `az role definition list`, provider operation, group member and ARM REST exports, read recursively.',
    optional: true,
  }),
  azureSubscriptionIds: setting.list({
    env: 'CIEM_ENTITLEMENTS_AZURE_SUBSCRIPTION_IDS',
    description:
      'Subscription GUIDs read with source `api`, comma-separated; `api` needs these or `CIEM_ENTITLEMENTS_AZURE_MANAGEMENT_GROUP_ID`.',
    default: [],
  }),
  azureManagementGroupId: setting.string({
    env: 'CIEM_ENTITLEMENTS_AZURE_MANAGEMENT_GROUP_ID',
    description:
      'Management group id (not its display name) whose role assignments and role definitions are also read with source `api`.',
    optional: true,
  }),
  azureProviderOperations: setting.boolean({
    env: 'CIEM_ENTITLEMENTS_AZURE_PROVIDER_OPERATIONS_ENABLED',
    description:
      'Reads the provider operation catalog with source `api`, so that wildcards such as `Microsoft.Compute/*` expand to operations.',
    default: true,
  }),
  azureEndpoint: setting.url({
    env: 'CIEM_ENTITLEMENTS_AZURE_ENDPOINT',
    description:
      'Azure Resource Manager endpoint with source `api`, such as `https://management.usgovcloudapi.net` for Azure Government; `https://management.azure.com` when unset.',
    optional: true,
  }),
  azureCatalogFromRoles: setting.boolean({
    env: 'CIEM_ENTITLEMENTS_AZURE_CATALOG_FROM_ROLES_ENABLED',
    description:
      'Expands Azure wildcards against the operations the exported role definitions name when no provider operation list is exported.',
    default: false,
  }),
  azureAccountId: setting.string({
    env: 'CIEM_ENTITLEMENTS_AZURE_ACCOUNT_ID',
    description:
      'Azure snapshot `account_id`, such as the tenant id; by default the subscription when there is one, else `tenant`.',
    optional: true,
  }),
  gcpSource: setting.enum({
    env: 'CIEM_ENTITLEMENTS_GCP_SOURCE',
    description:
      '`files` reads `CIEM_ENTITLEMENTS_GCP_DIR`; `api` lists the IAM policies of `CIEM_ENTITLEMENTS_GCP_SCOPE` through Cloud Asset Inventory and the roles through the IAM API with Application Default Credentials; `off` skips GCP.',
    values: ['off', 'files', 'api'] as const,
    default: 'off',
  }),
  gcpDir: setting.string({
    env: 'CIEM_ENTITLEMENTS_GCP_DIR',
    description:
      'Folder of Cloud Asset Inventory, getIamPolicy, role and group member exports, read recursively.',
    optional: true,
  }),
  gcpScope: setting.string({
    env: 'CIEM_ENTITLEMENTS_GCP_SCOPE',
    description:
      'Scope read with source `api`: `organizations/<number>`, `folders/<number>` or `projects/<project id>`.',
    optional: true,
  }),
  gcpAssetEndpoint: setting.url({
    env: 'CIEM_ENTITLEMENTS_GCP_ASSET_ENDPOINT',
    description:
      'Cloud Asset API root with source `api`; `https://cloudasset.googleapis.com` when unset.',
    optional: true,
  }),
  gcpIamEndpoint: setting.url({
    env: 'CIEM_ENTITLEMENTS_GCP_IAM_ENDPOINT',
    description: 'IAM API root with source `api`; `https://iam.googleapis.com` when unset.',
    optional: true,
  }),
  gcpAccountId: setting.string({
    env: 'CIEM_ENTITLEMENTS_GCP_ACCOUNT_ID',
    description:
      'GCP snapshot `account_id`; by default the organization when the export shows one, else the project.',
    optional: true,
  }),
  kafkaEnabled: setting.boolean({
    env: 'CIEM_ENTITLEMENTS_KAFKA_ENABLED',
    description: 'Publishes each snapshot to the compacted entitlements topic.',
    default: true,
  }),
  ...kafkaConnectionSettings('ciem.entitlements'),
  ...kafkaSecuritySettings,
  ...kafkaTopicCreationSettings('the entitlements topic'),
  clickhouseEnabled: setting.boolean({
    env: 'CIEM_ENTITLEMENTS_CLICKHOUSE_ENABLED',
    description:
      'Writes each snapshot to the ClickHouse `entitlements` table, and its role catalog to `role_catalog` and `gcp_permission_support`.',
    default: true,
  }),
  ...clickhouseConnectionSettings({
    tables: 'the `entitlements`, `role_catalog` and `gcp_permission_support` tables',
  }),
  batchMaxRows: setting.integer({
    env: 'CIEM_CLICKHOUSE_BATCH_MAX_ROWS',
    description: 'Rows per ClickHouse INSERT.',
    default: 10_000,
    min: 1,
    unit: 'rows',
  }),
  migrations: setting.boolean({
    env: 'CIEM_MIGRATIONS_ENABLED',
    description: 'Applies the ClickHouse migrations at start (idempotent).',
    default: true,
  }),
};
