import { describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, baseline, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';

const etl = { id: 'arn:aws:iam::111122223333:role/etl', type: 'role' as const, name: 'etl' };
const history = baseline(etl, ['s3:GetObject'], { days: 10, perDay: 40 });

describe('volume spike detector', () => {
  it('flags 400 calls in one hour', () => {
    const start = T0 + 11 * DAY + 3 * HOUR;
    const burst = Array.from({ length: 400 }, (_, i) =>
      makeEvent({
        principal: etl,
        event_time: start + i * 5000,
        action: { permissions: ['s3:GetObject'] },
      }),
    );
    const alerts = runScenario([...history, ...burst]);
    expect(ruleIds(alerts)).toEqual(['volume-spike']);
    expect(alerts[0]?.details.hour_count).toBe('300');
  });

  it('ignores the steady baseline', () => {
    expect(runScenario(history)).toEqual([]);
  });

  it('ignores late events of past hours', () => {
    const late = Array.from({ length: 400 }, (_, i) =>
      makeEvent({
        principal: etl,
        event_time: T0 + 2 * DAY + 3 * HOUR + i * 5000,
        action: { permissions: ['s3:GetObject'] },
      }),
    );
    expect(runScenario([...history, ...late])).toEqual([]);
  });
});
