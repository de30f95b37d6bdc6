import { AWS_SERVICE_PREFIX_BY_EVENT_SOURCE } from './service-prefixes.js';
import { awsServiceExists } from './catalog.js';
import { ownEntry } from '../own-entry.js';

const AMAZONAWS_SUFFIX = /\.amazonaws\.com(\.cn)?$/;

/**
 * Returns the IAM service prefix of a CloudTrail `eventSource`, or `undefined` when no
 * catalog service matches. Tries the exception table, then the host without
 * `.amazonaws.com`, then its last label (`models.lex` becomes `lex`).
 */
export function awsServicePrefixOf(eventSource: string): string | undefined {
  const host = eventSource.trim().toLowerCase();
  const listed = ownEntry(
    AWS_SERVICE_PREFIX_BY_EVENT_SOURCE,
    host.replace(AMAZONAWS_SUFFIX, '.amazonaws.com'),
  );
  if (listed !== undefined) return listed;

  const stripped = host.replace(AMAZONAWS_SUFFIX, '');
  if (stripped.length === 0) return undefined;
  if (awsServiceExists(stripped)) return stripped;
  const lastLabel = stripped.split('.').pop();
  if (lastLabel !== undefined && lastLabel !== stripped && awsServiceExists(lastLabel)) {
    return lastLabel;
  }
  return undefined;
}

// A date version suffix: Lambda writes `UpdateFunctionCode20150331v2`, CloudFront writes
// `UpdateDistribution2020_05_31`. The name before it is the API operation.
const VERSION_SUFFIX = /^([A-Za-z][A-Za-z0-9]*?[A-Za-z])(?:\d{8}|\d{4}_\d{2}_\d{2})(?:v\d+)?$/;

/**
 * Returns the API operation name of a CloudTrail `eventName` without its date version
 * suffix, or the name unchanged when it has none.
 */
export function stripVersionSuffix(eventName: string): string {
  return VERSION_SUFFIX.exec(eventName)?.[1] ?? eventName;
}

// Amazon API Gateway Developer Guide, "Control access for managing an API": the management
// API is authorized by HTTP method (`apigateway:GET`, `apigateway:POST`, ...). The
// operation's leading verb gives the method of its REST route. The mapping applies this rule
// only to calls the catalog has no action of the same name for. `action-overrides.ts` maps
// the imports whose route uses PUT, and the exports and resets whose verb this table lacks.
// NOTE: TagResource is PUT in the REST API (`PUT /tags/resource_arn`) but POST in the V2 API
// (`POST /v2/tags/resource-arn`). Both log the same event name, so a V2 tagging call is
// reported as `apigateway:PUT`.
const API_GATEWAY_METHOD_BY_VERB: ReadonlyArray<readonly [string, string]> = [
  ['Get', 'GET'],
  ['Create', 'POST'],
  ['Import', 'POST'],
  ['Generate', 'POST'],
  ['TestInvoke', 'POST'],
  ['Update', 'PATCH'],
  ['Put', 'PUT'],
  ['Tag', 'PUT'],
  ['Delete', 'DELETE'],
  ['Untag', 'DELETE'],
  ['Flush', 'DELETE'],
];

/**
 * Returns the `apigateway:<METHOD>` action of an API Gateway management event, or
 * `undefined` when the operation's verb is not in the table.
 */
export function apiGatewayActionOf(eventName: string): string | undefined {
  for (const [verb, method] of API_GATEWAY_METHOD_BY_VERB) {
    const next = eventName.charAt(verb.length);
    if (eventName.startsWith(verb) && (next === '' || /[A-Z]/.test(next))) {
      return `apigateway:${method}`;
    }
  }
  return undefined;
}
