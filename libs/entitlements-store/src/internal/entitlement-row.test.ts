import type { PrincipalEntitlements } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { toEntitlementRows } from './entitlement-row.js';
import { encodeEntitlementMessage } from './snapshot-sinks.js';

const principal: PrincipalEntitlements = {
  provider: 'azure',
  account_id: 'sub-1',
  principal_id: 'cccccccc-0000-0000-0000-000000000001',
  principal_type: 'user',
  principal_name: 'alice@contoso.example',
  tags: {},
  grants: [
    {
      permission: 'microsoft.storage/storageaccounts/blobservices/containers/blobs/read',
      resource: '/subscriptions/sub-1',
      conditional: true,
      conditions: '{"condition":"x"}',
      via: 'assignment-1',
      data_action: true,
    },
  ],
  findings: [],
};
const header = { taken_at: 1_741_064_767_123, provider: 'azure' as const, account_id: 'tenant' };

describe('toEntitlementRows', () => {
  it('maps a grant to a row', () => {
    expect([...toEntitlementRows(header, principal, 1_741_064_800_999)]).toEqual([
      {
        provider: 'azure',
        account_id: 'sub-1',
        taken_at_ms: 1_741_064_767_123,
        snapshot_time: 1_741_064_767,
        principal_id: 'cccccccc-0000-0000-0000-000000000001',
        principal_type: 'user',
        principal_name: 'alice@contoso.example',
        admin: 0,
        permission: 'microsoft.storage/storageaccounts/blobservices/containers/blobs/read',
        resource: '/subscriptions/sub-1',
        conditional: 1,
        conditions: '{"condition":"x"}',
        via: 'assignment-1',
        data_action: 1,
        written_at: 1_741_064_800,
      },
    ]);
  });
});

describe('encodeEntitlementMessage', () => {
  it('keys by principal and adds taken_at', () => {
    const message = encodeEntitlementMessage(header, principal);
    expect(message.key).toBe(principal.principal_id);
    expect(JSON.parse(String(message.value))).toEqual({ taken_at: header.taken_at, ...principal });
    expect(message.headers).toEqual({
      provider: 'azure',
      account_id: 'tenant',
      taken_at: '1741064767123',
    });
  });
});
