import type { CompactPrincipalEntitlements, GrantGroup } from '../model/compact-entitlements.js';
import type { Finding, FindingSeverity } from '../model/entitlements.js';
import type { AwsActionSets } from './action-sets.js';
import { accountOfArn } from './authorization-details.js';
import { ESCALATION_METHODS } from './escalation-methods.js';
import type { EscalationMethod } from './escalation-methods.js';
import { matchesResource, overlapsResource } from './resource-pattern.js';
import type { AwsTrustEdge } from './trust-policy.js';

/** A principal of the estate that may assume a role: both trust and identity policy allow it. */
export interface AwsAssumeRoleEdge {
  readonly from: string;
  readonly to: string;
  /** The trust statement or the identity grant has a condition. */
  readonly conditional: boolean;
}

type Holding = 'yes' | 'conditional' | 'no';

/** Checks whether grant groups allow an action on a resource pattern. */
class GrantIndex {
  private readonly adminByGroups = new WeakMap<readonly GrantGroup[], boolean>();

  constructor(private readonly actions: AwsActionSets) {}

  holds(
    groups: readonly GrantGroup[],
    action: string,
    resource: string,
  ): { holding: Holding; resource?: string } {
    const id = this.actions.idOf(action);
    if (id === undefined) return { holding: 'no' };
    let conditional: string | undefined;
    for (const group of groups) {
      if (!group.permissions.has(id) || !overlapsResource(group.resource, resource)) continue;
      if (!group.conditional) return { holding: 'yes', resource: group.resource };
      conditional ??= group.resource;
    }
    return conditional === undefined
      ? { holding: 'no' }
      : { holding: 'conditional', resource: conditional };
  }

  /** Returns the groups that hold `action` on any resource, unconditional ones first. */
  holdingGroups(groups: readonly GrantGroup[], action: string): GrantGroup[] {
    const id = this.actions.idOf(action);
    if (id === undefined) return [];
    const holding = groups.filter((group) => group.permissions.has(id));
    return [
      ...holding.filter((group) => !group.conditional),
      ...holding.filter((group) => group.conditional),
    ];
  }

  /**
   * True when the groups allow every IAM action on every resource without condition, the
   * test for admin-equivalent access: a principal that can run any IAM action can grant
   * itself anything else.
   */
  isAdmin(groups: readonly GrantGroup[]): boolean {
    const known = this.adminByGroups.get(groups);
    if (known !== undefined) return known;
    const everywhere = groups.filter((group) => group.resource === '*' && !group.conditional);
    const iam = this.actions.fromPatterns(['iam:*']).ids();
    const admin =
      iam.length > 0 && iam.every((id) => everywhere.some((group) => group.permissions.has(id)));
    this.adminByGroups.set(groups, admin);
    return admin;
  }
}

/**
 * Finds estate members that a resource pattern matches, memoized per pattern so a pattern
 * shared by thousands of principals is matched against the estate once.
 */
class TargetFinder {
  private readonly memo = new Map<string, readonly string[]>();

  constructor(private readonly lists: ReadonlyMap<string, readonly string[]>) {}

