import type { CompactPrincipalEntitlements, GrantGroup } from '../model/compact-entitlements.js';
import type { PermissionSet } from '../model/permission-set.js';
import { PermissionSetCache, PermissionTable } from '../model/permission-set.js';
import type { SnapshotHeader } from '../model/snapshot-stream.js';
import type { ExportProblem } from '../snapshot/export-documents.js';
import { ExportProblemCode } from '../snapshot/export-documents.js';
import type { GcpBinding, GcpExport, GcpPolicy } from './gcp-export.js';
import type { GcpBindingPath } from './gcp-findings.js';
import { findGcpRisks } from './gcp-findings.js';
import type { GcpHierarchy } from './gcp-hierarchy.js';
import { buildGcpHierarchy, gcpProjectOf, gcpResourceLevel } from './gcp-hierarchy.js';
import type { GcpMember } from './gcp-members.js';
import { parseGcpMember } from './gcp-members.js';

/** Options of `evaluateGcpEntitlements`. */
export interface GcpEvaluationOptions {
  /** Snapshot time, in milliseconds since the Unix epoch. */
  readonly takenAt: number;
  /**
   * Snapshot `account_id`. By default the organization (`organizations/<id>`) when the
   * export shows exactly one, else the project when there is one, else `organization`.
   */
  readonly accountId?: string;
  /** Shares interned sets with other evaluations; a new one by default. */
  readonly cache?: PermissionSetCache;
}

/** Counts of one GCP evaluation, for reports and logs. */
export interface GcpEvaluationStats {
  policies: number;
  bindings: number;
  roles: number;
  principals: number;
  /** Distinct roles bound but not defined in the export; their grants hold the role name. */
  unknownRoles: number;
  /** Bindings of those roles. */
  unknownRoleBindings: number;
  conditionalBindings: number;
  /** Bindings to `allUsers` or `allAuthenticatedUsers`. */
  publicBindings: number;
}

/** The entitlements of every GCP principal in an export. */
export interface GcpEvaluation {
  readonly header: SnapshotHeader;
  /** Sorted by principal id. */
  readonly principals: CompactPrincipalEntitlements[];
  readonly stats: GcpEvaluationStats;
  readonly problems: ExportProblem[];
  readonly hierarchy: GcpHierarchy;
  readonly cache: PermissionSetCache;
}

interface PrincipalState {
  member: GcpMember;
  groups: GrantGroup[];
  paths: GcpBindingPath[];
}

/**
 * Builds every GCP principal's granted permissions from IAM policies and role definitions.
 * A grant's resource is the full name of the resource the binding is on; it applies to
 * everything below (`gcpResourceCovers`, `gcpGrantGroupsOn`). `via` is `<role>@<resource>`.
 * A conditional binding gives conditional grants whose `conditions` hold the binding's
 * `condition` object. A role with no definition gives one grant whose permission is the
 * role name, counted in `unknownRoles` and reported once as a problem. Members of groups
 * in the export's group lists, and the members that `projectOwner:`, `projectEditor:` and
 * `projectViewer:` stand for, get the same shared grant groups.
 *
 * NOTE: IAM deny policies are not read, and a deny policy document among the inputs is
 * reported as an unknown document. Permissions that a deny policy removes still count as
 * granted.
 */
