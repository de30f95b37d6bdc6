import { CiemError, messageOf } from '@ciem/errors';
import type { AwsAuthorizationDetailsInput } from '../aws/authorization-details.js';
import { parseAwsAuthorizationDetails } from '../aws/authorization-details.js';
import type { AwsEvaluationStats } from '../aws/evaluate-aws.js';
import { evaluateAwsEntitlements } from '../aws/evaluate-aws.js';
import type { AzureEvaluationOptions, AzureEvaluationStats } from '../azure/azure-entitlements.js';
import { evaluateAzureEntitlements } from '../azure/azure-entitlements.js';
import { readAzureExports } from '../azure/azure-export.js';
import type { GcpEvaluationStats } from '../gcp/gcp-entitlements.js';
import { evaluateGcpEntitlements } from '../gcp/gcp-entitlements.js';
import { readGcpExports } from '../gcp/gcp-export.js';
import { isGcpPermissionRecord, isGcpPermissionsResponse } from '../gcp/gcp-permissions.js';
import type { CompactPrincipalEntitlements } from '../model/compact-entitlements.js';
import type { EntitlementProvider } from '../model/entitlements.js';
import { PermissionSetCache, PermissionTable } from '../model/permission-set.js';
import type { SnapshotHeader } from '../model/snapshot-stream.js';
import type { ExportDocument, ExportProblem } from './export-documents.js';
import { ExportProblemCode, recordPosition } from './export-documents.js';
import { roleCatalogOf, type RoleCatalog } from './role-catalog.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const AWS_KEYS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];
const GCP_KEYS = [
  'iam_policy',
  'iamPolicy',
  'asset_type',
  'assetType',
  'includedPermissions',
  'policy',
  'group',
];
const AZURE_KEYS = [
  'principalId',
  'roleDefinitionId',
  'roleName',
  'properties',
  'resourceTypes',
  'operations',
  '@odata.context',
  'groupId',
];

/**
 * Tells which provider an export document comes from by its fields: AWS
 * GetAccountAuthorizationDetails pages, GCP asset, policy, role, permission or group records, Azure
 * RBAC records. Arrays and REST pages are judged by their first object. Returns
 * `undefined` when nothing matches.
 */
export function detectExportProvider(value: unknown): EntitlementProvider | undefined {
  let sample: unknown = value;
  if (isObject(sample) && Array.isArray(sample.value) && !('@odata.context' in sample)) {
    sample = sample.value;
  }
  if (isObject(sample) && isObject(sample.responses)) return 'azure';
  if (isGcpPermissionsResponse(sample)) return 'gcp';
  if (Array.isArray(sample)) sample = sample.find(isObject);
  if (isGcpPermissionRecord(sample)) return 'gcp';
  if (!isObject(sample)) return undefined;
  const keys = Object.keys(sample);
  if (keys.some((key) => AWS_KEYS.includes(key))) return 'aws';
  if (keys.some((key) => GCP_KEYS.includes(key))) return 'gcp';
  if (keys.length > 0 && keys.every((key) => key.startsWith('group:'))) return 'gcp';
  if (keys.some((key) => AZURE_KEYS.includes(key))) return 'azure';
  if (keys.length > 0 && keys.every((key) => /^[0-9a-f-]{36}$/i.test(key))) return 'azure';
  return undefined;
}

/** One provider's part of an evaluation, before it is written. */
export interface CollectedSnapshot {
  readonly header: SnapshotHeader;
  /** Sorted by principal id. */
  readonly principals: readonly CompactPrincipalEntitlements[];
}

/** Options of `evaluateExportDocuments`. */
export interface EvaluateExportsOptions {
  /** Snapshot time, in milliseconds since the Unix epoch. */
  readonly takenAt: number;
  /** Provider of documents whose fields do not tell; they are reported as problems otherwise. */
  readonly provider?: EntitlementProvider;
  /** Azure options beyond the time. */
  readonly azure?: Omit<AzureEvaluationOptions, 'takenAt' | 'cache'>;
  /** GCP snapshot `account_id`. */
  readonly gcpAccountId?: string;
}

/** Snapshots of every provider found in a set of export documents. */
export interface ExportsEvaluation {
  /** AWS: one per account; Azure and GCP: one each. Empty providers are left out. */
  readonly snapshots: CollectedSnapshot[];
  readonly problems: ExportProblem[];
  readonly stats: {
    aws?: AwsEvaluationStats;
    azure?: AzureEvaluationStats;
    gcp?: GcpEvaluationStats;
  };
  /** Documents read per provider. */
  readonly documents: Record<EntitlementProvider, number>;
  /** Azure built-in and GCP predefined roles of the same documents. */
  readonly catalog: RoleCatalog;
}

