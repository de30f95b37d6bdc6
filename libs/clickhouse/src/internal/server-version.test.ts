import { DependencyError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { isVersionAtLeast, parseServerVersion } from './server-version.js';

describe('parseServerVersion', () => {
  it('parses a three-part version', () => {
    expect(parseServerVersion('18.16.1')).toEqual({
      major: 18,
      minor: 16,
      patch: 1,
      text: '18.16.1',
    });
  });

  it('parses a four-part version', () => {
    expect(parseServerVersion('24.8.4.13')).toMatchObject({ major: 24, minor: 8, patch: 4 });
  });

  it('rejects text without a version', () => {
    expect(() => parseServerVersion('unknown')).toThrow(DependencyError);
  });
});

describe('isVersionAtLeast', () => {
  const old = parseServerVersion('18.16.1');
  const modern = parseServerVersion('24.8.4.13');

  it('compares major and minor', () => {
    expect(isVersionAtLeast(old, 19, 3)).toBe(false);
    expect(isVersionAtLeast(modern, 19, 3)).toBe(true);
    expect(isVersionAtLeast(old, 18, 16)).toBe(true);
    expect(isVersionAtLeast(old, 18, 17)).toBe(false);
  });
});
