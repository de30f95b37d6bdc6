import type { Finding, Grant, PrincipalEntitlements } from './entitlements.js';
import type { PermissionSet } from './permission-set.js';

/**
 * Grants that share everything but the permission: one resource pattern, one origin and one
 * condition, over a shared `PermissionSet`. Groups are immutable and may be referenced by
 * many principals, so a policy attached to 10 000 roles is expanded and stored once.
 */
export interface GrantGroup {
  readonly permissions: PermissionSet;
  readonly resource: string;
  readonly conditional: boolean;
  /** JSON text of the conditions, see `Grant.conditions`. */
  readonly conditions?: string;
  readonly via: string;
  readonly data_action?: boolean;
}

/**
 * A principal's entitlements as evaluated in memory: `PrincipalEntitlements` with shared
 * `grant_groups` in place of the expanded `grants`. Convert with `toPrincipalEntitlements`
 * or `iterateGrants` when writing output.
 */
export interface CompactPrincipalEntitlements extends Omit<PrincipalEntitlements, 'grants'> {
  readonly grant_groups: readonly GrantGroup[];
}

/** Yields the principal's grants one at a time, in group order then permission order. */
export function* iterateGrants(principal: CompactPrincipalEntitlements): IterableIterator<Grant> {
  for (const group of principal.grant_groups) {
    for (const permission of group.permissions.names()) {
      const grant: Grant = {
        permission,
        resource: group.resource,
        conditional: group.conditional,
        via: group.via,
      };
      if (group.conditions !== undefined) grant.conditions = group.conditions;
      if (group.data_action !== undefined) grant.data_action = group.data_action;
      yield grant;
    }
  }
}

/** Expands a compact principal into the serializable form with one `Grant` per permission. */
export function toPrincipalEntitlements(
  principal: CompactPrincipalEntitlements,
): PrincipalEntitlements {
  return {
    provider: principal.provider,
    account_id: principal.account_id,
    principal_id: principal.principal_id,
    principal_type: principal.principal_type,
    principal_name: principal.principal_name,
    tags: { ...principal.tags },
    grants: [...iterateGrants(principal)],
    findings: principal.findings.map((finding: Finding) => ({
      ...finding,
      path: [...finding.path],
    })),
  };
}

/** Options of `effectivePermissionIds`. */
export interface EffectivePermissionOptions {
  /** Leave out groups that hold only under a condition or are partly denied. */
  readonly unconditionalOnly?: boolean;
  /** Keep only groups whose resource pattern passes this test. */
  readonly resource?: (pattern: string) => boolean;
}

/**
 * Returns the ids of every permission the principal holds on any resource, from its shared
 * sets, without building `Grant` objects. Ids belong to the `PermissionTable` of the
 * evaluation that produced the principal.
 */
export function effectivePermissionIds(
  principal: CompactPrincipalEntitlements,
  options: EffectivePermissionOptions = {},
): Set<number> {
  const result = new Set<number>();
  for (const group of principal.grant_groups) {
    if (options.unconditionalOnly === true && group.conditional) continue;
    if (options.resource !== undefined && !options.resource(group.resource)) continue;
    for (const id of group.permissions.ids()) result.add(id);
  }
  return result;
}

/** Returns the names of every permission the principal holds on any resource, sorted. */
export function effectivePermissionNames(
  principal: CompactPrincipalEntitlements,
  options: EffectivePermissionOptions = {},
): string[] {
  const names = new Set<string>();
  for (const group of principal.grant_groups) {
    if (options.unconditionalOnly === true && group.conditional) continue;
    if (options.resource !== undefined && !options.resource(group.resource)) continue;
    for (const name of group.permissions.names()) names.add(name);
  }
  return [...names].sort();
}

/** Counts the grants a principal expands to, without expanding them. */
export function countGrants(principal: CompactPrincipalEntitlements): number {
  let count = 0;
  for (const group of principal.grant_groups) count += group.permissions.size;
  return count;
}
