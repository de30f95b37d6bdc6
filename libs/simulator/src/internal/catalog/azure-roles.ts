/** One `permissions[]` block of an Azure role definition. */
export interface AzurePermissionBlock {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

/** An Azure role definition before it is given its ids and scopes. */
export interface AzureRole {
  readonly roleName: string;
  /** The role's GUID: the real, documented id for built-in roles. */
  readonly name: string;
  readonly description: string;
  readonly roleType: 'BuiltInRole' | 'CustomRole';
  readonly permissions: readonly AzurePermissionBlock[];
}

const block = (
  actions: string[],
  notActions: string[] = [],
  dataActions: string[] = [],
): AzurePermissionBlock => ({ actions, notActions, dataActions, notDataActions: [] });

const builtIn = (
  roleName: string,
  name: string,
  description: string,
  permissions: AzurePermissionBlock,
): AzureRole => ({
  roleName,
  name,
  description,
  roleType: 'BuiltInRole',
  permissions: [permissions],
});

/**
 * Built-in roles the estate assigns, with their well-known GUIDs.
 * NOTE: long action lists are abbreviated to the resource providers this simulator emits.
 */
export const AZURE_BUILT_IN_ROLES: readonly AzureRole[] = [
  builtIn(
    'Owner',
    '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    block(['*']),
  ),
  builtIn(
    'Contributor',
    'b24988ac-6180-42a0-ab88-20f7382dd24c',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.',
    block(
      ['*'],
      [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
      ],
    ),
  ),
  builtIn(
    'Reader',
    'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    'View all resources, but does not allow you to make any changes.',
    block(['*/read']),
  ),
  builtIn(
    'User Access Administrator',
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    'Lets you manage user access to Azure resources.',
    block(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']),
  ),
  builtIn(
    'Virtual Machine Contributor',
    '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
    'Create and manage virtual machines, but not access to them, and not the network they are connected to.',
    block([
      'Microsoft.Authorization/*/read',
      'Microsoft.Compute/availabilitySets/*',
      'Microsoft.Compute/virtualMachines/*',
      'Microsoft.Compute/disks/write',
      'Microsoft.Compute/disks/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Storage/storageAccounts/listKeys/action',
      'Microsoft.Storage/storageAccounts/read',
    ]),
  ),
  builtIn(
    'Network Contributor',
    '4d97b98b-1d4f-4787-a291-c67834d212e7',
    'Lets you manage networks, but not access to them.',
    block([
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Network/*',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ]),
  ),
  builtIn(
    'Storage Account Contributor',
    '17d1049b-9a84-46fb-8f53-869881c3d3ab',
    'Lets you manage storage accounts, including accessing storage account keys.',
    block([
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Insights/diagnosticSettings/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Storage/storageAccounts/*',
      'Microsoft.Support/*',
    ]),
  ),
  builtIn(
    'Storage Blob Data Reader',
    '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
    'Read and list Azure Storage containers and blobs.',
    block(
      [
        'Microsoft.Storage/storageAccounts/blobServices/containers/read',
        'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
      ],
      [],
      ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
    ),
  ),
  builtIn(
    'Storage Blob Data Contributor',
    'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    'Read, write, and delete Azure Storage containers and blobs.',
    block(
      [
        'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
        'Microsoft.Storage/storageAccounts/blobServices/containers/read',
        'Microsoft.Storage/storageAccounts/blobServices/containers/write',
        'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
      ],
      [],
      [
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
      ],
    ),
  ),
  builtIn(
    'Website Contributor',
    'de139f84-1756-47ae-9be6-808fbbe84772',
    'Lets you manage websites (not web plans), but not access to them.',
    block([
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Insights/components/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
      'Microsoft.Web/certificates/*',
      'Microsoft.Web/serverFarms/join/action',
      'Microsoft.Web/serverFarms/read',
      'Microsoft.Web/sites/*',
    ]),
  ),
  builtIn(
    'Key Vault Secrets User',
    '4633458b-17de-408a-b874-0445c86b69e6',
    'Read secret contents.',
    block(
      [],
      [],
      [
        'Microsoft.KeyVault/vaults/secrets/getSecret/action',
        'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
      ],
    ),
  ),
  builtIn(
    'Azure Kubernetes Service Cluster User Role',
    '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
    'List cluster user credential action.',
    block([
      'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
      'Microsoft.ContainerService/managedClusters/read',
    ]),
  ),
];

export function azureBuiltInRole(roleName: string): AzureRole {
  const found = AZURE_BUILT_IN_ROLES.find((r) => r.roleName === roleName);
  if (!found) throw new Error(`unknown Azure role ${roleName}`);
  return found;
}

const azurePatternCache = new Map<string, RegExp>();

function matchesAzure(pattern: string, operation: string): boolean {
  let regex = azurePatternCache.get(pattern);
  if (!regex) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${body}$`, 'i');
    azurePatternCache.set(pattern, regex);
  }
  return regex.test(operation);
}

/** Decides whether one of `roles` allows the control-plane `operation` (case-insensitive). */
export function isOperationAllowed(roles: readonly AzureRole[], operation: string): boolean {
  return roles.some((r) =>
    r.permissions.some(
      (p) =>
        p.actions.some((a) => matchesAzure(a, operation)) &&
        !p.notActions.some((a) => matchesAzure(a, operation)),
    ),
  );
}
