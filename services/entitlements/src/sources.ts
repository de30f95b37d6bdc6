import type { ConfigValues } from '@ciem/config';
import type { EntitlementProvider, ExportDocument, ExportProblem } from '@ciem/entitlements';
import {
  collectAwsAuthorizationDetails,
  createAwsIamClient,
} from '@ciem/entitlements-aws-collector';
import { collectAzureRbac, createAzureCredential } from '@ciem/entitlements-azure-collector';
import { collectGcpIamPolicies, createGcpCredentials } from '@ciem/entitlements-gcp-collector';
import { readExportFiles } from '@ciem/entitlements-store';
import type { entitlementsSchema } from './config.js';

/** Values of the entitlements service's configuration. */
export type EntitlementsConfig = ConfigValues<typeof entitlementsSchema>;

/**
 * Checks the settings that depend on each other and returns one line per problem, worded
 * like the configuration loader's messages. A `files` source needs its folder, Azure `api`
 * needs subscriptions or a management group, GCP `api` needs a scope, and at least one
 * provider and one output must be on.
 */
export function checkSources(config: EntitlementsConfig): string[] {
  const problems: string[] = [];
  const sources: Array<[string, string, string | undefined, string]> = [
    ['AWS', config.awsSource, config.awsDir, 'CIEM_ENTITLEMENTS_AWS'],
    ['AZURE', config.azureSource, config.azureDir, 'CIEM_ENTITLEMENTS_AZURE'],
    ['GCP', config.gcpSource, config.gcpDir, 'CIEM_ENTITLEMENTS_GCP'],
  ];
  for (const [name, source, dir, prefix] of sources) {
    if (source === 'files' && dir === undefined) {
      problems.push(
        `${prefix}_DIR: expected a folder of ${name} exports because ${prefix}_SOURCE is \`files\`, received nothing`,
      );
    }
  }
  if (
    config.azureSource === 'api' &&
    config.azureSubscriptionIds.length === 0 &&
    config.azureManagementGroupId === undefined
  ) {
    problems.push(
      'CIEM_ENTITLEMENTS_AZURE_SUBSCRIPTION_IDS: expected subscription GUIDs or CIEM_ENTITLEMENTS_AZURE_MANAGEMENT_GROUP_ID because CIEM_ENTITLEMENTS_AZURE_SOURCE is `api`, received nothing',
    );
  }
  if (config.gcpSource === 'api' && config.gcpScope === undefined) {
    problems.push(
      'CIEM_ENTITLEMENTS_GCP_SCOPE: expected organizations/<number>, folders/<number> or projects/<project id> because CIEM_ENTITLEMENTS_GCP_SOURCE is `api`, received nothing',
    );
  }
  if (sources.every(([, source]) => source === 'off')) {
    problems.push(
      'CIEM_ENTITLEMENTS_AWS_SOURCE, CIEM_ENTITLEMENTS_AZURE_SOURCE, CIEM_ENTITLEMENTS_GCP_SOURCE: expected at least one source other than `off`, received `off` for all three',
    );
  }
  if (!config.kafkaEnabled && !config.clickhouseEnabled) {
    problems.push(
      'CIEM_ENTITLEMENTS_KAFKA_ENABLED, CIEM_ENTITLEMENTS_CLICKHOUSE_ENABLED: expected at least one output, received `false` for both',
    );
  }
  return problems;
}

/** Documents gathered from every configured source. */
export interface GatheredDocuments {
  readonly documents: ExportDocument[];
  readonly problems: ExportProblem[];
  /** Files read, per provider. */
  readonly files: Partial<Record<EntitlementProvider, number>>;
  /** Files of the export folders left out as activity logs or `ciem simulate` files. */
  readonly skippedFiles: string[];
}

/**
 * Reads the export folders of the providers set to `files`, and the provider APIs of those
 * set to `api`. Throws the collectors' errors (`ConfigError` for access and options,
 * `DependencyError` when an API keeps failing).
 */
export async function gatherDocuments(
  config: EntitlementsConfig,
  abortSignal?: AbortSignal,
): Promise<GatheredDocuments> {
  const documents: ExportDocument[] = [];
  const problems: ExportProblem[] = [];
  const files: Partial<Record<EntitlementProvider, number>> = {};
  const skippedFiles: string[] = [];
  const folders: Array<[EntitlementProvider, string, string | undefined]> = [
    ['aws', config.awsSource, config.awsDir],
    ['azure', config.azureSource, config.azureDir],
    ['gcp', config.gcpSource, config.gcpDir],
  ];
  for (const [provider, source, dir] of folders) {
    if (source !== 'files' || dir === undefined) continue;
    // A folder may hold activity logs beside the exports, as a simulated estate does.
    const read = await readExportFiles([dir], { skipLogs: true });
    documents.push(...read.documents);
    problems.push(...read.problems);
    files[provider] = read.files.length;
    skippedFiles.push(...read.skipped.log, ...read.skipped.simulator);
  }

  if (config.awsSource === 'api') {
    const client = createAwsIamClient({
      region: config.awsRegion,
      ...(config.awsEndpoint === undefined ? {} : { endpoint: config.awsEndpoint }),
    });
    try {
      const pages = await collectAwsAuthorizationDetails({
        client,
        ...(abortSignal === undefined ? {} : { abortSignal }),
      });
      documents.push(...pages);
    } finally {
      client.destroy();
    }
  }

  const signal = abortSignal === undefined ? {} : { abortSignal };
  // NOTE: the Azure and GCP API collectors read no group memberships (Microsoft Graph,
  // Cloud Identity), so group members do not inherit the group's grants with source `api`.
  if (config.azureSource === 'api') {
    documents.push(
      ...(await collectAzureRbac({
        credential: createAzureCredential(),
        subscriptionIds: config.azureSubscriptionIds,
        providerOperations: config.azureProviderOperations,
        ...(config.azureManagementGroupId === undefined
          ? {}
          : { managementGroupId: config.azureManagementGroupId }),
        ...(config.azureEndpoint === undefined ? {} : { endpoint: config.azureEndpoint }),
        ...signal,
      })),
    );
  }

  if (config.gcpSource === 'api' && config.gcpScope !== undefined) {
    documents.push(
      ...(await collectGcpIamPolicies({
        scope: config.gcpScope,
        credentials: createGcpCredentials(),
        ...(config.gcpAssetEndpoint === undefined
          ? {}
          : { assetEndpoint: config.gcpAssetEndpoint }),
        ...(config.gcpIamEndpoint === undefined ? {} : { iamEndpoint: config.gcpIamEndpoint }),
        // Without support levels, GCP custom roles are recommended unchecked and their notes state it.
        onListingSkipped: (request, error) =>
          problems.push({
            code: error.code,
            source: `gcp/${request}`,
            record: '',
            field: '',
            message: `${error.message} Custom role recommendations are not checked for permissions that custom roles do not support.`,
          }),
        ...signal,
      })),
    );
  }
  return { documents, problems, files, skippedFiles };
}
