import { describe, expect, it } from 'vitest';
import { azureScopeCovers, azureScopeLevel } from './azure-scope.js';

const SUB = '/subscriptions/11111111-1111-1111-1111-111111111111';
const VM = `${SUB}/resourceGroups/app-rg/providers/Microsoft.Compute/virtualMachines/vm1`;

describe('azureScopeCovers', () => {
  it('covers resources below the scope', () => {
    expect(azureScopeCovers(SUB, VM)).toBe(true);
    expect(azureScopeCovers(`${SUB}/resourceGroups/app-rg`, VM)).toBe(true);
    expect(azureScopeCovers(VM, VM)).toBe(true);
    expect(azureScopeCovers('/', VM)).toBe(true);
  });

  it('ignores case and trailing slashes', () => {
    expect(azureScopeCovers(`${SUB.toUpperCase()}/RESOURCEGROUPS/APP-RG/`, VM)).toBe(true);
  });

  it('rejects siblings and name prefixes', () => {
    expect(azureScopeCovers(`${SUB}/resourceGroups/app`, VM)).toBe(false);
    expect(azureScopeCovers(`${SUB}/resourceGroups/other-rg`, VM)).toBe(false);
    expect(azureScopeCovers(VM, SUB)).toBe(false);
  });

  it('needs the hierarchy for management groups', () => {
    const group = '/providers/Microsoft.Management/managementGroups/platform';
    expect(azureScopeCovers(group, VM)).toBe(false);
    const ancestors = (subscription: string) =>
      subscription === '11111111-1111-1111-1111-111111111111' ? ['Platform', 'root-mg'] : [];
    expect(azureScopeCovers(group, VM, ancestors)).toBe(true);
  });
});

describe('azureScopeLevel', () => {
  it('names each level', () => {
    expect(azureScopeLevel('/')).toBe('root');
    expect(azureScopeLevel('/providers/Microsoft.Management/managementGroups/x')).toBe(
      'management-group',
    );
    expect(azureScopeLevel(SUB)).toBe('subscription');
    expect(azureScopeLevel(`${SUB}/resourceGroups/app-rg`)).toBe('resource-group');
    expect(azureScopeLevel(VM)).toBe('resource');
  });
});
