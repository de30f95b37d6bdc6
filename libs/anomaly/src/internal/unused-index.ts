import type { UnusedPermissionLookup } from './types.js';

/** One principal's unused permissions as right-sizing reported them. */
export interface UnusedPermissionEntry {
  readonly principalId: string;
  readonly unused: readonly { readonly permission: string; readonly risk: string }[];
  /**
   * End of the right-sizing window, in milliseconds since the Unix epoch. Only uses at or
   * after it contradict the result: an older event replayed or backfilled later was already
   * inside (or before) the window. Unset means every use counts.
   */
  readonly windowEnd?: number;
}

/**
 * Right-sizing risk classes (`PermissionRisk` of @ciem/rightsizing) whose unused
 * permissions the `unused-high-risk-permission` rule watches: changes to permissions and
 * other writes. Reads, lists and tagging are left out, because a first read is rarely a risk.
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
  let byPrincipal = new Map<string, { permissions: Set<string>; since: number }>();
  return {
    lookup: (principalId, permission, eventTime) => {
      const entry = byPrincipal.get(principalId);
      if (entry === undefined || eventTime < entry.since) return false;
      return entry.permissions.has(permission.toLowerCase());
    },
    replace(entries) {
      const next = new Map<string, { permissions: Set<string>; since: number }>();
      let count = 0;
      for (const entry of entries) {
        for (const { permission, risk } of entry.unused) {
          if (!HIGH_RISK_CLASSES.has(risk)) continue;
          let kept = next.get(entry.principalId);
          if (kept === undefined) {
            kept = { permissions: new Set(), since: entry.windowEnd ?? Number.NEGATIVE_INFINITY };
            next.set(entry.principalId, kept);
          }
          const before = kept.permissions.size;
          kept.permissions.add(permission.toLowerCase());
          count += kept.permissions.size - before;
        }
      }
      byPrincipal = next;
      return count;
    },
  };
}
