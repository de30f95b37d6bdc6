/**
 * Azure RBAC scopes. A role assignment applies at its scope and at every scope below it
 * (Azure RBAC documentation, "Understand scope for Azure RBAC"): root `/`, management
 * groups, subscriptions, resource groups, then resources.
 */

/** Level of an Azure scope in the resource hierarchy, highest first. */
export type AzureScopeLevel =
  'root' | 'management-group' | 'subscription' | 'resource-group' | 'resource';

const MANAGEMENT_GROUP = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/;
const SUBSCRIPTION = /^\/subscriptions\/([^/]+)/;

/** Returns a scope or resource id lower-cased and without trailing slashes (`/` stays `/`). */
export function normalizeAzureScope(scope: string): string {
  const trimmed = scope.trim().toLowerCase().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Returns the level of a scope; a path below a resource group counts as a resource. */
export function azureScopeLevel(scope: string): AzureScopeLevel {
  const normalized = normalizeAzureScope(scope);
  if (normalized === '/') return 'root';
  if (MANAGEMENT_GROUP.test(normalized)) return 'management-group';
  const segments = normalized.split('/').filter((segment) => segment !== '');
  if (segments[0] === 'subscriptions') {
    if (segments.length <= 2) return 'subscription';
    if (segments[2] === 'resourcegroups' && segments.length <= 4) return 'resource-group';
  }
  return 'resource';
}

/** True for root, management-group and subscription scopes. */
export function isSubscriptionOrAbove(scope: string): boolean {
  const level = azureScopeLevel(scope);
  return level === 'root' || level === 'management-group' || level === 'subscription';
}

/** Returns the subscription id in a scope, lower-cased, or `undefined` above subscriptions. */
export function azureSubscriptionOf(scope: string): string | undefined {
  return SUBSCRIPTION.exec(normalizeAzureScope(scope))?.[1];
}

/** Returns the management group name of a management-group scope, lower-cased. */
export function azureManagementGroupOf(scope: string): string | undefined {
  return MANAGEMENT_GROUP.exec(normalizeAzureScope(scope))?.[1];
}

/**
 * True when a grant at `scope` applies to `resourceId`: the scope is the root, the same
 * scope, or an ancestor in the id path (`/subscriptions/s` covers
 * `/subscriptions/s/resourceGroups/rg/providers/...`). Comparison ignores case, as Azure
 * resource ids do.
 *
 * A management group covers a subscription only through `managementGroupsOf`, which
 * returns the names of the management groups above a subscription id (the ids alone do not
 * show the hierarchy). Without it, a management-group scope covers only itself.
 */
export function azureScopeCovers(
  scope: string,
  resourceId: string,
  managementGroupsOf?: (subscriptionId: string) => readonly string[],
): boolean {
  const outer = normalizeAzureScope(scope);
  const inner = normalizeAzureScope(resourceId);
  if (outer === '/' || outer === inner) return true;
  if (inner.startsWith(`${outer}/`)) return true;

  const group = azureManagementGroupOf(outer);
  if (group === undefined || managementGroupsOf === undefined) return false;
  const subscription = azureSubscriptionOf(inner);
  if (subscription === undefined) return false;
  return managementGroupsOf(subscription).some((name) => name.toLowerCase() === group);
}
