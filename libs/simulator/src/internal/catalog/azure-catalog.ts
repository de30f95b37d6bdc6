import { apiCall as c } from './types.js';
import type { PermissionGroup } from './types.js';

const COMPUTE = 'Microsoft.Compute';
const STORAGE = 'Microsoft.Storage';
const NETWORK = 'Microsoft.Network';
const RESOURCES = 'Microsoft.Resources';
const WEB = 'Microsoft.Web';
const KEYVAULT = 'Microsoft.KeyVault';
const AKS = 'Microsoft.ContainerService';
const AUTHZ = 'Microsoft.Authorization';
const INSIGHTS = 'Microsoft.Insights';

/**
 * Activity Log operations by permission group. The Activity Log records only control-plane
 * writes, deletes and actions (never GETs), so every entry here is one of those; the
 * operation name is also the permission the call exercised.
 */
export const AZURE_GROUPS: readonly PermissionGroup[] = [
  group('azure:vm-operate', [
    op(COMPUTE, 'virtualMachines/start/action', 'vm', 4),
    op(COMPUTE, 'virtualMachines/restart/action', 'vm', 2),
    op(COMPUTE, 'virtualMachines/deallocate/action', 'vm', 3),
    op(COMPUTE, 'virtualMachines/powerOff/action', 'vm', 1),
  ]),
  group('azure:vm-manage', [
    op(COMPUTE, 'virtualMachines/write', 'vm', 3),
    op(COMPUTE, 'disks/write', 'disk', 1),
    op(COMPUTE, 'virtualMachines/delete', 'vm', 1),
  ]),
  group('azure:storage-keys', [
    op(STORAGE, 'storageAccounts/listKeys/action', 'storageAccount', 6),
    op(STORAGE, 'storageAccounts/regenerateKey/action', 'storageAccount', 1),
  ]),
  group('azure:storage-manage', [
    op(STORAGE, 'storageAccounts/write', 'storageAccount', 2),
    op(STORAGE, 'storageAccounts/blobServices/containers/write', 'container', 3),
  ]),
  group('azure:network-manage', [
    op(NETWORK, 'networkSecurityGroups/write', 'nsg', 1),
    op(NETWORK, 'networkSecurityGroups/securityRules/write', 'securityRule', 3),
    op(NETWORK, 'publicIPAddresses/write', 'publicIp', 1),
    op(NETWORK, 'virtualNetworks/write', 'vnet', 1),
  ]),
  group('azure:deployments', [
    op(RESOURCES, 'deployments/write', 'deployment', 4),
    op(RESOURCES, 'deployments/validate/action', 'deployment', 2),
    op(RESOURCES, 'subscriptions/resourceGroups/write', 'resourceGroup', 1),
  ]),
  group('azure:web-deploy', [
    op(WEB, 'sites/write', 'site', 2),
    op(WEB, 'sites/config/write', 'siteConfig', 2),
    op(WEB, 'sites/restart/action', 'site', 3),
    op(WEB, 'sites/publishxml/action', 'site', 1),
  ]),
  group('azure:keyvault-manage', [
    op(KEYVAULT, 'vaults/write', 'vault', 1),
    op(KEYVAULT, 'vaults/accessPolicies/write', 'vaultAccessPolicy', 2),
  ]),
  group('azure:aks-access', [
    op(AKS, 'managedClusters/listClusterUserCredential/action', 'cluster', 1),
  ]),
  group('azure:authorization-write', [
    op(AUTHZ, 'roleAssignments/write', 'roleAssignment', 2),
    op(AUTHZ, 'roleAssignments/delete', 'roleAssignment', 1),
  ]),
  group('azure:monitoring-manage', [
    op(INSIGHTS, 'diagnosticSettings/write', 'diagnosticSetting', 1),
    op(INSIGHTS, 'activityLogAlerts/write', 'activityLogAlert', 1),
    op(INSIGHTS, 'diagnosticSettings/delete', 'diagnosticSetting', 1),
  ]),
];

function op(provider: string, path: string, resource: string, weight: number) {
  const name = `${provider}/${path}`;
  return c(provider, name, name, resource, '', weight);
}

function group(id: string, calls: PermissionGroup['calls']): PermissionGroup {
  return { id, provider: 'azure', calls };
}

export function azureCall(groupId: string, name: string) {
  const found = AZURE_GROUPS.find((g) => g.id === groupId)?.calls.find((x) => x.name === name);
  if (!found) throw new Error(`unknown Azure call ${groupId}/${name}`);
  return found;
}
