import type { UnusedPermissionLookup } from './types.js';

/** One principal's unused permissions as right-sizing reported them. */
export interface UnusedPermissionEntry {
  readonly principalId: string;
  readonly unused: readonly { readonly permission: string; readonly risk: string }[];
}

/**
 * Right-sizing risk classes (`PermissionRisk` of @ciem/rightsizing) whose unused
 * permissions the `unused-high-risk-permission` rule watches: changes to permissions and
 * other writes. Reads, lists and tagging are left out, because a first read alerts nobody.
 */
export const HIGH_RISK_CLASSES: ReadonlySet<string> = new Set([
  'escalation',
  'permissions-management',
  'write',
]);

/** The latest unused high-risk permissions per principal, replaced as a whole on refresh. */
export interface UnusedPermissionIndex {
  /** The port for `AnomalyOptions.isMarkedUnused`; it reads the latest replacement. */
  readonly lookup: UnusedPermissionLookup;
  /** Replaces the whole index with these entries and returns how many permissions it keeps. */
  replace(entries: Iterable<UnusedPermissionEntry>): number;
}

/**
 * Creates an index of unused high-risk permissions. Permissions are compared case-blind,
 * because AWS action names are case-insensitive and right-sizing spells them as the
 * catalog does while CloudTrail spells them as the API does.
 */
export function createUnusedPermissionIndex(): UnusedPermissionIndex {
  let byPrincipal = new Map<string, Set<string>>();
  return {
    lookup: (principalId, permission) =>
      byPrincipal.get(principalId)?.has(permission.toLowerCase()) ?? false,
    replace(entries) {
      const next = new Map<string, Set<string>>();
      let count = 0;
      for (const entry of entries) {
        for (const { permission, risk } of entry.unused) {
          if (!HIGH_RISK_CLASSES.has(risk)) continue;
          let set = next.get(entry.principalId);
          if (set === undefined) {
            set = new Set();
            next.set(entry.principalId, set);
          }
          const before = set.size;
          set.add(permission.toLowerCase());
          count += set.size - before;
        }
      }
      byPrincipal = next;
      return count;
    },
  };
}
