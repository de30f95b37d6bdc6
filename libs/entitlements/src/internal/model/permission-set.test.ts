import { describe, expect, it } from 'vitest';
import { PermissionSetCache, PermissionTable } from './permission-set.js';

function names(ids: Iterable<number>, table: PermissionTable): string[] {
  return [...ids].map((id) => table.nameOf(id)).sort();
}

describe('PermissionSetCache', () => {
  it('interns equal keys once', () => {
    const cache = new PermissionSetCache(new PermissionTable());
    let expansions = 0;
    const expand = () => {
      expansions += 1;
      return ['s3:GetObject', 's3:PutObject'].map((name) => cache.table.intern(name));
    };
    const first = cache.intern('s3:*Object', expand);
    const second = cache.intern('s3:*Object', expand);
    expect(second).toBe(first);
    expect(first.size).toBe(2);
    expect(second.size).toBe(2);
    expect(expansions).toBe(1);
  });

  it('expands lazily on first read', () => {
    const cache = new PermissionSetCache(new PermissionTable());
    let expansions = 0;
    const set = cache.intern('lazy', () => {
      expansions += 1;
      return [cache.table.intern('iam:GetUser')];
    });
    expect(expansions).toBe(0);
    expect([...set.names()]).toEqual(['iam:GetUser']);
    expect(expansions).toBe(1);
  });

  it('computes difference and intersection once', () => {
    const table = new PermissionTable();
    const cache = new PermissionSetCache(table);
    const ids = (list: string[]) => () => list.map((name) => table.intern(name));
    const left = cache.intern('left', ids(['a:One', 'a:Two', 'a:Three']));
    const right = cache.intern('right', ids(['a:Two', 'a:Four']));

    const difference = cache.difference(left, right);
    expect(names(difference.ids(), table)).toEqual(['a:One', 'a:Three']);
    expect(cache.difference(left, right)).toBe(difference);

    const intersection = cache.intersection(left, right);
    expect(names(intersection.ids(), table)).toEqual(['a:Two']);
    expect(cache.intersection(right, left)).toBe(intersection);
    expect(cache.intersection(left, cache.empty).size).toBe(0);
  });

  it('answers membership by binary search', () => {
    const table = new PermissionTable();
    const cache = new PermissionSetCache(table);
    const set = cache.intern('x', () => [5, 1, 9, 1].map((n) => table.intern(`s:A${n}`)));
    expect(set.size).toBe(3);
    expect(set.has(table.intern('s:A9'))).toBe(true);
    expect(set.has(table.intern('s:A7'))).toBe(false);
  });
});
