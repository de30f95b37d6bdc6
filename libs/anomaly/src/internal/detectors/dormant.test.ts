import { describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';

const sa = {
  id: 'serviceAccount:batch@proj.iam.gserviceaccount.com',
  type: 'service_account' as const,
  name: 'batch',
};

describe('dormant identity detector', () => {
  it('flags activity after 45 silent days', () => {
    const alerts = runScenario([
      makeEvent({
        provider: 'gcp',
        principal: sa,
        event_time: T0,
        action: { permissions: ['storage.objects.get'] },
      }),
      makeEvent({
        provider: 'gcp',
        principal: sa,
        event_time: T0 + 45 * DAY,
        action: { permissions: ['storage.objects.get'] },
      }),
      makeEvent({
        provider: 'gcp',
        principal: sa,
        event_time: T0 + 45 * DAY + HOUR / 2,
        action: { permissions: ['storage.objects.get'] },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['dormant-identity-active']);
    expect(alerts[0]?.details.silent_days).toBe('45');
    expect(alerts[0]?.event_count).toBe(1);
  });

  it('ignores a 10 day gap', () => {
    const alerts = runScenario([
      makeEvent({ principal: sa, event_time: T0 }),
      makeEvent({ principal: sa, event_time: T0 + 10 * DAY }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('ignores a periodic identity returning', () => {
    // A quarterly job: silent 90 days twice. The first return alerts, the second does not;
    // a return after 300 silent days alerts again.
    const times = [0, 90, 180, 480].map((day) => T0 + day * DAY);
    const alerts = runScenario(times.map((time) => makeEvent({ principal: sa, event_time: time })));
    expect(alerts.map((alert) => alert.details.silent_days)).toEqual(['90', '300']);
  });
});
