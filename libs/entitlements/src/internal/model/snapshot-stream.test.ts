import { describe, expect, it } from 'vitest';
import type { CompactPrincipalEntitlements } from './compact-entitlements.js';
import { countGrants, effectivePermissionNames } from './compact-entitlements.js';
import type { EntitlementSnapshot } from './entitlements.js';
import { PermissionSetCache, PermissionTable } from './permission-set.js';
import { streamSnapshotJson } from './snapshot-stream.js';

function compactPrincipal(cache: PermissionSetCache, id: string): CompactPrincipalEntitlements {
  const set = cache.intern('s3:Get*', () =>
    ['s3:GetObject', 's3:GetBucketPolicy'].map((name) => cache.table.intern(name)),
  );
  return {
    provider: 'aws',
    account_id: '111122223333',
    principal_id: id,
    principal_type: 'role',
    principal_name: id.split('/').pop() ?? id,
    tags: { team: 'data' },
    grant_groups: [
      { permissions: set, resource: 'arn:aws:s3:::logs/*', conditional: false, via: 'inline:read' },
      {
        permissions: set,
        resource: '*',
        conditional: true,
        conditions: '{"Bool":{"aws:MultiFactorAuthPresent":"true"}}',
        via: 'inline:read',
      },
    ],
    findings: [],
  };
}

describe('streamSnapshotJson', () => {
  it('writes a parseable snapshot', async () => {
    const cache = new PermissionSetCache(new PermissionTable());
    const principals = [
      compactPrincipal(cache, 'arn:aws:iam::111122223333:role/a'),
      compactPrincipal(cache, 'arn:aws:iam::111122223333:role/b'),
    ];
    let text = '';
    const header = { taken_at: 1_700_000_000_000, provider: 'aws' as const, account_id: '1' };
    for await (const piece of streamSnapshotJson(header, principals)) text += piece;

    const snapshot = JSON.parse(text) as EntitlementSnapshot;
    expect(snapshot.taken_at).toBe(1_700_000_000_000);
    expect(snapshot.principals).toHaveLength(2);
    const first = snapshot.principals[0];
    expect(first?.principal_id).toBe('arn:aws:iam::111122223333:role/a');
    expect(first?.grants).toHaveLength(4);
    expect(first?.grants).toContainEqual({
      permission: 's3:GetObject',
      resource: '*',
      conditional: true,
      conditions: '{"Bool":{"aws:MultiFactorAuthPresent":"true"}}',
      via: 'inline:read',
    });
    expect(first?.tags).toEqual({ team: 'data' });
  });

  it('writes an empty principal list', async () => {
    let text = '';
    const header = { taken_at: 1, provider: 'gcp' as const, account_id: 'p' };
    for await (const piece of streamSnapshotJson(header, [])) text += piece;
    expect(JSON.parse(text)).toEqual({
      taken_at: 1,
      provider: 'gcp',
      account_id: 'p',
      principals: [],
    });
  });
});

describe('compact principal helpers', () => {
  it('count and list shared grants', () => {
    const cache = new PermissionSetCache(new PermissionTable());
    const principal = compactPrincipal(cache, 'arn:aws:iam::1:role/a');
    expect(countGrants(principal)).toBe(4);
    expect(effectivePermissionNames(principal)).toEqual(['s3:GetBucketPolicy', 's3:GetObject']);
    expect(effectivePermissionNames(principal, { unconditionalOnly: true })).toHaveLength(2);
    expect(
      effectivePermissionNames(principal, {
        resource: (r) => r !== '*' && r !== 'arn:aws:s3:::logs/*',
      }),
    ).toEqual([]);
  });
});
