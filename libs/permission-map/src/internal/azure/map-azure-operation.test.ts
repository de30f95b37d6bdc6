import { describe, expect, it } from 'vitest';
import {
  azurePermissionVisibility,
  mapAzureOperation,
  normalizeAzurePermission,
} from './map-azure-operation.js';

describe('mapAzureOperation', () => {
  // Azure RBAC, "Azure resource provider operations": the operation name is the permission.
  it('maps a write to its permission', () => {
    const mapping = mapAzureOperation('Microsoft.Compute/virtualMachines/write');
    expect(mapping.status).toBe('mapped');
    expect(mapping.permissions).toEqual(['microsoft.compute/virtualmachines/write']);
    expect(mapping.source).toBe('microsoft.compute');
    expect(mapping.operation).toBe('Microsoft.Compute/virtualMachines/write');
    expect(mapping.visibility).toBe('logged');
    expect(mapping.category).toBe('management');
  });

  it('keeps the action suffix', () => {
    const mapping = mapAzureOperation('Microsoft.Compute/virtualMachines/start/action');
    expect(mapping.permissions).toEqual(['microsoft.compute/virtualmachines/start/action']);
  });

  it('reads the REST API value form', () => {
    const mapping = mapAzureOperation({
      value: 'Microsoft.Authorization/roleAssignments/write',
      localizedValue: 'Create role assignment',
    });
    expect(mapping.permissions).toEqual(['microsoft.authorization/roleassignments/write']);
  });

  it('compares names without case', () => {
    expect(normalizeAzurePermission(' MICROSOFT.Storage/storageAccounts/Delete ')).toBe(
      normalizeAzurePermission('microsoft.storage/storageaccounts/delete'),
    );
  });

  // Azure Monitor, "Azure Activity Log": GET requests are not recorded.
  it('marks reads as not logged', () => {
    expect(mapAzureOperation('Microsoft.Compute/virtualMachines/read').visibility).toBe(
      'not-logged',
    );
  });

  // Azure RBAC, "Azure permissions": blob read is a DataAction, logged in resource logs.
  it('marks data actions as resource-log events', () => {
    const mapping = mapAzureOperation(
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
    );
    expect(mapping.visibility).toBe('data-event');
    expect(mapping.category).toBe('data');
    expect(azurePermissionVisibility('Microsoft.KeyVault/vaults/secrets/getSecret/action')).toBe(
      'data-event',
    );
    expect(azurePermissionVisibility('Microsoft.Custom/things/read', { dataAction: true })).toBe(
      'data-event',
    );
  });

  it('returns no permission for health events', () => {
    const mapping = mapAzureOperation('Microsoft.ResourceHealth/healthevent/Activated/action', {
      category: 'ResourceHealth',
    });
    expect(mapping.status).toBe('no-permission');
    expect(mapping.category).toBe('service-event');
  });

  it('reports malformed names unmapped', () => {
    expect(mapAzureOperation('').status).toBe('unmapped');
    expect(mapAzureOperation(undefined).reason).toContain('missing');
    const bad = mapAzureOperation('Delete Virtual Machine');
    expect(bad.status).toBe('unmapped');
    expect(bad.reason).toContain('Delete Virtual Machine');
  });

  it('maps a repeated operation alike', () => {
    const first = mapAzureOperation('Microsoft.Compute/virtualMachines/write');
    const second = mapAzureOperation('Microsoft.Compute/virtualMachines/write');
    const health = mapAzureOperation('Microsoft.Compute/virtualMachines/write', {
      category: 'ServiceHealth',
    });
    expect(second).toEqual(first);
    expect(second.status).toBe('mapped');
    expect(health.status).toBe('no-permission');
    expect(Object.isFrozen(second.permissions)).toBe(true);
  });
});
