import type { CompactPrincipalEntitlements, PrincipalEntitlements } from '@ciem/entitlements';
import type { RightsizingProvider } from './types.js';

/** A principal's entitlements in either the compact (evaluated) or the serializable form. */
export type AnalyzedPrincipal = CompactPrincipalEntitlements | PrincipalEntitlements;

/** One granted permission of a principal, merged over its grants. */
export interface GrantedPermission {
  /** As the grant spells it (AWS canonical case, Azure lower case, GCP as is). */
  permission: string;
  /**
   * An Azure wildcard kept as is, or a GCP role the export did not define (`roles/x`):
   * used permissions are matched against it.
   */
  pattern: boolean;
  data_action: boolean;
  /** True when a grant limited by conditions covers a resource no unconditional grant does. */
  conditional: boolean;
  /** Resource patterns or scopes of the grants, sorted. */
  resources: string[];
  /** Resource patterns or scopes of the grants without conditions, sorted. */
  unconditional_resources: string[];
  /**
   * The `conditions` JSON text, once each, of the conditional grants on resources that no
   * unconditional grant names; empty when the permission is not conditional.
   */
  conditions: string[];
  /**
   * Azure `notActions` (or `notDataActions`) that remove part of a wildcard grant, lower-cased.
   * When several grants give the same wildcard, only exclusions common to all remain.
   */
  excluded: string[];
}

function exclusionsOf(conditions: string | undefined, dataAction: boolean): string[] {
  if (conditions === undefined) return [];
  try {
    const parsed = JSON.parse(conditions) as Record<string, unknown>;
    const list = parsed[dataAction ? 'notDataActions' : 'notActions'];
    return Array.isArray(list) ? list.map((entry) => String(entry).toLowerCase()) : [];
  } catch {
    return [];
  }
}

/** Returns true when a GCP grant names a role whose permissions are unknown. */
export function isGcpRoleName(permission: string): boolean {
  return permission.startsWith('roles/') || permission.includes('/roles/');
}

function isPattern(provider: RightsizingProvider, permission: string): boolean {
  if (provider === 'azure') return permission.includes('*');
  if (provider === 'gcp') return isGcpRoleName(permission);
  return false;
}

/**
 * Collects the granted permissions of a principal keyed by lower-cased name. Compact
 * principals are read group by group, so a set shared by many principals is not expanded
 * into `Grant` objects.
 */
export function grantedPermissions(principal: AnalyzedPrincipal): Map<string, GrantedPermission> {
  const provider = principal.provider;
  const granted = new Map<string, GrantedPermission>();
  const resourceSets = new Map<string, Set<string>>();
  const unconditionalSets = new Map<string, Set<string>>();
  const conditionalGrants = new Map<string, Array<{ resource: string; conditions: string }>>();
  const add = (
    permission: string,
    resource: string,
    conditional: boolean,
    dataAction: boolean,
    conditions: string | undefined,
  ): void => {
    const key = permission.toLowerCase();
    const pattern = isPattern(provider, permission);
    const excluded = pattern ? exclusionsOf(conditions, dataAction) : [];
    let entry = granted.get(key);
    if (entry === undefined) {
      entry = {
        permission,
        pattern,
        data_action: dataAction,
        conditional: false,
        resources: [],
        unconditional_resources: [],
        conditions: [],
        excluded,
      };
      granted.set(key, entry);
      resourceSets.set(key, new Set());
      unconditionalSets.set(key, new Set());
      conditionalGrants.set(key, []);
    } else {
      entry.data_action = entry.data_action || dataAction;
      entry.excluded = entry.excluded.filter((name) => excluded.includes(name));
    }
    resourceSets.get(key)?.add(resource);
    if (conditional) conditionalGrants.get(key)?.push({ resource, conditions: conditions ?? '' });
    else unconditionalSets.get(key)?.add(resource);
  };

  if ('grant_groups' in principal) {
    for (const group of principal.grant_groups) {
      for (const permission of group.permissions.names()) {
        add(
          permission,
          group.resource,
          group.conditional,
          group.data_action === true,
          group.conditions,
        );
      }
    }
  } else {
    for (const grant of principal.grants) {
      add(
        grant.permission,
        grant.resource,
        grant.conditional,
        grant.data_action === true,
        grant.conditions,
      );
    }
  }

  for (const [key, entry] of granted) {
    entry.resources = [...(resourceSets.get(key) ?? [])].sort();
    const unconditional = unconditionalSets.get(key) ?? new Set<string>();
    entry.unconditional_resources = [...unconditional].sort();
    // A condition limits the permission only where no grant without one gives the same
    // resource. An AWS grant on `*` gives every resource.
    const everywhere = provider === 'aws' && unconditional.has('*');
    const limited = everywhere
      ? []
      : (conditionalGrants.get(key) ?? []).filter((grant) => !unconditional.has(grant.resource));
    entry.conditional = limited.length > 0;
    entry.conditions = [
      ...new Set(limited.map((grant) => grant.conditions).filter((text) => text !== '')),
    ];
  }
  return granted;
}
