import type { AzureRoleDefinition } from './azure-records.js';

/**
 * The four general built-in roles, used when an export has assignments of them but not
 * their definitions, so that the admin and escalation findings still apply. Permissions as
 * listed in the Azure documentation, "Azure built-in roles" (Owner, Contributor, Reader,
 * User Access Administrator). A definition in the export always takes precedence.
 */
export const AZURE_GENERAL_BUILT_IN_ROLES: readonly AzureRoleDefinition[] = [
  builtIn('8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner', ['*'], []),
  builtIn(
    'b24988ac-6180-42a0-ab88-20f7382dd24c',
    'Contributor',
    ['*'],
    [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
      'Microsoft.Blueprint/blueprintAssignments/write',
      'Microsoft.Blueprint/blueprintAssignments/delete',
      'Microsoft.Compute/galleries/share/action',
      'Microsoft.Purview/consents/write',
      'Microsoft.Purview/consents/delete',
      'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
      'Microsoft.Subscription/cancel/action',
      'Microsoft.Subscription/enable/action',
    ],
  ),
  builtIn('acdd72a7-3385-48ef-bd42-f606fba81ae7', 'Reader', ['*/read'], []),
  builtIn(
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    'User Access Administrator',
    ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'],
    [],
  ),
];

function builtIn(
  key: string,
  roleName: string,
  actions: string[],
  notActions: string[],
): AzureRoleDefinition {
  return {
    key,
    id: `/providers/Microsoft.Authorization/roleDefinitions/${key}`,
    roleName,
    roleType: 'BuiltInRole',
    permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
    assignableScopes: ['/'],
  };
}
