import { accountOfArn } from './authorization-details.js';
import type { AwsRoleDetail } from './authorization-details.js';
import type { AwsStatement } from './policy-document.js';

/** Kind of trustee a role trust policy names. */
export type AwsTrusteeKind = 'principal' | 'account' | 'service' | 'federated' | 'public';

/**
 * One way into a role, from its trust policy (`AssumeRolePolicyDocument`).
 *
 * - `trustee`: an IAM principal ARN, `arn:aws:iam::<account>:root` for a whole account, a
 *   service (`ec2.amazonaws.com`), a federated provider (ARN or `accounts.google.com`), or
 *   `*` for anyone.
 * - `conditional`: the trusting statement has a Condition.
 * - `crossAccount`: the trustee is in another account than the role (false for services,
 *   federated providers and `*`).
 */
export interface AwsTrustEdge {
  readonly role: string;
  readonly trustee: string;
  readonly trusteeKind: AwsTrusteeKind;
  readonly actions: readonly string[];
  readonly conditional: boolean;
  readonly crossAccount: boolean;
  readonly condition?: Readonly<Record<string, unknown>>;
}

const ASSUME_ACTIONS = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
] as const;

function actionPatternMatches(pattern: string, action: string): boolean {
  const expression = pattern
    .trim()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${expression}$`, 'i').test(action);
}

function assumeActionsOf(statement: AwsStatement): string[] {
  if (statement.action !== undefined) {
    const patterns = statement.action;
    return ASSUME_ACTIONS.filter((action) =>
      patterns.some((pattern) => actionPatternMatches(pattern, action)),
    );
  }
  if (statement.notAction !== undefined) {
    const excluded = statement.notAction;
    return ASSUME_ACTIONS.filter(
      (action) => !excluded.some((pattern) => actionPatternMatches(pattern, action)),
    );
  }
  return [];
}

const ACCOUNT_ID = /^\d{12}$/;

/** Normalizes an `AWS` principal entry: a bare account id becomes the account root ARN. */
function awsTrustee(
  value: string,
  roleAccount: string,
): { trustee: string; kind: AwsTrusteeKind; account: string } {
  if (value === '*') return { trustee: '*', kind: 'public', account: '' };
  if (ACCOUNT_ID.test(value)) {
    return { trustee: `arn:aws:iam::${value}:root`, kind: 'account', account: value };
  }
  const account = accountOfArn(value);
  if (value.endsWith(':root')) return { trustee: value, kind: 'account', account };
  // A unique id (AROA..., AIDA...) is what IAM shows after the named principal was deleted.
  return { trustee: value, kind: 'principal', account: account === '' ? roleAccount : account };
}

/** Lists who may assume `role`, one edge per trustee and Allow statement. */
export function trustEdgesOf(role: AwsRoleDetail): AwsTrustEdge[] {
  const roleAccount = accountOfArn(role.arn);
  const edges: AwsTrustEdge[] = [];
  for (const statement of role.trustPolicy.statements) {
    // NOTE: Deny statements and NotPrincipal in a trust policy are rare and not applied, so
    // an edge they would remove is still reported.
    if (statement.effect !== 'Allow' || statement.principal === undefined) continue;
    const actions = assumeActionsOf(statement);
    if (actions.length === 0) continue;
    const base = {
      role: role.arn,
      actions,
      conditional: statement.condition !== undefined,
      ...(statement.condition === undefined ? {} : { condition: statement.condition }),
    };
    if (statement.principal === '*') {
      edges.push({ ...base, trustee: '*', trusteeKind: 'public', crossAccount: false });
      continue;
    }
    for (const [key, values] of Object.entries(statement.principal)) {
      for (const value of values) {
        if (key === 'AWS') {
          const { trustee, kind, account } = awsTrustee(value, roleAccount);
          edges.push({
            ...base,
            trustee,
            trusteeKind: kind,
            crossAccount: kind !== 'public' && account !== roleAccount,
          });
        } else if (key === 'Service') {
          edges.push({ ...base, trustee: value, trusteeKind: 'service', crossAccount: false });
        } else if (key === 'Federated') {
          edges.push({ ...base, trustee: value, trusteeKind: 'federated', crossAccount: false });
        } else if (value === '*') {
          edges.push({ ...base, trustee: '*', trusteeKind: 'public', crossAccount: false });
        }
      }
    }
  }
  return edges;
}
