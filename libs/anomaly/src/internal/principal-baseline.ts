import type { NormalizedEvent, PrincipalType } from '@ciem/events';

/**
 * Principal types whose own history forms no baseline:
 * - `unknown` and `anonymous`: events of unrelated callers share one principal id;
 * - `aws_service`, `google_service_agent` and `azure_system`: the cloud provider acting for
 *   itself. CloudTrail names an `AWSService` caller only by the service (`invokedBy`, such
 *   as `lambda.amazonaws.com`), so every account's calls by that service share one id, and
 *   Google creates and manages its service agents ("Service account types" in the IAM
 *   docs). They hold no credential of the customer that could lie dormant, roam or be
 *   stolen, so their silences, networks, rates and new permissions mean nothing.
 */
const NO_BASELINE_TYPES: ReadonlySet<PrincipalType> = new Set([
  'unknown',
  'anonymous',
  'aws_service',
  'google_service_agent',
  'azure_system',
]);

/**
 * Path of AWS service-linked roles in their ARN (`role/aws-service-role/SERVICE/NAME`). The
 * linked service defines their permissions and, unless it defines otherwise, only that
 * service can assume them ("Using service-linked roles" in the IAM User Guide), so they
 * are the provider acting too.
 */
const SERVICE_LINKED_ROLE_PATH = ':role/aws-service-role/';

/** Returns whether the baseline detectors should compare this event's principal with its history. */
export function hasOwnBaseline(event: NormalizedEvent): boolean {
  const { principal } = event;
  if (NO_BASELINE_TYPES.has(principal.type)) return false;
  return !(principal.type === 'role' && principal.id.includes(SERVICE_LINKED_ROLE_PATH));
}
