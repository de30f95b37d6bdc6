import type { GrantGroup } from '../model/compact-entitlements.js';
import type { PermissionSetCache } from '../model/permission-set.js';
import {
  azureBlockGrants,
  azurePatternsMayOverlap,
  isAzurePattern,
  matchesAzurePattern,
} from './azure-actions.js';
import type { AzureDenyAssignment } from './azure-records.js';
import { azureScopeCovers, normalizeAzureScope } from './azure-scope.js';

/** The principal id that Azure deny assignments use for "all principals". */
const ALL_PRINCIPALS = '00000000-0000-0000-0000-000000000000';

function appliesTo(
  deny: AzureDenyAssignment,
  principalId: string,
  memberOf: ReadonlySet<string>,
): boolean {
  if (deny.excludePrincipalIds.includes(principalId)) return false;
  if ([...memberOf].some((group) => deny.excludePrincipalIds.includes(group))) return false;
  return deny.principalIds.some(
    (id) => id === ALL_PRINCIPALS || id === principalId || memberOf.has(id),
  );
}

type DenyMatch = 'all' | 'some' | 'none';

/**
 * How a deny assignment meets one granted name: `all` when it denies the operation (or the
 * whole pattern), `some` when a pattern may be denied in part, `none` otherwise.
 */
function denyMatch(deny: AzureDenyAssignment, name: string, dataAction: boolean): DenyMatch {
  if (!isAzurePattern(name)) {
    return deny.permissions.some((block) => azureBlockGrants(block, name, dataAction))
      ? 'all'
      : 'none';
  }
  let result: DenyMatch = 'none';
  for (const block of deny.permissions) {
    const denied = dataAction ? block.dataActions : block.actions;
    const spared = dataAction ? block.notDataActions : block.notActions;
    for (const action of denied) {
      if (
        matchesAzurePattern(action, name) &&
        !spared.some((s) => azurePatternsMayOverlap(s, name))
      ) {
        return 'all';
      }
      if (azurePatternsMayOverlap(action, name)) result = 'some';
    }
  }
  return result;
}

/**
 * Removes what deny assignments take from one principal's grant groups (Azure RBAC
 * documentation, "Understand Azure deny assignments"). A deny at the grant's scope or
 * above removes the denied operations. A deny below the grant's scope, or one that may
 * cover only part of a pattern, moves the operations to a separate conditional group. Its
 * `conditions` name the deny assignment. Groups no deny touches are returned as they are,
 * still shared with other principals.
 */
export function applyAzureDenyAssignments(
  groups: readonly GrantGroup[],
  principalId: string,
  memberOf: ReadonlySet<string>,
  denies: readonly AzureDenyAssignment[],
  cache: PermissionSetCache,
): GrantGroup[] {
  const relevant = denies.filter((deny) => appliesTo(deny, principalId, memberOf));
  if (relevant.length === 0) return [...groups];

  let current = [...groups];
  relevant.forEach((deny) => {
    const denyScope = normalizeAzureScope(deny.scope);
    const next: GrantGroup[] = [];
    for (const group of current) {
      const exact = denyScope === group.resource;
      const above =
        exact || (!deny.doNotApplyToChildScopes && azureScopeCovers(denyScope, group.resource));
      const below = !above && azureScopeCovers(group.resource, denyScope);
      if (!above && !below) {
        next.push(group);
        continue;
      }
      const kept: number[] = [];
      const limited: number[] = [];
      for (const id of group.permissions.ids()) {
        const match = denyMatch(deny, cache.table.nameOf(id), group.data_action === true);
        if (match === 'none') kept.push(id);
        else if (match === 'some' || below) limited.push(id);
      }
      if (limited.length === 0 && kept.length === group.permissions.size) {
        next.push(group);
        continue;
      }
      const key = `azure:deny:${deny.id}:${above ? 'above' : 'below'}:${group.permissions.id}`;
      if (kept.length > 0) {
        next.push({ ...group, permissions: cache.intern(`${key}:kept`, () => kept) });
      }
      if (limited.length > 0) {
        next.push({
          ...group,
          permissions: cache.intern(`${key}:limited`, () => limited),
          conditional: true,
          conditions: JSON.stringify({
            ...(group.conditions === undefined ? {} : (JSON.parse(group.conditions) as object)),
            denyAssignment: deny.id || deny.name,
          }),
        });
      }
    }
    current = next;
  });
  return current;
}