export function evaluateGcpEntitlements(
  exported: GcpExport,
  options: GcpEvaluationOptions,
): GcpEvaluation {
  const cache = options.cache ?? new PermissionSetCache(new PermissionTable());
  const hierarchy = buildGcpHierarchy(exported);
  const problems: ExportProblem[] = [...exported.problems];
  const stats: GcpEvaluationStats = {
    policies: exported.policies.length,
    bindings: 0,
    roles: exported.roles.size,
    principals: 0,
    unknownRoles: 0,
    unknownRoleBindings: 0,
    conditionalBindings: 0,
    publicBindings: 0,
  };

  const unknownRoles = new Set<string>();
  const roleSet = (role: string, policy: GcpPolicy): PermissionSet => {
    const definition = exported.roles.get(role);
    if (definition !== undefined) {
      return cache.intern(`gcp:role:${role}`, () =>
        definition.includedPermissions.map((permission) => cache.table.intern(permission)),
      );
    }
    stats.unknownRoleBindings += 1;
    if (!unknownRoles.has(role)) {
      unknownRoles.add(role);
      problems.push({
        code: ExportProblemCode.unknownRole,
        source: policy.source,
        record: policy.resource,
        field: 'role',
        message: `role ${role} bound on ${policy.resource} is not defined in the export; its grants hold the role name instead of permissions. Export it with \`gcloud iam roles describe ${role}\``,
      });
    }
    return cache.intern(`gcp:unknown-role:${role}`, () => [cache.table.intern(role)]);
  };

  const principals = new Map<string, PrincipalState>();
  const stateOf = (member: GcpMember): PrincipalState => {
    let state = principals.get(member.id);
    if (state === undefined) {
      state = { member, groups: [], paths: [] };
      principals.set(member.id, state);
    }
    return state;
  };

  const bound: Array<{ member: GcpMember; group: GrantGroup; path: GcpBindingPath }> = [];
  for (const policy of exported.policies) {
    for (const binding of policy.bindings) {
      stats.bindings += 1;
      if (binding.condition !== undefined) stats.conditionalBindings += 1;
      const group = grantGroupOf(binding, policy, roleSet(binding.role, policy));
      const path: GcpBindingPath = {
        binding,
        policy,
        role: exported.roles.get(binding.role),
        groups: [],
      };
      for (const raw of binding.members) {
        const member = parseGcpMember(raw);
        if (member === undefined) {
          problems.push({
            code: ExportProblemCode.invalidRecord,
            source: policy.source,
            record: policy.resource,
            field: 'members',
            message: `member ${JSON.stringify(raw)} of ${binding.role} on ${policy.resource} is not an IAM principal identifier such as "user:name@example.com"; it was skipped`,
          });
          continue;
        }
        if (member.public) stats.publicBindings += 1;
        const state = stateOf(member);
        state.groups.push(group);
        state.paths.push(path);
        bound.push({ member, group, path });
      }
    }
  }

  // Members of groups and of convenience values inherit what the group was bound to.
  const membersOf = membershipIndex(exported, bound, hierarchy);
  for (const { member, group, path } of bound) {
    for (const { id, chain } of membersOf(member.id)) {
      const inner = parseGcpMember(id);
      if (inner === undefined) continue;
      const state = stateOf(inner);
      state.groups.push(group);
      state.paths.push({ ...path, groups: chain });
    }
  }

  const serviceAccounts = [...principals.values()]
    .filter((state) => state.member.type === 'service-account')
    .map((state) => state.member.id);
  const findings = findGcpRisks(new Map([...principals].map(([id, state]) => [id, state.paths])), {
    hierarchy,
    serviceAccounts,
  });

  const accountId = options.accountId ?? defaultAccountId(exported, hierarchy);
  const result: CompactPrincipalEntitlements[] = [];
  for (const state of [...principals.values()].sort((a, b) =>
    a.member.id < b.member.id ? -1 : 1,
  )) {
    result.push({
      provider: 'gcp',
      account_id: principalAccount(state, hierarchy) ?? accountId,
      principal_id: state.member.id,
      principal_type: state.member.type,
      principal_name: state.member.id.replace(/^[A-Za-z]+:/, ''),
      tags: {},
      grant_groups: [...new Set(state.groups)],
      findings: findings.get(state.member.id) ?? [],
    });
  }
  stats.principals = result.length;
  stats.unknownRoles = unknownRoles.size;

  return {
    header: { taken_at: options.takenAt, provider: 'gcp', account_id: accountId },
    principals: result,
    stats,
    problems,
    hierarchy,
    cache,
  };
}

function grantGroupOf(
  binding: GcpBinding,
  policy: GcpPolicy,
  permissions: PermissionSet,
): GrantGroup {
  const group: GrantGroup = {
    permissions,
    resource: policy.resource,
    conditional: binding.condition !== undefined,
    via: `${binding.role}@${policy.resource}`,
    ...(binding.condition === undefined ? {} : { conditions: JSON.stringify(binding.condition) }),
  };
  return group;
}

