import type { NormalizedEvent } from '@ciem/events';
import { describe, expect, it } from 'vitest';
import { UsageStore } from '../index.js';

function event(overrides: Partial<NormalizedEvent> & { permissions?: string[] }): NormalizedEvent {
  const { permissions, ...rest } = overrides;
  return {
    schema_version: 1,
    event_id: 'e1',
    provider: 'aws',
    event_time: Date.UTC(2024, 4, 1),
    ingest_time: Date.UTC(2024, 4, 2),
    log_type: null,
    account_id: '111122223333',
    tenant_id: null,
    region: 'us-east-1',
    principal: { id: 'arn:aws:iam::111122223333:user/alice', type: 'user', name: 'alice' },
    session: null,
    actor: null,
    access_key_id: null,
    mfa: null,
    action: {
      service: 's3',
      operation: 'ListObjects',
      permissions: permissions ?? ['s3:ListBucket'],
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: true,
    category: 'management',
    resources: [],
    outcome: 'success',
    error_code: null,
    error_message: null,
    source_ip: null,
    user_agent: null,
    via_service: null,
    vpc_endpoint: null,
    phase: null,
    correlation_id: null,
    raw_ref: 'test:1',
    ...rest,
  };
}

describe('UsageStore', () => {
  it('counts first and last use', () => {
    const store = new UsageStore();
    store.record(event({ event_time: Date.UTC(2024, 4, 3) }));
    store.record(event({ event_time: Date.UTC(2024, 4, 1) }));
    store.record(event({ event_time: Date.UTC(2024, 4, 2) }));
    const [row] = store.permissionUsage();
    expect(row?.allowed_count).toBe(3);
    expect(row?.first_seen).toBe(Date.UTC(2024, 4, 1));
    expect(row?.last_seen).toBe(Date.UTC(2024, 4, 3));
  });

  it('counts an Azure operation once across phases', () => {
    const store = new UsageStore();
    const azure = {
      provider: 'azure' as const,
      account_id: 'sub-1',
      principal: { id: 'oid-1', type: 'user' as const, name: null },
      correlation_id: 'corr-1',
      permissions: ['Microsoft.Compute/virtualMachines/write'],
    };
    store.record(event({ ...azure, phase: 'started' }));
    store.record(event({ ...azure, phase: 'accepted' }));
    store.record(event({ ...azure, phase: 'succeeded' }));
    const rows = store.permissionUsage();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.allowed_count).toBe(1);
    expect(store.principalActivity()[0]?.event_count).toBe(3);
  });

  it('keeps denied calls apart from use', () => {
    const store = new UsageStore();
    store.record(event({ outcome: 'denied', permissions: ['iam:CreateUser'] }));
    const [row] = store.permissionUsage();
    expect(row?.denied_count).toBe(1);
    expect(row?.allowed_count).toBe(0);
    expect(store.usedPermissionCount()).toBe(0);
  });

  it('caps resources kept per permission', () => {
    const store = new UsageStore({ maxResourcesPerPermission: 2 });
    for (const bucket of ['a', 'b', 'c', 'a']) {
      store.record(event({ resources: [{ id: `arn:aws:s3:::${bucket}`, type: null }] }));
    }
    expect(store.permissionUsage()[0]?.resources).toEqual(['arn:aws:s3:::a', 'arn:aws:s3:::b']);
  });

  it('counts unmapped calls per principal', () => {
    const store = new UsageStore();
    store.record(
      event({
        action: {
          service: 'example',
          operation: 'DoThing',
          permissions: [],
          mapping: 'unmapped',
          visibility: 'logged',
        },
      }),
    );
    expect(store.principalActivity()[0]?.unmapped_count).toBe(1);
    expect(store.permissionUsage()).toHaveLength(0);
  });
});
