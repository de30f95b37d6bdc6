import type { PrincipalEntitlements } from '@ciem/entitlements';

/**
 * Lists the Azure operations the stored grants name without a wildcard, split into control
 * and data actions. The one-process mode reads them from the role definitions of the
 * export. The `entitlements` table keeps only the roles that are assigned, so this is the
 * closest list the services have. Right-sizing expands a wildcard grant such as
 * Contributor's `*` over these operations and the ones any principal used, so an operation
 * that is neither named by an assigned role nor used in the window cannot be reported as
 * unused.
 */
export function azureOperationsOf(principals: Iterable<PrincipalEntitlements>): {
  actions: string[];
  dataActions: string[];
} {
  const actions = new Set<string>();
  const dataActions = new Set<string>();
  for (const principal of principals) {
    if (principal.provider !== 'azure') continue;
    for (const grant of principal.grants) {
      if (grant.permission.includes('*')) continue;
      (grant.data_action === true ? dataActions : actions).add(grant.permission.toLowerCase());
    }
  }
  return { actions: [...actions].sort(), dataActions: [...dataActions].sort() };
}