/**
 * Returns a function listing the transitive members of a group or convenience member,
 * each with the chain of groups from the member up to the bound one. `projectOwner:p`
 * stands for the members bound to `roles/owner` on project `p` (by id or number).
 */
function membershipIndex(
  exported: GcpExport,
  bound: ReadonlyArray<{ member: GcpMember; path: GcpBindingPath }>,
  hierarchy: GcpHierarchy,
): (memberId: string) => Array<{ id: string; chain: string[] }> {
  const direct = new Map<string, Set<string>>(exported.groupMembers);
  for (const { member } of bound) {
    const convenience = member.convenience;
    if (convenience === undefined || direct.has(member.id)) continue;
    const number = hierarchy.projectNumberOf(convenience.project) ?? convenience.project;
    const members = new Set<string>();
    for (const other of bound) {
      const project = gcpProjectOf(other.path.policy.resource);
      if (project !== number && project !== convenience.project) continue;
      if (other.path.binding.role !== convenience.role || other.member.convenience) continue;
      members.add(other.member.id);
    }
    direct.set(member.id, members);
  }

  const memo = new Map<string, Array<{ id: string; chain: string[] }>>();
  return (memberId) => {
    const known = memo.get(memberId);
    if (known !== undefined) return known;
    const found: Array<{ id: string; chain: string[] }> = [];
    memo.set(memberId, found);
    const seen = new Set<string>([memberId]);
    let frontier = [{ id: memberId, chain: [memberId] }];
    while (frontier.length > 0) {
      const next: Array<{ id: string; chain: string[] }> = [];
      for (const { id, chain } of frontier) {
        for (const member of direct.get(id) ?? []) {
          if (seen.has(member)) continue;
          seen.add(member);
          found.push({ id: member, chain: [...chain].reverse() });
          if (direct.has(member)) next.push({ id: member, chain: [...chain, member] });
        }
      }
      frontier = next;
    }
    return found;
  };
}

/** The project (by id when known) that holds every grant of the principal, if one does. */
function principalAccount(state: PrincipalState, hierarchy: GcpHierarchy): string | undefined {
  const projects = new Set<string>();
  for (const path of state.paths) {
    const resource = path.policy.resource;
    const level = gcpResourceLevel(resource);
    if (level === 'organization' || level === 'folder') return undefined;
    const project =
      gcpProjectOf(resource) ??
      hierarchy
        .ancestorsOf(resource)
        .map(gcpProjectOf)
        .find((found) => found !== undefined);
    if (project === undefined) return undefined;
    projects.add(hierarchy.projectIdOf(project) ?? project);
  }
  return projects.size === 1 ? ([...projects][0] as string) : undefined;
}

function defaultAccountId(exported: GcpExport, hierarchy: GcpHierarchy): string {
  const organizations = new Set<string>();
  const projects = new Set<string>();
  for (const policy of exported.policies) {
    for (const name of [policy.resource, ...hierarchy.ancestorsOf(policy.resource)]) {
      const match = /^\/\/cloudresourcemanager\.googleapis\.com\/(organizations\/[^/]+)$/.exec(
        name,
      );
      if (match !== null) organizations.add(match[1] as string);
      const project = gcpProjectOf(name);
      if (project !== undefined) projects.add(hierarchy.projectIdOf(project) ?? project);
    }
  }
  if (organizations.size === 1) return [...organizations][0] as string;
  if (organizations.size === 0 && projects.size === 1) return [...projects][0] as string;
  return 'organization';
}

/**
 * Returns the grant groups of a principal that apply to `resource` (a full resource name):
 * those on the resource itself and on its ancestors in `hierarchy`.
 */
export function gcpGrantGroupsOn(
  principal: CompactPrincipalEntitlements,
  resource: string,
  hierarchy: GcpHierarchy,
): GrantGroup[] {
  const scopes = new Set([resource, ...hierarchy.ancestorsOf(resource)]);
  return principal.grant_groups.filter((group) => scopes.has(group.resource));
}
