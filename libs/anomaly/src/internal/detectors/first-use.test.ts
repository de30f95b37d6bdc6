import { describe, expect, it } from 'vitest';
import { DAY, MINUTE, T0, baseline, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';

const dev = { id: 'arn:aws:iam::111122223333:user/dev', type: 'user' as const, name: 'dev' };
const history = baseline(dev, ['s3:GetObject', 's3:PutObject', 'ec2:DescribeInstances'], {
  days: 10,
});
const after = T0 + 11 * DAY;

describe('first use detector', () => {
  it('flags a first write after warm-up', () => {
    const alerts = runScenario([
      ...history,
      makeEvent({
        principal: dev,
        event_time: after,
        action: {
          service: 'ec2',
          operation: 'TerminateInstances',
          permissions: ['ec2:TerminateInstances'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['first-use-of-permission']);
    expect(alerts[0]?.severity).toBe('medium');
  });

  it('ignores a first read after warm-up', () => {
    const alerts = runScenario([
      ...history,
      makeEvent({
        principal: dev,
        event_time: after,
        action: { permissions: ['rds:DescribeDBInstances'] },
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('ignores first writes during warm-up', () => {
    const early = baseline(dev, ['s3:GetObject'], { days: 3 });
    const alerts = runScenario([
      ...early,
      makeEvent({
        principal: dev,
        event_time: T0 + 3 * DAY,
        action: { permissions: ['ec2:TerminateInstances'] },
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('aggregates first uses in one window', () => {
    const alerts = runScenario([
      ...history,
      makeEvent({
        principal: dev,
        event_time: after,
        action: { permissions: ['ec2:TerminateInstances'] },
      }),
      makeEvent({
        principal: dev,
        event_time: after + MINUTE,
        action: { permissions: ['ec2:RunInstances'] },
      }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details.permission).toBe('ec2:TerminateInstances,ec2:RunInstances');
  });

  it('weighs permission management high', () => {
    const alerts = runScenario([
      ...history,
      makeEvent({
        principal: dev,
        event_time: after,
        action: { permissions: ['s3:PutBucketPolicy'] },
      }),
    ]);
    expect(alerts[0]?.severity).toBe('high');
  });
});
