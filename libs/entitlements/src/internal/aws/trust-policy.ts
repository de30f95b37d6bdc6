import { accountOfArn } from './authorization-details.js';
import type { AwsRoleDetail } from './authorization-details.js';
import type { AwsPrincipalElement, AwsStatement } from './policy-document.js';

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

/**
 * Lists who may assume `role`: one edge per trustee and Allow statement, narrowed by the
 * Deny statements of the same trust policy.
 *
 * - An Allow with `NotPrincipal` lets anyone but the named principals in, so it is a
 *   public edge.
 * - A Deny without a Condition that covers an edge's whole trustee removes the denied
 *   actions from the edge, and the edge when none is left. A Deny with `NotPrincipal`
 *   ("deny everyone but these") narrows a public or account edge to the named principals
 *   it contains.
 * - A Deny with a Condition that covers an edge's whole trustee makes the edge
 *   conditional, as the common guardrail "deny unless aws:PrincipalOrgID is ours" does.
 * - A Deny that covers only part of a trustee, such as one user of a trusted account,
 *   leaves the edge as it is, because the rest of the trustee may still assume the role.
 */
export function trustEdgesOf(role: AwsRoleDetail): AwsTrustEdge[] {
  const roleAccount = accountOfArn(role.arn);
  let edges: AwsTrustEdge[] = [];
  for (const statement of role.trustPolicy.statements) {
    if (statement.effect !== 'Allow') continue;
    const actions = assumeActionsOf(statement);
    if (actions.length === 0) continue;
    const base = {
      role: role.arn,
      actions,
      conditional: statement.condition !== undefined,
      ...(statement.condition === undefined ? {} : { condition: statement.condition }),
    };
    if (statement.principal === undefined) {
      if (statement.notPrincipal !== undefined) {
        edges.push({ ...base, trustee: '*', trusteeKind: 'public', crossAccount: false });
      }
      continue;
    }
    edges.push(...edgesOfElement(statement.principal, base, roleAccount));
  }
  for (const statement of role.trustPolicy.statements) {
    if (statement.effect !== 'Deny') continue;
    const denied = assumeActionsOf(statement);
    if (denied.length > 0) edges = applyDeny(edges, statement, denied, roleAccount);
  }
  return edges;
}

/** Fields an edge takes from its statement. */
type EdgeBase = Pick<AwsTrustEdge, 'role' | 'actions' | 'conditional' | 'condition'>;

/** Turns the principals of a `Principal` element into edges. */
function edgesOfElement(
  element: AwsPrincipalElement,
  base: EdgeBase,
  roleAccount: string,
): AwsTrustEdge[] {
  if (element === '*') {
    return [{ ...base, trustee: '*', trusteeKind: 'public', crossAccount: false }];
  }
  const edges: AwsTrustEdge[] = [];
  for (const [key, values] of Object.entries(element)) {
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
  return edges;
}

/** How much of an edge's trustee a principal element names. */
type Coverage = 'all' | 'part' | 'none';

/** Applies one Deny statement, which denies `denied`, to the edges. */
function applyDeny(
  edges: readonly AwsTrustEdge[],
  statement: AwsStatement,
  denied: readonly string[],
  roleAccount: string,
): AwsTrustEdge[] {
  const result: AwsTrustEdge[] = [];
  for (const edge of edges) {
    const overlap = edge.actions.filter((action) => denied.includes(action));
    const coverage = overlap.length === 0 ? 'none' : denyCoverage(statement, edge, roleAccount);
    if (coverage === 'none') {
      result.push(edge);
    } else if (coverage === 'all') {
      if (statement.condition !== undefined) {
        result.push({ ...edge, conditional: true });
        continue;
      }
      const allowed = edge.actions.filter((action) => !denied.includes(action));
      if (allowed.length > 0) result.push({ ...edge, actions: allowed });
    } else if (statement.notPrincipal !== undefined) {
      // Everyone in the trustee but the named principals is denied the overlap, under
      // the Condition if there is one, and the named principals keep it.
      if (statement.condition !== undefined) result.push({ ...edge, conditional: true });
      else {
        const allowed = edge.actions.filter((action) => !denied.includes(action));
        if (allowed.length > 0) result.push({ ...edge, actions: allowed });
      }
      const named = edgesOfElement(
        statement.notPrincipal,
        { ...edge, actions: overlap },
        roleAccount,
      );
      result.push(...named.filter((inner) => coverageOf(edge, inner) === 'all'));
    } else {
      result.push(edge);
    }
  }
  return result;
}

/** Returns how much of `edge`'s trustee the Deny statement's principals deny. */
function denyCoverage(statement: AwsStatement, edge: AwsTrustEdge, roleAccount: string): Coverage {
  if (statement.principal !== undefined) {
    return elementCoverage(statement.principal, edge, roleAccount);
  }
  if (statement.notPrincipal === undefined) return 'none';
  // The statement denies everyone the element does not name.
  const spared = elementCoverage(statement.notPrincipal, edge, roleAccount);
  if (spared === 'all') return 'none';
  return spared === 'none' ? 'all' : 'part';
}

/** Returns how much of `edge`'s trustee the principals of a `Principal` element name. */
function elementCoverage(
  element: AwsPrincipalElement,
  edge: AwsTrustEdge,
  roleAccount: string,
): Coverage {
  if (element === '*') return 'all';
  let coverage: Coverage = 'none';
  const base = { role: edge.role, actions: edge.actions, conditional: false };
  for (const named of edgesOfElement(element, base, roleAccount)) {
    const covered = coverageOf(named, edge);
    if (covered === 'all') return 'all';
    if (covered === 'part') coverage = 'part';
  }
  return coverage;
}

/** Returns how much of `edge`'s trustee the trustee of `named` contains. */
function coverageOf(named: AwsTrustEdge, edge: AwsTrustEdge): Coverage {
  if (named.trusteeKind === 'public') return 'all';
  if (edge.trusteeKind === 'public') return 'part';
  if (named.trusteeKind === 'account') {
    const account = accountOfArn(named.trustee);
    if (edge.trusteeKind === 'account' || edge.trusteeKind === 'principal') {
      return accountOfArn(edge.trustee) === account ? 'all' : 'none';
    }
    return 'none';
  }
  if (named.trusteeKind !== edge.trusteeKind) {
    // A named principal is part of the account that an account edge trusts.
    const inAccount =
      named.trusteeKind === 'principal' &&
      edge.trusteeKind === 'account' &&
      accountOfArn(named.trustee) === accountOfArn(edge.trustee);
    return inAccount ? 'part' : 'none';
  }
  return named.trustee.toLowerCase() === edge.trustee.toLowerCase() ? 'all' : 'none';
}