  /** Returns up to two ARNs of list `name` that `pattern` matches, in list order. */
  matching(name: string, pattern: string): readonly string[] {
    const key = `${name}\u0000${pattern}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const found: string[] = [];
    // The literal text before the first wildcard must start every ARN the pattern matches,
    // which rules out most patterns (other services, other resource types) without a scan.
    const wildcard = pattern.search(/[*?]/);
    const prefix = wildcard < 0 ? pattern : pattern.slice(0, wildcard);
    for (const arn of this.lists.get(name) ?? []) {
      if (!arn.startsWith(prefix) || !matchesResource(pattern, arn)) continue;
      found.push(arn);
      if (found.length === 2) break;
    }
    this.memo.set(key, found);
    return found;
  }

  /** Returns the first ARN of list `name` reached by a group other than `exclude`. */
  firstTarget(
    groups: readonly GrantGroup[],
    name: string,
    exclude: string,
  ): { arn: string; conditional: boolean } | undefined {
    for (const group of groups) {
      const arn = this.matching(name, group.resource).find((candidate) => candidate !== exclude);
      if (arn !== undefined) return { arn, conditional: group.conditional };
    }
    return undefined;
  }
}

function severityOf(
  holding: Holding,
  unconditional: FindingSeverity,
  conditional: FindingSeverity,
): FindingSeverity {
  return holding === 'yes' ? unconditional : conditional;
}

function escalationFinding(
  principal: CompactPrincipalEntitlements,
  method: EscalationMethod,
  index: GrantIndex,
  targets: TargetFinder,
): Finding | undefined {
  const account = principal.account_id;
  let holding: Holding = 'yes';
  let target: string | undefined;
  for (const action of method.permissions) {
    if (action === 'iam:PassRole' && method.passRoleTo !== undefined) {
      // The passed role must trust the service and have admin access.
      const groups = index.holdingGroups(principal.grant_groups, action);
      const role = targets.firstTarget(groups, `admin-roles:${method.passRoleTo}`, '');
      // NOTE: passing a role that is not admin-equivalent is not reported, even when that
      // role has permissions the principal lacks.
      if (role === undefined) return undefined;
      if (role.conditional) holding = 'conditional';
      target = role.arn;
      continue;
    }
    if (method.otherUsersOnly === true) {
      // The method needs a user other than the caller within the granted resource.
      const groups = index.holdingGroups(principal.grant_groups, action);
      const user = targets.firstTarget(groups, 'users', principal.principal_id);
      if (user === undefined) return undefined;
      if (user.conditional) holding = 'conditional';
      target ??= user.arn;
      continue;
    }
    const pattern = /^(iam|sts):/i.test(action) ? method.targetPattern(account) : '*';
    const result = index.holds(principal.grant_groups, action, pattern);
    if (result.holding === 'no') return undefined;
    if (result.holding === 'conditional') holding = 'conditional';
    target ??= result.resource;
  }

  return {
    kind: 'privilege-escalation',
    severity: severityOf(holding, 'high', 'medium'),
    summary: `${principal.principal_name} can escalate privileges with ${method.permissions.join(' and ')}: ${method.summary}`,
    path: [
      principal.principal_id,
      method.permissions.join('+'),
      target ?? method.targetPattern(account),
    ],
  };
}

/** Lists principal-to-role assumptions that trust and identity policies both allow. */
function assumeRoleEdgesOf(
  principals: readonly CompactPrincipalEntitlements[],
  trustEdges: readonly AwsTrustEdge[],
  index: GrantIndex,
): AwsAssumeRoleEdge[] {
  const byId = new Map(principals.map((principal) => [principal.principal_id, principal]));
  const byAccount = new Map<string, CompactPrincipalEntitlements[]>();
  for (const principal of principals) {
    const list = byAccount.get(principal.account_id) ?? [];
    list.push(principal);
    byAccount.set(principal.account_id, list);
  }
  const edges = new Map<string, AwsAssumeRoleEdge>();
  const add = (from: string, to: string, conditional: boolean): void => {
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    const known = edges.get(key);
    if (known === undefined || (known.conditional && !conditional))
      edges.set(key, { from, to, conditional });
  };

  for (const edge of trustEdges) {
    if (!edge.actions.includes('sts:AssumeRole')) continue;
    const roleAccount = accountOfArn(edge.role);
    if (edge.trusteeKind === 'principal') {
      const source = byId.get(edge.trustee);
      if (source === undefined) continue;
      // A trust policy that names a principal of the role's own account is enough on its
      // own. A principal from another account also needs an identity policy allowing it.
      if (source.account_id === roleAccount) {
        add(source.principal_id, edge.role, edge.conditional);
        continue;
      }
      const holding = index.holds(source.grant_groups, 'sts:AssumeRole', edge.role).holding;
      if (holding !== 'no')
        add(source.principal_id, edge.role, edge.conditional || holding === 'conditional');
      continue;
    }
    if (edge.trusteeKind !== 'account' && edge.trusteeKind !== 'public') continue;
    // Trusting an account (or anyone) delegates to the identity policies of its principals.
    const sources =
      edge.trusteeKind === 'account'
        ? (byAccount.get(accountOfArn(edge.trustee)) ?? [])
        : principals;
    for (const source of sources) {
      const holding = index.holds(source.grant_groups, 'sts:AssumeRole', edge.role).holding;
      if (holding !== 'no')
        add(source.principal_id, edge.role, edge.conditional || holding === 'conditional');
    }
  }
  return [...edges.values()];
}

/** Finds the shortest assumption path from `start` to each reachable admin role. */
function chainsToAdmins(
  start: string,
  next: ReadonlyMap<string, readonly AwsAssumeRoleEdge[]>,
  admins: ReadonlySet<string>,
): { path: string[]; conditional: boolean }[] {
  const found: { path: string[]; conditional: boolean }[] = [];
  const previous = new Map<string, { from: string; conditional: boolean }>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const edge of next.get(current) ?? []) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { from: current, conditional: edge.conditional });
      if (admins.has(edge.to)) {
        const path = [edge.to];
        let conditional = false;
        for (let step = previous.get(edge.to); step !== undefined; step = previous.get(step.from)) {
          path.unshift(step.from);
          conditional ||= step.conditional;
        }
        found.push({ path, conditional });
      }
      queue.push(edge.to);
    }
  }
  return found;
}

function exposureFindings(
  role: CompactPrincipalEntitlements,
  edges: readonly AwsTrustEdge[],
  admin: boolean,
): Finding[] {
  const findings: Finding[] = [];
  for (const edge of edges) {
    if (edge.trusteeKind === 'public') {
      findings.push({
        kind: 'public-exposure',
        severity: edge.conditional ? 'medium' : 'critical',
        summary: `Role ${role.principal_name} trusts any AWS principal ("*")${edge.conditional ? ' under a condition' : ''}`,
        path: ['*', role.principal_id],
      });
    } else if (edge.crossAccount) {
      // An admin role open to another account is high whatever the condition.
      let severity: FindingSeverity = edge.conditional ? 'low' : 'medium';
      if (admin) severity = 'high';
      findings.push({
        kind: 'cross-account-exposure',
        severity,
        summary: `Role ${role.principal_name} can be assumed from account ${accountOfArn(edge.trustee)}${admin ? ' and holds admin access' : ''}`,
        path: [edge.trustee, role.principal_id],
      });
    }
  }
  return findings;
}

/**
 * Adds findings to each principal (in place) and returns the assumption edges:
 * admin-equivalent access, privilege escalation by the methods of `ESCALATION_METHODS`,
 * role chains that reach an admin role (path `[A, B, C]`), and public or cross-account trust.
 */
export function findAwsRisks(
  principals: CompactPrincipalEntitlements[],
  trustEdges: readonly AwsTrustEdge[],
  actions: AwsActionSets,
): { principals: CompactPrincipalEntitlements[]; assumeRoleEdges: AwsAssumeRoleEdge[] } {
  const index = new GrantIndex(actions);
  const admins = new Set(
    principals
      .filter((principal) => index.isAdmin(principal.grant_groups))
      .map((principal) => principal.principal_id),
  );
  const assumeRoleEdges = assumeRoleEdgesOf(principals, trustEdges, index);
  const next = new Map<string, AwsAssumeRoleEdge[]>();
  for (const edge of assumeRoleEdges) {
    const list = next.get(edge.from) ?? [];
    list.push(edge);
    next.set(edge.from, list);
  }
  const trustByRole = new Map<string, AwsTrustEdge[]>();
  const lists = new Map<string, string[]>([['users', []]]);
  for (const principal of principals) {
    if (principal.principal_type === 'user') lists.get('users')?.push(principal.principal_id);
  }
  for (const edge of trustEdges) {
    const list = trustByRole.get(edge.role) ?? [];
    list.push(edge);
    trustByRole.set(edge.role, list);
    if (edge.trusteeKind === 'service' && admins.has(edge.role)) {
      const key = `admin-roles:${edge.trustee}`;
      const roles = lists.get(key) ?? [];
      roles.push(edge.role);
      lists.set(key, roles);
    }
  }
  const targets = new TargetFinder(lists);

  for (const principal of principals) {
    const admin = admins.has(principal.principal_id);
    if (admin) {
      principal.findings.push({
        kind: 'admin-equivalent',
        severity: 'critical',
        summary: `${principal.principal_name} is allowed every IAM action on every resource`,
        path: [principal.principal_id],
      });
    } else {
      for (const method of ESCALATION_METHODS) {
        const finding = escalationFinding(principal, method, index, targets);
        if (finding !== undefined) principal.findings.push(finding);
      }
      for (const chain of chainsToAdmins(principal.principal_id, next, admins)) {
        principal.findings.push({
          kind: 'privilege-escalation',
          severity: chain.conditional ? 'medium' : 'high',
          summary: `${principal.principal_name} can reach admin role ${chain.path.at(-1) ?? ''} by assuming roles`,
          path: chain.path,
        });
      }
    }
    if (principal.principal_type === 'role') {
      principal.findings.push(
        ...exposureFindings(principal, trustByRole.get(principal.principal_id) ?? [], admin),
      );
    }
  }
  return { principals, assumeRoleEdges };
}
