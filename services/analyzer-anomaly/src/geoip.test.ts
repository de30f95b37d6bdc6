import { describe, expect, it } from 'vitest';
import { loadCountryLookup } from './geoip.js';

describe('loadCountryLookup', () => {
  it('resolves registry allocations', async () => {
    const lookup = await loadCountryLookup();
    // 1.0.0.0/24 is delegated by APNIC to Australia; 4.0.0.0/9 is ARIN space in the US.
    expect(lookup('1.0.0.1')?.country).toBe('AU');
    expect(lookup('4.2.2.2')?.country).toBe('US');
  });

  it('returns undefined for private space', async () => {
    const lookup = await loadCountryLookup();
    expect(lookup('10.1.2.3')).toBeUndefined();
    expect(lookup('not-an-ip')).toBeUndefined();
    expect(lookup('2001:db8::1')).toBeUndefined();
  });
});
