import { AWS_ACTION_OVERRIDES } from './aws/action-overrides.js';
import { awsServiceExists, lookupAwsAction } from './aws/catalog.js';
import { awsServicePrefixOf, stripVersionSuffix } from './aws/event-names.js';
import { AWS_REQUEST_RULES } from './aws/request-rules.js';
import { mapAzureOperation } from './azure/map-azure-operation.js';
import type { MappingOutcome } from './types.js';

const lowerKeySet = (table: Readonly<Record<string, unknown>>): ReadonlySet<string> =>
  new Set(Object.keys(table).map((key) => key.toLowerCase()));

const REQUEST_RULE_KEYS = lowerKeySet(AWS_REQUEST_RULES);
const OVERRIDE_KEYS = lowerKeySet(AWS_ACTION_OVERRIDES);

/**
 * Returns why an unmapped outcome was not mapped: its own `reason` when it has one, else a
 * reason derived from its provider, source and operation. Outcomes rebuilt from stored
 * events carry no reason, because a NormalizedEvent keeps only the mapping status.
 */
export function unmappedReasonOf(outcome: MappingOutcome): string {
  if (outcome.reason !== undefined && outcome.reason.trim() !== '') return outcome.reason;
  switch (outcome.provider) {
    case 'aws':
      return awsUnmappedReason(outcome.source.trim(), outcome.operation.trim());
    case 'azure':
      return azureUnmappedReason(outcome.operation.trim());
    case 'gcp':
      return gcpUnmappedReason(outcome.operation.trim());
  }
}

/**
 * Derives the reason for an AWS call. `source` may be the CloudTrail `eventSource`
 * (`s3.amazonaws.com`) or the service a NormalizedEvent keeps (`s3`, or the host label of
 * a source the catalog does not know).
 */
function awsUnmappedReason(source: string, operation: string): string {
  if (operation === '') return 'eventName is missing or empty';
  if (source === '') return 'eventSource is missing or empty';
  const service = awsServiceOf(source);
  if (service === undefined) {
    return `event source not known: ${source} matches no IAM service of the AWS catalog`;
  }

  const names =
    operation === stripVersionSuffix(operation)
      ? [operation]
      : [operation, stripVersionSuffix(operation)];
  const keys = names.map((name) => `${service}:${name}`.toLowerCase());
  // A request rule of a call that is also a catalog action (S3 GetObject and its versions)
  // always resolves, so only a rule of a call without one can leave it unmapped.
  const named = keys.some((key) => OVERRIDE_KEYS.has(key) || lookupAwsAction(key) !== undefined);
  if (!named && keys.some((key) => REQUEST_RULE_KEYS.has(key))) {
    return `request parameters of ${service}:${operation} do not decide its permissions (missing or of an unknown form)`;
  }
  if (named) {
    return `${service}:${operation} maps to an action the AWS catalog lacks, or is a console action, not an API call`;
  }
  return `operation not in the mapping tables: ${service}:${operation} is not an action of the AWS catalog`;
}

function awsServiceOf(source: string): string | undefined {
  if (source.includes('.')) return awsServicePrefixOf(source);
  if (awsServiceExists(source)) return source.toLowerCase();
  return awsServicePrefixOf(`${source}.amazonaws.com`);
}

/** Derives the reason for an Azure operation, which maps when it has the RBAC form. */
function azureUnmappedReason(operation: string): string {
  if (operation === '') return 'operationName is missing or empty';
  const mapping = mapAzureOperation(operation);
  if (mapping.status === 'unmapped' && mapping.reason !== undefined) return mapping.reason;
  return `authorization action of ${operation} is not of the form <Namespace>/<resource type>/<verb>`;
}

/**
 * Derives the reason for a GCP call. A Cloud Audit Logs entry is unmapped only when its
 * `authorizationInfo` lists no permission and it is not a System Event entry.
 */
function gcpUnmappedReason(operation: string): string {
  if (operation === '') return 'methodName is missing or empty';
  return 'no permission in authorizationInfo: the entry shows no IAM check for this method';
}
