import { describe, expect, it } from 'vitest';
import {
  normalizeResourceId,
  resourceTypeOf,
  subscriptionOf,
  subscriptionOfNormalized,
} from './resource-id.js';

const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';

describe('subscriptionOf resource ids', () => {
  it('reads an upper-cased id', () => {
    expect(subscriptionOf(`/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/RG`)).toBe(
      SUBSCRIPTION,
    );
  });

  it('reads a scope without leading slash', () => {
    expect(subscriptionOf(`subscriptions/${SUBSCRIPTION}`)).toBe(SUBSCRIPTION);
  });

  it('rejects other and short prefixes', () => {
    expect(subscriptionOf('/providers/Microsoft.Management/managementGroups/mg')).toBeUndefined();
    expect(subscriptionOf('/subscription')).toBeUndefined();
    expect(subscriptionOf('/subscriptions/')).toBeUndefined();
    // U+0130 lower-cases into two characters, so it never spells the prefix.
    expect(subscriptionOf(`/SUBSCR\u0130PTIONS/${SUBSCRIPTION}`)).toBeUndefined();
  });
});

describe('subscriptionOfNormalized', () => {
  it('agrees with subscriptionOf on normalized ids', () => {
    const ids = [
      `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/RG`,
      ` subscriptions/${SUBSCRIPTION}/ `,
      `/subscriptions/${SUBSCRIPTION}`,
      '/providers/Microsoft.Management/managementGroups/mg',
      '/subscriptions/',
      '/subscription',
      `/SUBSCR\u0130PTIONS/${SUBSCRIPTION}`,
      '',
    ];
    for (const id of ids) {
      const normalized = normalizeResourceId(id);
      expect(subscriptionOfNormalized(normalized)).toBe(subscriptionOf(id));
    }
  });
});

describe('resourceTypeOf resource ids', () => {
  it('reads a single-type resource id', () => {
    expect(
      resourceTypeOf(
        `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      ),
    ).toBe('microsoft.compute/virtualmachines');
  });

  it('skips empty segments', () => {
    expect(
      resourceTypeOf(
        `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute//virtualMachines/vm`,
      ),
    ).toBe('microsoft.compute/virtualmachines');
  });

  it('reads ids without a name', () => {
    expect(
      resourceTypeOf(`/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachines`),
    ).toBe('microsoft.compute/virtualmachines');
    expect(resourceTypeOf(`/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute`)).toBe(
      'microsoft.compute',
    );
  });

  it('keeps the types after the namespace', () => {
    expect(
      resourceTypeOf(
        `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Sql/servers/s1/databases/d1/`,
      ),
    ).toBe('microsoft.sql/servers/databases');
  });

  it('names groups and subscriptions', () => {
    expect(resourceTypeOf(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg`)).toBe(
      'microsoft.resources/resourcegroups',
    );
    expect(resourceTypeOf(`/subscriptions/${SUBSCRIPTION}`)).toBe(
      'microsoft.resources/subscriptions',
    );
  });
});
