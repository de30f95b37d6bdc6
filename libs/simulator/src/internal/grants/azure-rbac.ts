import type { AzureRole } from '../catalog/azure-roles.js';
import type { Estate } from '../estate/model.js';

/** Builds `az role assignment list --all` output for the whole tenant. */
export function buildRoleAssignments(estate: Estate): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const principal of estate.principals) {
    const azure = principal.azure;
    if (!azure) continue;
    for (const assignment of azure.assignments) {
      const subscriptionScope = `/subscriptions/${azure.subscriptionId}`;
      out.push({
        condition: null,
        conditionVersion: null,
        createdBy: null,
        createdOn: new Date(estate.start - 90 * 86_400_000)
          .toISOString()
          .replace('.000Z', '.000000+00:00'),
        delegatedManagedIdentityResourceId: null,
        description: null,
        id: `${assignment.scope}/providers/Microsoft.Authorization/roleAssignments/${assignment.id}`,
        name: assignment.id,
        principalId: azure.objectId,
        principalName: azure.upn ?? azure.appId ?? azure.displayName,
        principalType: azure.principalType,
        resourceGroup: assignment.scope.includes('/resourceGroups/')
          ? azure.resourceGroup
          : undefined,
        roleDefinitionId: `${subscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/${assignment.role.name}`,
        roleDefinitionName: assignment.role.roleName,
        scope: assignment.scope,
        type: 'Microsoft.Authorization/roleAssignments',
      });
    }
  }
  return out;
}

/** Builds `az role definition list` output: the built-in roles in use and every custom role. */
export function buildRoleDefinitions(estate: Estate): Array<Record<string, unknown>> {
  const used = new Map<string, AzureRole>();
  for (const principal of estate.principals) {
    for (const assignment of principal.azure?.assignments ?? []) {
      if (assignment.role.roleType === 'BuiltInRole')
        used.set(assignment.role.name, assignment.role);
    }
  }
  const builtIns = [...used.values()].sort((a, b) => a.roleName.localeCompare(b.roleName));
  const out: Array<Record<string, unknown>> = builtIns.map((role) => ({
    assignableScopes: ['/'],
    createdBy: null,
    createdOn: '2015-02-02T21:55:09.880642+00:00',
    description: role.description,
    id: `/providers/Microsoft.Authorization/roleDefinitions/${role.name}`,
    name: role.name,
    permissions: role.permissions.map((p) => ({ ...p, condition: null, conditionVersion: null })),
    roleName: role.roleName,
    roleType: 'BuiltInRole',
    type: 'Microsoft.Authorization/roleDefinitions',
    updatedBy: null,
    updatedOn: '2024-01-01T00:00:00.000000+00:00',
  }));
  for (const subscription of estate.azureSubscriptions) {
    for (const role of subscription.customRoles) {
      out.push({
        assignableScopes: [`/subscriptions/${subscription.id}`],
        createdBy: null,
        createdOn: new Date(estate.start - 120 * 86_400_000)
          .toISOString()
          .replace('.000Z', '.000000+00:00'),
        description: role.description,
        id: `/subscriptions/${subscription.id}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`,
        name: role.name,
        permissions: role.permissions.map((p) => ({
          ...p,
          condition: null,
          conditionVersion: null,
        })),
        roleName: role.roleName,
        roleType: 'CustomRole',
        type: 'Microsoft.Authorization/roleDefinitions',
        updatedBy: null,
        updatedOn: new Date(estate.start - 30 * 86_400_000)
          .toISOString()
          .replace('.000Z', '.000000+00:00'),
      });
    }
  }
  return out;
}
