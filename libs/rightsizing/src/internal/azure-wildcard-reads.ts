import { matchesAzurePattern } from '@ciem/entitlements';
import type { GrantedPermission } from './granted.js';

/** The read parts of an Azure principal's control-plane wildcard grants. */
export interface AzureWildcardReads {
  /** Read patterns, one or two per wildcard, as grants of the wildcard's scopes. */
  reads: GrantedPermission[];
  /** Number of wildcard grants that contributed a read pattern. */
  wildcards: number;
}

/**
 * Returns the patterns of the read operations in a control-plane wildcard:
 * `microsoft.storage/*` gives `microsoft.storage/*\/read`, and
 * `microsoft.compute/virtualmachines/*` also gives `microsoft.compute/virtualmachines/read`,
 * which `.../*\/read` does not match. A wildcard that cannot match an operation ending in
 * `/read` (`microsoft.compute/*\/write`) gives none, and so does one that is only reads.
 */
function readPatternsOf(wildcard: string): string[] {
  if (!wildcard.endsWith('*')) return [];
  const patterns = [`${wildcard}/read`];
  const parent = wildcard.endsWith('/*') ? wildcard.slice(0, -2) : undefined;
  // `<namespace>/<type>/read` is an operation name, but `<namespace>/read` is not.
  if (parent !== undefined && parent.includes('/') && !parent.includes('*')) {
    patterns.push(`${parent}/read`);
  }
  return patterns;
}

/** True when an exclusion of the wildcard may remove a read operation. */
function mayExcludeReads(excluded: string): boolean {
  return excluded.endsWith('*') || excluded.endsWith('/read');
}

/**
 * Derives the read parts of the Azure control-plane wildcard grants, used or not. The
 * Activity Log records no read (GET) operations, so the reads a wildcard grants are
 * unobservable and a least-privilege role must keep them. A read pattern that another grant
 * ending in `/read` already covers, or that names one of the `expanded` operations (the
 * catalog operations of used wildcards), is skipped.
 *
 * NOTE: a wildcard whose `notActions` may remove reads (`microsoft.keyvault/*\/read`) gives
 * no read pattern, because the pattern would grant the excluded reads. Its reads are then
 * neither kept nor reported.
 */
export function azureWildcardReads(
  granted: ReadonlyMap<string, GrantedPermission>,
  expanded: ReadonlySet<string>,
): AzureWildcardReads {
  const readGrants = [...granted.values()].filter(
    (grant) => !grant.data_action && grant.permission.endsWith('/read'),
  );
  const covered = (pattern: string): boolean =>
    granted.has(pattern) ||
    expanded.has(pattern) ||
    readGrants.some((grant) => matchesAzurePattern(grant.permission, pattern));

  const reads = new Map<string, GrantedPermission>();
  let wildcards = 0;
  for (const grant of granted.values()) {
    if (!grant.pattern || grant.data_action) continue;
    if (grant.excluded.some(mayExcludeReads)) continue;
    const patterns = readPatternsOf(grant.permission).filter(
      (pattern) => !covered(pattern) && !reads.has(pattern),
    );
    if (patterns.length === 0) continue;
    wildcards += 1;
    for (const pattern of patterns) {
      reads.set(pattern, { ...grant, permission: pattern, excluded: [] });
    }
  }
  return { reads: [...reads.values()], wildcards };
}
