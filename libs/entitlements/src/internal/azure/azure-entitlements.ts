import type { CompactPrincipalEntitlements, GrantGroup } from '../model/compact-entitlements.js';
import { PermissionSetCache, PermissionTable } from '../model/permission-set.js';
import type { SnapshotHeader } from '../model/snapshot-stream.js';
import type { ExportProblem } from '../snapshot/export-documents.js';
import { ExportProblemCode } from '../snapshot/export-documents.js';
import type { AzureOperationCatalog, AzureRolePermissions } from './azure-actions.js';
import {
  azureCatalogFromOperations,
  azureCatalogFromRoleDefinitions,
  evaluateAzureRole,
} from './azure-actions.js';
import { AZURE_GENERAL_BUILT_IN_ROLES } from './azure-builtin-roles.js';
import { applyAzureDenyAssignments } from './azure-deny.js';
import type { AzureExport } from './azure-export.js';
import type { AzureAssignmentPath } from './azure-findings.js';
import { findAzureRisks } from './azure-findings.js';
import { groupAncestry } from './azure-groups.js';
import type { AzureRoleAssignment, AzureRoleDefinition } from './azure-records.js';
import { azureSubscriptionOf, normalizeAzureScope } from './azure-scope.js';

/** Options of `evaluateAzureEntitlements`. */
export interface AzureEvaluationOptions {
  /** Snapshot time, in milliseconds since the Unix epoch. */
  readonly takenAt: number;
  /**
   * Snapshot `account_id`, such as a tenant id. By default the subscription when every
   * assignment sits in one, else `tenant`.
   */
  readonly accountId?: string;
  /**
   * Operations that wildcards expand to. By default the export's provider operations
   * (`az provider operation list`) when it has any, else none: wildcards stay patterns.
   */
  readonly catalog?: AzureOperationCatalog;
  /**
   * With no catalog and no provider operations, expand wildcards against the operations
   * the export's role definitions name. False by default because a partial list of roles
   * makes a partial catalog, and `*` would then look smaller than it is.
   */
  readonly catalogFromRoleDefinitions?: boolean;
  /** Shares interned sets with other evaluations; a new one by default. */
  readonly cache?: PermissionSetCache;
}

/** Counts of one Azure evaluation, for reports and logs. */
export interface AzureEvaluationStats {
  roleAssignments: number;
  roleDefinitions: number;
  denyAssignments: number;
  groups: number;
  principals: number;
  /** Assignments whose role definition the export lacks; each grant keeps the role id. */
  unknownRoleAssignments: number;
  conditionalAssignments: number;
  /** Wildcards kept as patterns because no catalog operation matched them. */
  keptPatterns: number;
  catalog: AzureOperationCatalog['source'] | 'none';
  catalogOperations: number;
}

/** The entitlements of every Azure principal in an export. */
export interface AzureEvaluation {
  readonly header: SnapshotHeader;
  /** Sorted by principal id. */
  readonly principals: CompactPrincipalEntitlements[];
  readonly stats: AzureEvaluationStats;
  /** Problems from reading the export, then from evaluation (unknown roles). */
  readonly problems: ExportProblem[];
  readonly cache: PermissionSetCache;
}

const PRINCIPAL_TYPES: Readonly<Record<string, string>> = {
  user: 'user',
  group: 'group',
  serviceprincipal: 'service-principal',
  foreigngroup: 'foreign-group',
  device: 'device',
  contact: 'contact',
};

function principalTypeOf(type: string): string {
  return PRINCIPAL_TYPES[type.toLowerCase()] ?? (type === '' ? 'unknown' : type.toLowerCase());
}

interface PrincipalState {
  id: string;
  type: string;
  name: string;
  groups: GrantGroup[];
  paths: AzureAssignmentPath[];
  subscriptions: Set<string>;
}

/**
 * Builds every principal's effective Azure permissions from role assignments, role
 * definitions, group members and deny assignments. A grant's resource is the assignment
 * scope, lower-cased; it applies to everything below that scope (`azureScopeCovers`).
 * Members of a group get the group's grant groups, shared, and findings that show the
 * group in their path. Assignments with an ABAC condition give conditional grants whose
 * `conditions` contain `{"condition", "conditionVersion"}`. A wildcard that `notActions`
 * may cut into gives a conditional grant whose `conditions` contain `{"notActions"}`.
 */
