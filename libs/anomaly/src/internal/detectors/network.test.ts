import { describe, expect, it } from 'vitest';
import type { GeoLookup } from '../types.js';
import { DAY, MINUTE, T0, baseline, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';
import { distanceKm } from './network.js';

const bob = { id: 'arn:aws:iam::111122223333:user/bob', type: 'user' as const, name: 'bob' };
const history = baseline(bob, ['s3:GetObject', 'ec2:DescribeInstances'], { days: 10 });
const after = T0 + 12 * DAY;

/** Documentation ranges placed on two continents for the tests. */
const geo: GeoLookup = (ip) => {
  if (ip.startsWith('203.0.113.')) return { country: 'DE', latitude: 51.2, longitude: 10.4 };
  if (ip.startsWith('198.51.100.')) return { country: 'AU', latitude: -25.3, longitude: 133.8 };
  return undefined;
};

describe('network detector', () => {
  it('flags a new /24 after warm-up', () => {
    const alerts = runScenario([
      ...history,
      makeEvent({ principal: bob, event_time: after, source_ip: '192.0.2.44' }),
    ]);
    expect(ruleIds(alerts)).toEqual(['new-source-network']);
    expect(alerts[0]?.source_ips).toEqual(['192.0.2.44']);
  });

  it('ignores another address in the same /24', () => {
    const alerts = runScenario([
      ...history,
      makeEvent({ principal: bob, event_time: after, source_ip: '203.0.113.99' }),
    ]);
    expect(alerts).toEqual([]);
  });

  // RFC 4291, section 2.5.5.2: ::ffff:a.b.c.d is the IPv4 address a.b.c.d written as IPv6,
  // as dual-stack servers log IPv4 callers. Such callers keep their own /24.
  const mappedHistory = history.map((event) => ({ ...event, source_ip: '::ffff:203.0.113.10' }));

  it('flags a new IPv4-mapped /24', () => {
    const alerts = runScenario([
      ...mappedHistory,
      makeEvent({ principal: bob, event_time: after, source_ip: '::ffff:192.0.2.44' }),
    ]);
    expect(ruleIds(alerts)).toEqual(['new-source-network']);
  });

  it('matches IPv4-mapped and plain IPv4 callers', () => {
    const alerts = runScenario([
      ...mappedHistory,
      makeEvent({ principal: bob, event_time: after, source_ip: '203.0.113.99' }),
      makeEvent({ principal: bob, event_time: after + MINUTE, source_ip: '::ffff:cb00:7163' }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('ignores service names as source', () => {
    const alerts = runScenario([
      ...history,
      makeEvent({ principal: bob, event_time: after, source_ip: 'lambda.amazonaws.com' }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('treats IPv6 /48 as one network', () => {
    const v6 = baseline(bob, ['s3:GetObject'], { days: 10, sourceIp: '2001:db8:aa::1' });
    const same = runScenario([
      ...v6,
      makeEvent({ principal: bob, event_time: after, source_ip: '2001:db8:aa:ff::7' }),
    ]);
    const other = runScenario([
      ...v6,
      makeEvent({ principal: bob, event_time: after, source_ip: '2001:db8:bb::7' }),
    ]);
    expect(same).toEqual([]);
    expect(ruleIds(other)).toEqual(['new-source-network']);
  });

  it('flags a new country with a GeoIP port', () => {
    const alerts = runScenario(
      [...history, makeEvent({ principal: bob, event_time: after, source_ip: '198.51.100.5' })],
      { geo },
    );
    // The last baseline call was more than two days earlier, so the trip itself is possible.
    expect(ruleIds(alerts)).toEqual(['new-source-network']);
    expect(alerts[0]?.details.country).toBe('AU');
  });

  it('flags impossible travel within minutes', () => {
    const alerts = runScenario(
      [
        makeEvent({ principal: bob, event_time: T0, source_ip: '203.0.113.10' }),
        makeEvent({ principal: bob, event_time: T0 + 30 * MINUTE, source_ip: '198.51.100.5' }),
      ],
      { geo },
    );
    expect(ruleIds(alerts)).toEqual(['impossible-travel']);
  });

  it('accepts the same trip over two days', () => {
    const alerts = runScenario(
      [
        makeEvent({ principal: bob, event_time: T0, source_ip: '203.0.113.10' }),
        makeEvent({ principal: bob, event_time: T0 + 2 * DAY, source_ip: '198.51.100.5' }),
      ],
      { geo },
    );
    expect(alerts).toEqual([]);
  });

  it('ignores travel between nearby countries', () => {
    // Representative points of Germany and France are about 700 km apart: below the
    // minimum distance, because coarse locations cannot tell such trips apart.
    const near: GeoLookup = (ip) =>
      ip.startsWith('192.0.2.') ? { country: 'FR', latitude: 46.2, longitude: 2.2 } : geo(ip);
    const alerts = runScenario(
      [
        makeEvent({ principal: bob, event_time: T0, source_ip: '203.0.113.10' }),
        makeEvent({ principal: bob, event_time: T0 + 10 * MINUTE, source_ip: '192.0.2.7' }),
      ],
      { geo: near },
    );
    expect(alerts).toEqual([]);
  });

  it('reads travel thresholds from options', () => {
    const events = [
      makeEvent({ principal: bob, event_time: T0, source_ip: '203.0.113.10' }),
      makeEvent({ principal: bob, event_time: T0 + 12 * 60 * MINUTE, source_ip: '198.51.100.5' }),
    ];
    // About 15,700 km in 12 hours: 1,270 km/h after the 500 km tolerance.
    expect(ruleIds(runScenario(events, { geo }))).toEqual(['impossible-travel']);
    const faster = runScenario(events, { geo, thresholds: { maxTravelKmPerHour: 1500 } });
    expect(faster).toEqual([]);
  });

  it('flags one access key from five networks', () => {
    const events = ['192.0.2.1', '198.51.100.1', '203.0.113.1', '100.64.1.1', '100.64.2.1'].map(
      (ip, i) =>
        makeEvent({
          principal: bob,
          event_time: T0 + i * MINUTE,
          source_ip: ip,
          access_key_id: 'AKIAEXAMPLEKEY000001',
        }),
    );
    const alerts = runScenario(events);
    expect(ruleIds(alerts)).toEqual(['access-key-many-networks']);
    expect(alerts[0]?.event_count).toBe(2);
  });

  it('measures distance Berlin to Sydney', () => {
    // Berlin 52.52N 13.405E, Sydney 33.8688S 151.2093E: about 16,000 km.
    expect(Math.round(distanceKm(52.52, 13.405, -33.8688, 151.2093) / 100)).toBe(161);
  });
});
