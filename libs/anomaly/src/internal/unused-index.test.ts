import { describe, expect, it } from 'vitest';
import { createAnomalyEngine } from './engine.js';
import { processEvents } from './process-events.js';
import { T0, makeEvent } from './testing/event-factory.js';
import { createUnusedPermissionIndex } from './unused-index.js';

const carol = 'arn:aws:iam::111122223333:role/carol';

describe('createUnusedPermissionIndex', () => {
  it('keeps only high-risk classes', () => {
    const index = createUnusedPermissionIndex();
    const kept = index.replace([
      {
        principalId: carol,
        unused: [
          { permission: 's3:DeleteBucket', risk: 'write' },
          { permission: 'iam:PutRolePolicy', risk: 'escalation' },
          { permission: 's3:GetObject', risk: 'read' },
        ],
      },
    ]);
    expect(kept).toBe(2);
    expect(index.lookup(carol, 's3:deletebucket', T0)).toBe(true);
    expect(index.lookup(carol, 's3:GetObject', T0)).toBe(false);
    expect(index.lookup('arn:aws:iam::111122223333:role/other', 's3:DeleteBucket', T0)).toBe(false);
  });

  it('drops entries on replace', () => {
    const index = createUnusedPermissionIndex();
    index.replace([
      { principalId: carol, unused: [{ permission: 's3:DeleteBucket', risk: 'write' }] },
    ]);
    index.replace([]);
    expect(index.lookup(carol, 's3:DeleteBucket', T0)).toBe(false);
  });

  it('ignores uses before the window end', () => {
    const index = createUnusedPermissionIndex();
    index.replace([
      {
        principalId: carol,
        unused: [{ permission: 's3:DeleteBucket', risk: 'write' }],
        windowEnd: T0,
      },
    ]);
    // A replayed or backfilled event from before the analysis does not contradict it.
    expect(index.lookup(carol, 's3:DeleteBucket', T0 - 1)).toBe(false);
    expect(index.lookup(carol, 's3:DeleteBucket', T0)).toBe(true);
  });

  it('alerts once on an unused DeleteBucket', () => {
    const index = createUnusedPermissionIndex();
    index.replace([
      { principalId: carol, unused: [{ permission: 's3:DeleteBucket', risk: 'write' }] },
    ]);
    const engine = createAnomalyEngine({ isMarkedUnused: index.lookup });
    const use = (minute: number) =>
      makeEvent({
        principal: { id: carol, type: 'role', name: 'carol' },
        event_time: T0 + minute * 60_000,
        read_only: false,
        action: { service: 's3', operation: 'DeleteBucket', permissions: ['s3:DeleteBucket'] },
      });
    const alerts = processEvents(engine, [use(0), use(5)]);
    expect(alerts.map((alert) => alert.rule_id)).toEqual(['unused-high-risk-permission']);
    expect(alerts[0]?.event_count).toBe(1);
    expect(alerts[0]?.details.permission).toBe('s3:DeleteBucket');
  });
});
