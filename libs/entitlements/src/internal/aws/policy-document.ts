import { invalidPolicyDocumentError } from './errors.js';

/**
 * One statement of an IAM policy, normalized: single strings become one-element lists and
 * absent elements stay undefined. Field names follow the IAM JSON policy element reference.
 */
export interface AwsStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  /** The `Condition` block as given, or undefined when absent or empty. */
  readonly condition?: Readonly<Record<string, unknown>>;
  /** `Principal` of a resource-based or trust policy, normalized to lists per key. */
  readonly principal?: AwsPrincipalElement;
  readonly notPrincipal?: AwsPrincipalElement;
}

/** A `Principal` element: `'*'` or lists per key (`AWS`, `Service`, `Federated`, ...). */
export type AwsPrincipalElement = '*' | Readonly<Record<string, readonly string[]>>;

/** A parsed IAM policy document. */
export interface AwsPolicyDocument {
  readonly statements: readonly AwsStatement[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes a policy document given as an object, as JSON text, or as URL-encoded JSON text.
 * The IAM API returns documents RFC 3986-encoded, and the AWS CLI and boto3 decode them.
 */
export function decodePolicyDocument(value: unknown, source: string, field: string): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  let text = trimmed;
  if (!trimmed.startsWith('{')) {
    try {
      text = decodeURIComponent(trimmed);
    } catch (error) {
      throw invalidPolicyDocumentError(source, field, value, error);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidPolicyDocumentError(source, field, value, error);
  }
}

function stringList(
  value: unknown,
  source: string,
  field: string,
  document: unknown,
): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw invalidPolicyDocumentError(source, field, document);
}

function principalElement(
  value: unknown,
  source: string,
  field: string,
  document: unknown,
): AwsPrincipalElement | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return '*';
  if (!isRecord(value)) throw invalidPolicyDocumentError(source, field, document);
  const result: Record<string, string[]> = {};
  for (const [key, entry] of Object.entries(value)) {
    result[key] = stringList(entry, source, `${field}.${key}`, document) ?? [];
  }
  return result;
}

function parseStatement(
  raw: unknown,
  source: string,
  field: string,
  document: unknown,
): AwsStatement {
  if (!isRecord(raw)) throw invalidPolicyDocumentError(source, field, document);
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw invalidPolicyDocumentError(source, `${field}.Effect`, document);
  }
  const condition = raw['Condition'];
  if (condition !== undefined && !isRecord(condition)) {
    throw invalidPolicyDocumentError(source, `${field}.Condition`, document);
  }
  const statement: AwsStatement = {
    effect,
    sid: typeof raw['Sid'] === 'string' ? raw['Sid'] : undefined,
    action: stringList(raw['Action'], source, `${field}.Action`, document),
    notAction: stringList(raw['NotAction'], source, `${field}.NotAction`, document),
    resource: stringList(raw['Resource'], source, `${field}.Resource`, document),
    notResource: stringList(raw['NotResource'], source, `${field}.NotResource`, document),
    condition: condition !== undefined && Object.keys(condition).length > 0 ? condition : undefined,
    principal: principalElement(raw['Principal'], source, `${field}.Principal`, document),
    notPrincipal: principalElement(raw['NotPrincipal'], source, `${field}.NotPrincipal`, document),
  };
  return statement;
}

/**
 * Parses an IAM policy document (object, JSON text or URL-encoded JSON text). `Statement`
 * may be one object or a list. Throws `CIEM_ENTITLEMENTS_AWS_INVALID_POLICY_DOCUMENT` naming
 * `source` and `field` when the document is not a policy.
 */
export function parsePolicyDocument(
  value: unknown,
  source: string,
  field: string,
): AwsPolicyDocument {
  const document = decodePolicyDocument(value, source, field);
  if (!isRecord(document)) throw invalidPolicyDocumentError(source, field, value);
  const raw = document['Statement'];
  if (raw === undefined) return { statements: [] };
  const list = Array.isArray(raw) ? raw : [raw];
  return {
    statements: list.map((entry, index) =>
      parseStatement(entry, source, `${field}.Statement[${index}]`, value),
    ),
  };
}
