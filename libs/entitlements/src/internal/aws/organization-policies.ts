import { invalidOrganizationPoliciesError } from './errors.js';
import type { AwsPolicyDocument } from './policy-document.js';
import { parsePolicyDocument } from './policy-document.js';

/** AWS Organizations policies in force for one member account. */
export interface AwsOrganizationPolicies {
  readonly accountId: string;
  /**
   * True for the organization's management account, which SCPs and RCPs never restrict
   * (AWS Organizations User Guide, "Service control policies (SCPs)": "SCPs don't affect
   * users or roles in the management account").
   */
  readonly managementAccount: boolean;
  /** SCPs that apply to the account, each with a name for `via`. */
  readonly serviceControlPolicies: readonly AwsNamedPolicy[];
  /** RCPs that apply to the account's resources. */
  readonly resourceControlPolicies: readonly AwsNamedPolicy[];
}

/** A policy document with the name or id it is reported by. */
export interface AwsNamedPolicy {
  readonly name: string;
  readonly document: AwsPolicyDocument;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseNamedPolicies(
  value: unknown,
  source: string,
  field: string,
  kind: string,
): AwsNamedPolicy[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw invalidOrganizationPoliciesError(source, field, 'a list of policies', value);
  }
  return value.map((entry, index) => {
    const at = `${field}[${index}]`;
    // `aws organizations describe-policy` returns { Policy: { PolicySummary, Content } }.
    const policy = isRecord(entry) && isRecord(entry['Policy']) ? entry['Policy'] : entry;
    if (isRecord(policy) && 'Content' in policy) {
      const summary = isRecord(policy['PolicySummary']) ? policy['PolicySummary'] : policy;
      const name =
        typeof summary['Name'] === 'string'
          ? summary['Name']
          : typeof summary['Id'] === 'string'
            ? summary['Id']
            : `${kind}[${index}]`;
      return {
        name: `${kind}:${name}`,
        document: parsePolicyDocument(policy['Content'], source, `${at}.Content`),
      };
    }
    return { name: `${kind}:${index}`, document: parsePolicyDocument(policy, source, at) };
  });
}

/**
 * Parses this project's organization policy file for one account:
 *
 * ```json
 * { "accountId": "111122223333", "managementAccount": false,
 *   "serviceControlPolicies": [ <policy> ], "resourceControlPolicies": [ <policy> ] }
 * ```
 *
 * A `<policy>` is a policy document (object or JSON text), or `{ "Name", "Content" }`, or
 * the output of `aws organizations describe-policy`. Every SCP listed is treated as attached
 * at one level, so an action passes when any of them allows it and none denies it.
 * NOTE: AWS requires an Allow at every level from the root to the account. This format
 * flattens the levels, so list only the SCPs of the level that allows least.
 * Throws `CIEM_ENTITLEMENTS_AWS_INVALID_ORGANIZATION_POLICIES` naming the field.
 */
export function parseAwsOrganizationPolicies(
  value: unknown,
  source: string,
): AwsOrganizationPolicies {
  if (!isRecord(value)) {
    throw invalidOrganizationPoliciesError(source, '$', 'an object', value);
  }
  const accountId = value['accountId'];
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) {
    throw invalidOrganizationPoliciesError(
      source,
      'accountId',
      'a 12-digit AWS account id',
      accountId,
    );
  }
  const management = value['managementAccount'];
  if (management !== undefined && typeof management !== 'boolean') {
    throw invalidOrganizationPoliciesError(
      source,
      'managementAccount',
      'true or false',
      management,
    );
  }
  return {
    accountId,
    managementAccount: management === true,
    serviceControlPolicies: parseNamedPolicies(
      value['serviceControlPolicies'],
      source,
      'serviceControlPolicies',
      'scp',
    ),
    resourceControlPolicies: parseNamedPolicies(
      value['resourceControlPolicies'],
      source,
      'resourceControlPolicies',
      'rcp',
    ),
  };
}
