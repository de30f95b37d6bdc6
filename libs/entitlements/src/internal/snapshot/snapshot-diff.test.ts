import { describe, expect, it } from 'vitest';
import type { Grant, PrincipalEntitlements } from '../model/entitlements.js';
import { diffSnapshots } from './snapshot-diff.js';

function grant(permission: string, resource = '/subscriptions/s'): Grant {
  return { permission, resource, conditional: false, via: 'assignment-1' };
}

function principal(id: string, grants: Grant[]): PrincipalEntitlements {
  return {
    provider: 'azure',
    account_id: 's',
    principal_id: id,
    principal_type: 'user',
    principal_name: id,
    tags: {},
    grants,
    findings: [],
  };
}

describe('diffSnapshots', () => {
  const before = {
    principals: [
      principal('alice', [grant('a/read'), grant('a/write')]),
      principal('bob', [grant('b/read')]),
      principal('carol', [grant('c/read')]),
    ],
  };
  const after = {
    principals: [
      principal('alice', [grant('a/read'), grant('a/delete')]),
      principal('carol', [grant('c/read')]),
      principal('dave', [grant('d/read')]),
    ],
  };
  const diff = diffSnapshots(before, after);

  it('lists added and removed grants', () => {
    const alice = diff.principals.find((entry) => entry.principal_id === 'alice');
    expect(alice?.change).toBe('changed');
    expect(alice?.added_grants.map((entry) => entry.permission)).toEqual(['a/delete']);
    expect(alice?.removed_grants.map((entry) => entry.permission)).toEqual(['a/write']);
  });

  it('lists added and removed principals', () => {
    expect(diff.principals.map((entry) => [entry.principal_id, entry.change])).toEqual([
      ['alice', 'changed'],
      ['bob', 'removed'],
      ['dave', 'added'],
    ]);
    expect(diff.added_principals).toBe(1);
    expect(diff.removed_principals).toBe(1);
  });

  it('counts grants across principals', () => {
    expect(diff.added_grants).toBe(2);
    expect(diff.removed_grants).toBe(2);
  });

  it('treats a changed resource as new', () => {
    const moved = diffSnapshots(
      { principals: [principal('alice', [grant('a/read', '/subscriptions/s')])] },
      { principals: [principal('alice', [grant('a/read', '/subscriptions/t')])] },
    );
    expect(moved.added_grants).toBe(1);
    expect(moved.removed_grants).toBe(1);
  });
});
