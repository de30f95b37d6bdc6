import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module without type declarations.
import { isAllowed, licenseOf } from './license-policy.mjs';

describe('license policy', () => {
  it('allows permissive licenses', () => {
    expect(isAllowed('MIT')).toBe(true);
    expect(isAllowed('(MIT OR Apache-2.0)')).toBe(true);
  });

  it('rejects copyleft licenses', () => {
    expect(isAllowed('AGPL-3.0-only')).toBe(false);
    expect(isAllowed('GPL-2.0')).toBe(false);
    expect(isAllowed('SSPL-1.0')).toBe(false);
    expect(isAllowed('MIT AND GPL-3.0')).toBe(false);
  });

  it('accepts a copyleft alternative offered beside a permissive one', () => {
    expect(isAllowed('(GPL-3.0 OR MIT)')).toBe(true);
  });

  it('reads old-style license fields', () => {
    expect(licenseOf({ license: { type: 'BSD-3-Clause' } })).toBe('BSD-3-Clause');
    expect(licenseOf({ licenses: [{ type: 'MIT' }] })).toBe('MIT');
    expect(licenseOf({})).toBeUndefined();
  });
});