export function evaluateAzureEntitlements(
  exported: AzureExport,
  options: AzureEvaluationOptions,
): AzureEvaluation {
  const cache = options.cache ?? new PermissionSetCache(new PermissionTable());
  const problems: ExportProblem[] = [...exported.problems];

  const definitions = new Map<string, AzureRoleDefinition>();
  const definitionsByName = new Map<string, AzureRoleDefinition>();
  for (const definition of [...AZURE_GENERAL_BUILT_IN_ROLES, ...exported.roleDefinitions]) {
    definitions.set(definition.key, definition);
    definitionsByName.set(definition.roleName.toLowerCase(), definition);
  }

  const catalog =
    options.catalog ??
    (exported.operations.length > 0
      ? azureCatalogFromOperations(exported.operations)
      : options.catalogFromRoleDefinitions === true
        ? azureCatalogFromRoleDefinitions(exported.roleDefinitions)
        : undefined);

  const stats: AzureEvaluationStats = {
    roleAssignments: exported.roleAssignments.length,
    roleDefinitions: exported.roleDefinitions.length,
    denyAssignments: exported.denyAssignments.length,
    groups: exported.groupMembers.size,
    principals: 0,
    unknownRoleAssignments: 0,
    conditionalAssignments: 0,
    keptPatterns: 0,
    catalog: catalog?.source ?? 'none',
    catalogOperations: (catalog?.actions.length ?? 0) + (catalog?.dataActions.length ?? 0),
  };

  const expansions = new Map<string, readonly string[]>();
  const rolePermissions = new Map<string, AzureRolePermissions>();
  const permissionsOf = (definition: AzureRoleDefinition): AzureRolePermissions => {
    let evaluated = rolePermissions.get(definition.key);
    if (evaluated === undefined) {
      evaluated = evaluateAzureRole(definition, catalog, cache, expansions);
      stats.keptPatterns += evaluated.patternCount;
      rolePermissions.set(definition.key, evaluated);
    }
    return evaluated;
  };

  const principals = new Map<string, PrincipalState>();
  const stateOf = (id: string, type: string, name: string): PrincipalState => {
    let state = principals.get(id);
    if (state === undefined) {
      const known = exported.directoryObjects.get(id);
      state = {
        id,
        type: principalTypeOf(type || known?.type || ''),
        name: name || known?.name || id,
        groups: [],
        paths: [],
        subscriptions: new Set(),
      };
      principals.set(id, state);
    } else if (state.name === id && name !== '') {
      state.name = name;
    }
    return state;
  };

  const membersOf = invertMembership(exported.groupMembers);
  const allSubscriptions = new Set<string>();

  for (const assignment of exported.roleAssignments) {
    const definition =
      definitions.get(assignment.roleDefinitionKey) ??
      definitionsByName.get(assignment.roleDefinitionName.toLowerCase());
    if (assignment.condition !== undefined) stats.conditionalAssignments += 1;
    if (definition === undefined) {
      stats.unknownRoleAssignments += 1;
      problems.push(unknownRoleProblem(assignment));
    }
    const grantGroups = grantGroupsOf(
      assignment,
      definition,
      definition && permissionsOf(definition),
      cache,
    );
    const subscription = azureSubscriptionOf(assignment.scope);
    if (subscription !== undefined) allSubscriptions.add(subscription);

    const assignee = stateOf(
      assignment.principalId,
      assignment.principalType,
      assignment.principalName,
    );
    assignee.groups.push(...grantGroups);
    assignee.paths.push({ assignment, definition, groups: [] });
    if (subscription !== undefined) assignee.subscriptions.add(subscription);

    // Members of the assignee, when it is a group, inherit the assignment.
    for (const { member, groups } of membersOf(assignment.principalId)) {
      const state = stateOf(member, '', '');
      state.groups.push(...grantGroups);
      state.paths.push({ assignment, definition, groups });
      if (subscription !== undefined) state.subscriptions.add(subscription);
    }
  }

  const accountId =
    options.accountId ??
    (allSubscriptions.size === 1 ? ([...allSubscriptions][0] as string) : 'tenant');

  const ancestorsOf = groupAncestry(exported.groupMembers);
  const result: CompactPrincipalEntitlements[] = [];
  for (const state of [...principals.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const memberOf = ancestorsOf(state.id);
    const grantGroups = applyAzureDenyAssignments(
      dedupe(state.groups),
      state.id,
      memberOf,
      exported.denyAssignments,
      cache,
    );
    result.push({
      provider: 'azure',
      account_id:
        state.subscriptions.size === 1 ? ([...state.subscriptions][0] as string) : accountId,
      principal_id: state.id,
      principal_type: state.type,
      principal_name: state.name,
      tags: {},
      grant_groups: grantGroups,
      findings: findAzureRisks(state.id, state.paths),
    });
  }
  stats.principals = result.length;

  return {
    header: { taken_at: options.takenAt, provider: 'azure', account_id: accountId },
    principals: result,
    stats,
    problems,
    cache,
  };
}

/** Builds the grant groups of one assignment; they are shared by the assignee's members. */
function grantGroupsOf(
  assignment: AzureRoleAssignment,
  definition: AzureRoleDefinition | undefined,
  permissions: AzureRolePermissions | undefined,
  cache: PermissionSetCache,
): GrantGroup[] {
  const resource = normalizeAzureScope(assignment.scope);
  const conditional = assignment.condition !== undefined;
  const conditions = conditional
    ? JSON.stringify({
        condition: assignment.condition,
        ...(assignment.conditionVersion === undefined
          ? {}
          : { conditionVersion: assignment.conditionVersion }),
      })
    : undefined;
  const base = {
    resource,
    conditional,
    via: assignment.id,
    ...(conditions === undefined ? {} : { conditions }),
  };

  if (definition === undefined || permissions === undefined) {
    // NOTE: without the role definition the grant contains the role definition id in place
    // of operations, so it matches no used permission until the definition is exported.
    const roleId = assignment.roleDefinitionId.toLowerCase();
    const set = cache.intern(`azure:unknown-role:${roleId}`, () => [cache.table.intern(roleId)]);
    return [{ ...base, permissions: set }];
  }

  const groups: GrantGroup[] = [];
  if (permissions.actions.id !== cache.empty.id) {
    groups.push({ ...base, permissions: permissions.actions });
  }
  if (permissions.dataActions.id !== cache.empty.id) {
    groups.push({ ...base, permissions: permissions.dataActions, data_action: true });
  }
  for (const kept of permissions.partialPatterns) {
    const set = cache.intern(`azure:pattern:${kept.pattern}`, () => [
      cache.table.intern(kept.pattern),
    ]);
    groups.push({
      ...base,
      permissions: set,
      conditional: true,
      conditions: JSON.stringify({
        ...(conditions === undefined ? {} : (JSON.parse(conditions) as object)),
        [kept.dataAction ? 'notDataActions' : 'notActions']: kept.excluded,
      }),
      ...(kept.dataAction ? { data_action: true } : {}),
    });
  }
  return groups;
}

function unknownRoleProblem(assignment: AzureRoleAssignment): ExportProblem {
  const name = assignment.roleDefinitionName === '' ? '' : ` (${assignment.roleDefinitionName})`;
  return {
    code: ExportProblemCode.unknownRole,
    source: assignment.source,
    record: assignment.id,
    field: 'roleDefinitionId',
    message: `role definition ${assignment.roleDefinitionId}${name} of assignment ${assignment.id} is not in the export; its grant contains the role id instead of operations. Export the definitions with \`az role definition list\``,
  };
}

function dedupe(groups: GrantGroup[]): GrantGroup[] {
  return [...new Set(groups)];
}

/**
 * Returns a function listing the transitive members of a group with the chain of groups
 * from each member up to that group.
 */
function invertMembership(
  groupMembers: ReadonlyMap<string, ReadonlySet<string>>,
): (groupId: string) => Array<{ member: string; groups: string[] }> {
  return (groupId) => {
    const found: Array<{ member: string; groups: string[] }> = [];
    const seen = new Set<string>([groupId]);
    let frontier: Array<{ id: string; chain: string[] }> = [{ id: groupId, chain: [groupId] }];
    while (frontier.length > 0) {
      const next: Array<{ id: string; chain: string[] }> = [];
      for (const { id, chain } of frontier) {
        for (const member of groupMembers.get(id) ?? []) {
          if (seen.has(member)) continue;
          seen.add(member);
          // The chain runs from the member up: its direct group first.
          const groups = [...chain].reverse();
          found.push({ member, groups });
          if (groupMembers.has(member)) next.push({ id: member, chain: [...chain, member] });
        }
      }
      frontier = next;
    }
    return found;
  };
}