/**
 * Evaluates export documents of any providers, mixed in any order, into snapshots: each
 * document goes to the provider `detectExportProvider` names (or `options.provider`). An
 * AWS document that the AWS parser rejects becomes a problem and the rest is still
 * evaluated. One permission table serves all providers.
 */
export function evaluateExportDocuments(
  documents: Iterable<ExportDocument>,
  options: EvaluateExportsOptions,
): ExportsEvaluation {
  const byProvider: Record<EntitlementProvider, ExportDocument[]> = { aws: [], azure: [], gcp: [] };
  const problems: ExportProblem[] = [];
  for (const document of documents) {
    const provider = detectExportProvider(document.value) ?? options.provider;
    if (provider === undefined) {
      problems.push({
        code: ExportProblemCode.unknownRecord,
        source: document.source,
        record: recordPosition(document),
        field: '',
        message: `${document.source} ${recordPosition(document)} is not an AWS, Azure or GCP IAM export; name its provider or remove it from the inputs`,
      });
      continue;
    }
    byProvider[provider].push(document);
  }

  const cache = new PermissionSetCache(new PermissionTable());
  const snapshots: CollectedSnapshot[] = [];
  const stats: ExportsEvaluation['stats'] = {};

  const awsInputs: AwsAuthorizationDetailsInput[] = [];
  for (const document of byProvider.aws) {
    const input = { source: document.source, value: document.value };
    try {
      parseAwsAuthorizationDetails([input]);
      awsInputs.push(input);
    } catch (error) {
      problems.push({
        code: error instanceof CiemError ? error.code : ExportProblemCode.invalidRecord,
        source: document.source,
        record: recordPosition(document),
        field: error instanceof CiemError ? String(error.details.field ?? '') : '',
        message: messageOf(error),
      });
    }
  }
  if (awsInputs.length > 0) {
    const aws = evaluateAwsEntitlements(parseAwsAuthorizationDetails(awsInputs), { cache });
    stats.aws = aws.stats;
    const accounts = new Map<string, CompactPrincipalEntitlements[]>();
    for (const principal of aws.principals) {
      const list = accounts.get(principal.account_id) ?? [];
      list.push(principal);
      accounts.set(principal.account_id, list);
    }
    for (const [accountId, principals] of [...accounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      snapshots.push({
        header: { taken_at: options.takenAt, provider: 'aws', account_id: accountId },
        principals,
      });
    }
  }

  const azureExport = byProvider.azure.length > 0 ? readAzureExports(byProvider.azure) : undefined;
  if (azureExport !== undefined) {
    const azure = evaluateAzureEntitlements(azureExport, {
      ...options.azure,
      takenAt: options.takenAt,
      cache,
    });
    stats.azure = azure.stats;
    problems.push(...azure.problems);
    if (azure.principals.length > 0) {
      snapshots.push({ header: azure.header, principals: azure.principals });
    }
  }

  const gcpExport = byProvider.gcp.length > 0 ? readGcpExports(byProvider.gcp) : undefined;
  if (gcpExport !== undefined) {
    const gcp = evaluateGcpEntitlements(gcpExport, {
      takenAt: options.takenAt,
      cache,
      ...(options.gcpAccountId === undefined ? {} : { accountId: options.gcpAccountId }),
    });
    stats.gcp = gcp.stats;
    problems.push(...gcp.problems);
    if (gcp.principals.length > 0)
      snapshots.push({ header: gcp.header, principals: gcp.principals });
  }

  return {
    snapshots,
    problems,
    stats,
    documents: {
      aws: byProvider.aws.length,
      azure: byProvider.azure.length,
      gcp: byProvider.gcp.length,
    },
    catalog: roleCatalogOf(azureExport, gcpExport),
  };
}

/**
 * Collects the role catalog (see `roleCatalogOf`) of IAM export documents, each read as
 * `detectExportProvider` names it. Unreadable records are skipped here, because
 * `evaluateExportDocuments` reports them.
 */
export function roleCatalogFromExports(documents: Iterable<ExportDocument>): RoleCatalog {
  const azureDocuments: ExportDocument[] = [];
  const gcpDocuments: ExportDocument[] = [];
  for (const document of documents) {
    const provider = detectExportProvider(document.value);
    if (provider === 'azure') azureDocuments.push(document);
    else if (provider === 'gcp') gcpDocuments.push(document);
  }
  return roleCatalogOf(
    azureDocuments.length > 0 ? readAzureExports(azureDocuments) : undefined,
    gcpDocuments.length > 0 ? readGcpExports(gcpDocuments) : undefined,
  );
}
