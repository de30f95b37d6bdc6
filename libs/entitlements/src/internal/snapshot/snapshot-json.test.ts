import { describe, expect, it } from 'vitest';
import { PermissionSetCache, PermissionTable } from '../model/permission-set.js';
import { streamSnapshotJson } from '../model/snapshot-stream.js';
import { parseSnapshotJson } from './snapshot-json.js';

describe('parseSnapshotJson', () => {
  it('reads what streamSnapshotJson writes', async () => {
    const cache = new PermissionSetCache(new PermissionTable());
    const set = cache.intern('x', () => [cache.table.intern('storage.objects.get')]);
    let text = '';
    for await (const piece of streamSnapshotJson(
      { taken_at: 5, provider: 'gcp', account_id: 'p' },
      [
        {
          provider: 'gcp',
          account_id: 'p',
          principal_id: 'user:a@example.com',
          principal_type: 'user',
          principal_name: 'a@example.com',
          tags: {},
          grant_groups: [{ permissions: set, resource: '//r', conditional: false, via: 'v' }],
          findings: [],
        },
      ],
    )) {
      text += piece;
    }
    const [snapshot] = parseSnapshotJson(text, 'snapshot.json');
    expect(snapshot?.principals[0]?.grants).toEqual([
      { permission: 'storage.objects.get', resource: '//r', conditional: false, via: 'v' },
    ]);
  });

  it('names the invalid field', () => {
    const text = JSON.stringify({ taken_at: 1, provider: 'gcp', principals: [{ provider: 'x' }] });
    expect(() => parseSnapshotJson(text, 'old.json')).toThrow(
      /old\.json: field \$\.principals\[0\]\.provider is invalid/,
    );
  });
});
