import { InputError, describeValue } from '@ciem/errors';

/**
 * Error codes of the AWS entitlements parser. Each is stable and never reused. Evaluation
 * itself raises no errors: what it cannot resolve (a managed policy missing from the input,
 * an action the catalog lacks) is counted in `AwsEvaluationStats`.
 */
export const AwsEntitlementsErrorCode = {
  /** A GetAccountAuthorizationDetails document is not in the expected shape. */
  invalidAuthorizationDetails: 'CIEM_ENTITLEMENTS_AWS_INVALID_AUTHORIZATION_DETAILS',
  /** A policy document is not JSON, or not an IAM policy. */
  invalidPolicyDocument: 'CIEM_ENTITLEMENTS_AWS_INVALID_POLICY_DOCUMENT',
  /** An organization policy file (SCPs and RCPs) is not in the expected shape. */
  invalidOrganizationPolicies: 'CIEM_ENTITLEMENTS_AWS_INVALID_ORGANIZATION_POLICIES',
} as const;

/** Raised when a field of a GetAccountAuthorizationDetails document has the wrong form. */
export function invalidAuthorizationDetailsError(
  source: string,
  field: string,
  expected: string,
  received: unknown,
): InputError {
  return new InputError(
    AwsEntitlementsErrorCode.invalidAuthorizationDetails,
    `${source}: field ${field} is invalid: expected ${expected}, received ` +
      `${describeValue(received)}. Export it again with ` +
      '`aws iam get-account-authorization-details --output json`.',
    { details: { file: source, field } },
  );
}

/** Raised when a policy document cannot be decoded or is not an IAM policy. */
export function invalidPolicyDocumentError(
  source: string,
  field: string,
  received: unknown,
  cause?: unknown,
): InputError {
  return new InputError(
    AwsEntitlementsErrorCode.invalidPolicyDocument,
    `${source}: policy document at ${field} is invalid: expected a JSON object with a ` +
      `Statement (or its URL-encoded JSON text), received ${describeValue(received)}. ` +
      'Check that the export was not truncated or edited.',
    { cause, details: { file: source, field } },
  );
}

/** Raised when an organization policy file does not match the documented format. */
export function invalidOrganizationPoliciesError(
  source: string,
  field: string,
  expected: string,
  received: unknown,
): InputError {
  return new InputError(
    AwsEntitlementsErrorCode.invalidOrganizationPolicies,
    `${source}: field ${field} is invalid: expected ${expected}, received ` +
      `${describeValue(received)}. See parseAwsOrganizationPolicies for the file format.`,
    { details: { file: source, field } },
  );
}
