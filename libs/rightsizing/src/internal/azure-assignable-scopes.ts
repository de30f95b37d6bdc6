import { azureScopeLevel } from '@ciem/entitlements';
import { compareText } from './analyze.js';

/** AssignableScopes that Azure accepts for a custom role, and what was changed to get them. */
export interface CustomRoleScopes {
  /** Sorted; empty when every scope was left out and no subscription with use is known. */
  scopes: string[];
  /** Reasons for the scopes left out or added; empty when none was. */
  notes: string[];
}

/**
 * Makes the assignable scopes of a custom role valid under "Azure custom roles", custom role
 * limits (https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles#custom-role-limits):
 *
 * - the root scope `/` is not allowed in a custom role's AssignableScopes;
 * - a custom role with DataActions cannot be assigned at a management group scope;
 * - AssignableScopes may define only one management group.
 *
 * A scope that breaks a limit is left out, and the subscriptions where the principal used the
 * kept operations (`usedSubscriptions`, lower-cased ids) are listed in its place, so the role
 * can be assigned once per subscription instead.
 *
 * NOTE: the hierarchy of management groups is not known here, so a management group is
 * replaced by the subscriptions with use, not by every subscription below it. Access in its
 * other subscriptions, unobservable operations included, is not kept.
 */
export function validCustomRoleScopes(
  scopes: Iterable<string>,
  hasDataActions: boolean,
  usedSubscriptions: Iterable<string>,
): CustomRoleScopes {
  const valid = new Set<string>();
  const groups: string[] = [];
  let root = false;
  for (const scope of scopes) {
    const level = azureScopeLevel(scope);
    if (level === 'root') root = true;
    else if (level === 'management-group') groups.push(scope);
    else valid.add(scope);
  }

  const reasons: string[] = [];
  const dropped: string[] = [];
  if (root) {
    dropped.push('/');
    reasons.push('Azure does not allow the root scope / in the AssignableScopes of a custom role');
  }
  if (groups.length > 0 && hasDataActions) {
    dropped.push(...groups);
    reasons.push('a custom role with DataActions cannot be assigned at a management group scope');
  } else if (groups.length > 1) {
    dropped.push(...groups);
    reasons.push('a custom role can list only one management group in AssignableScopes');
  } else {
    for (const group of groups) valid.add(group);
  }
  if (dropped.length === 0) return { scopes: [...valid].sort(compareText), notes: [] };

  const added: string[] = [];
  for (const subscription of new Set(usedSubscriptions)) {
    const scope = `/subscriptions/${subscription}`;
    if (valid.has(scope)) continue;
    valid.add(scope);
    added.push(scope);
  }
  const replacement =
    added.length > 0
      ? `The role lists the subscriptions where the principal used these operations instead (${added.sort(compareText).join(', ')}), so assign it there once per subscription in place of the assignments at ${dropped.join(', ')}.`
      : `No subscription where the principal used these operations is known, so add the subscriptions where the role is needed to AssignableScopes before creating it.`;
  return {
    scopes: [...valid].sort(compareText),
    notes: [
      `The custom role's AssignableScopes leave out ${dropped.join(', ')}, because ${reasons.join(', and ')}. ${replacement}`,
    ],
  };
}
