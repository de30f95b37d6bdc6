import type { Alert } from '@ciem/events';
import { describe, expect, it } from 'vitest';
import { createAnomalyEngine } from './engine.js';
import type { AnomalyCheckpoint } from './engine.js';
import type { AnomalyOptions } from './options.js';
import { DAY, HOUR, MINUTE, T0, baseline, makeEvent } from './testing/event-factory.js';

const carol = { id: 'arn:aws:iam::111122223333:user/carol', type: 'user' as const, name: 'carol' };
const stopLogging = (time: number, sourceIp = '203.0.113.10') =>
  makeEvent({
    principal: carol,
    event_time: time,
    source_ip: sourceIp,
    action: { operation: 'StopLogging', permissions: ['cloudtrail:StopLogging'] },
  });

function collect(options: AnomalyOptions, events: ReturnType<typeof makeEvent>[]): Alert[] {
  const engine = createAnomalyEngine(options);
  for (const event of events) engine.observe(event);
  return engine.drain();
}

describe('anomaly engine', () => {
  it('suppresses by rule and principal pattern', () => {
    const alerts = collect({ suppressions: [{ ruleId: 'defense-*', principal: '*:user/carol' }] }, [
      stopLogging(T0),
    ]);
    expect(alerts).toEqual([]);
  });

  it('suppresses by source CIDR', () => {
    const options = { suppressions: [{ sourceCidr: '198.51.100.0/24' }] };
    expect(collect(options, [stopLogging(T0, '198.51.100.20')])).toEqual([]);
    expect(collect(options, [stopLogging(T0, '203.0.113.10')])).toHaveLength(1);
  });

  it('suppresses by account', () => {
    expect(collect({ suppressions: [{ accountId: '111122223333' }] }, [stopLogging(T0)])).toEqual(
      [],
    );
  });

  it('suppresses by IPv6 source CIDR', () => {
    const options = { suppressions: [{ sourceCidr: '2001:db8:10::/48' }] };
    expect(collect(options, [stopLogging(T0, '2001:db8:10:4::20')])).toEqual([]);
    expect(collect(options, [stopLogging(T0, '2001:db8:11::20')])).toHaveLength(1);
    expect(collect(options, [stopLogging(T0, '198.51.100.20')])).toHaveLength(1);
  });

  it('matches IPv4-mapped IPv6 sources against IPv4 ranges', () => {
    const options = { suppressions: [{ sourceCidr: '198.51.100.0/24' }] };
    expect(collect(options, [stopLogging(T0, '::ffff:198.51.100.20')])).toEqual([]);
  });

  it('matches no range for a source that is no address', () => {
    const options = { suppressions: [{ sourceCidr: '0.0.0.0/0' }] };
    expect(collect(options, [stopLogging(T0, 'cloudtrail.amazonaws.com')])).toHaveLength(1);
  });

  it('rejects an invalid suppression CIDR', () => {
    for (const sourceCidr of [
      '2001:db8::/129',
      '203.0.113.0/33',
      '203.0.113.0/',
      'office',
      '10.0.0.0/8x',
    ]) {
      expect(() => createAnomalyEngine({ suppressions: [{ sourceCidr }] }), sourceCidr).toThrow(
        /CIDR/,
      );
    }
  });

  it('rejects a negative threshold', () => {
    expect(() => createAnomalyEngine({ thresholds: { warmupEvents: -1 } })).toThrow(/warmupEvents/);
  });

  it('opens a new alert per window', () => {
    const alerts = collect({}, [stopLogging(T0), stopLogging(T0 + 2 * HOUR)]);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]?.alert_id).not.toBe(alerts[1]?.alert_id);
  });

  it('emits an updated alert once per drain', () => {
    const engine = createAnomalyEngine({});
    engine.observe(stopLogging(T0));
    const first = engine.drain();
    engine.observe(stopLogging(T0 + MINUTE));
    engine.observe(stopLogging(T0 + 2 * MINUTE));
    const second = engine.drain();
    expect(first.map((a) => a.event_count)).toEqual([1]);
    expect(second.map((a) => a.event_count)).toEqual([3]);
    expect(second[0]?.alert_id).toBe(first[0]?.alert_id);
    expect(engine.drain()).toEqual([]);
  });

  it('rejects a malformed checkpoint', () => {
    expect(() => createAnomalyEngine({}, { version: 2 } as unknown as AnomalyCheckpoint)).toThrow(
      /checkpoint/,
    );
  });
});

describe('anomaly engine restart', () => {
  // Forty principals with two weeks of history, then a third week with one planted attack.
  const principals = Array.from({ length: 40 }, (_, i) => ({
    id: `arn:aws:iam::111122223333:user/u${i}`,
    type: 'user' as const,
    name: `u${i}`,
  }));
  const history = principals.flatMap((p) =>
    baseline(p, ['s3:GetObject', 's3:PutObject', 'ec2:DescribeInstances'], { days: 14 }),
  );
  history.sort((a, b) => a.event_time - b.event_time);
  const cut = T0 + 14 * DAY;
  const before = history.filter((e) => e.event_time < cut - 4 * DAY);
  const after = [
    ...history.filter((e) => e.event_time >= cut - 4 * DAY),
    makeEvent({
      principal: principals[3],
      event_time: cut + HOUR,
      action: { permissions: ['cloudtrail:StopLogging'] },
    }),
  ];

  function run(engine: ReturnType<typeof createAnomalyEngine>, events: typeof history): Alert[] {
    const out: Alert[] = [];
    for (const event of events) {
      engine.observe(event);
      out.push(...engine.drain());
    }
    return out;
  }

  it('raises no storm after restore', () => {
    const first = createAnomalyEngine({});
    expect(run(first, before)).toEqual([]);
    const saved = JSON.parse(JSON.stringify(first.checkpoint())) as AnomalyCheckpoint;
    const restarted = createAnomalyEngine({}, saved);
    const alerts = run(restarted, after);
    expect(alerts.map((a) => `${a.rule_id} ${a.principal_name}`)).toEqual([
      'defense-evasion-logging u3',
    ]);
  });

  it('matches an uninterrupted run', () => {
    const continuous = createAnomalyEngine({});
    run(continuous, before);
    const expected = run(continuous, after);
    const first = createAnomalyEngine({});
    run(first, before);
    const restarted = createAnomalyEngine(
      {},
      JSON.parse(JSON.stringify(first.checkpoint())) as AnomalyCheckpoint,
    );
    expect(run(restarted, after)).toEqual(expected);
  });

  it('keeps baselines so new networks still alert', () => {
    const first = createAnomalyEngine({});
    run(first, history);
    const restarted = createAnomalyEngine(
      {},
      JSON.parse(JSON.stringify(first.checkpoint())) as AnomalyCheckpoint,
    );
    const alerts = run(restarted, [
      makeEvent({ principal: principals[5], event_time: cut + DAY, source_ip: '192.0.2.7' }),
    ]);
    expect(alerts.map((a) => a.rule_id)).toEqual(['new-source-network']);
  });

  it('skips baselines of unknown principals', () => {
    // Azure records without a caller share the principal id "unknown": their novelty says
    // nothing, while a logging change among them still alerts.
    const unknown = { id: 'unknown', type: 'unknown' as const, name: null };
    const history = baseline(unknown, ['s3:GetObject'], { days: 10 });
    const alerts = collect({}, [
      ...history,
      makeEvent({
        principal: unknown,
        event_time: T0 + 11 * DAY,
        source_ip: '192.0.2.7',
        action: { operation: 'PutBucketPolicy', permissions: ['s3:PutBucketPolicy'] },
      }),
      makeEvent({
        principal: unknown,
        event_time: T0 + 11 * DAY + MINUTE,
        action: { operation: 'StopLogging', permissions: ['cloudtrail:StopLogging'] },
      }),
    ]);
    expect(alerts.map((a) => a.rule_id)).toEqual(['defense-evasion-logging']);
  });
});

describe('alert versions', () => {
  it('numbers the versions of an alert', () => {
    const engine = createAnomalyEngine();
    engine.observe(stopLogging(T0));
    const [first] = engine.drain();
    engine.observe(stopLogging(T0 + MINUTE));
    const [second] = engine.drain();
    expect(first?.details.alert_version).toBe('1');
    expect(second?.details.alert_version).toBe('2');
    expect(second?.alert_id).toBe(first?.alert_id);
  });

  it('starts a new window at version 1', () => {
    const engine = createAnomalyEngine();
    engine.observe(stopLogging(T0));
    engine.drain();
    engine.observe(stopLogging(T0 + 2 * HOUR));
    const [next] = engine.drain();
    expect(next?.details.alert_version).toBe('1');
  });

  it('counts versions on after a restart', () => {
    const first = createAnomalyEngine();
    first.observe(stopLogging(T0));
    first.drain();
    const saved = JSON.parse(JSON.stringify(first.checkpoint())) as AnomalyCheckpoint;
    const restarted = createAnomalyEngine({}, saved);
    restarted.observe(stopLogging(T0 + MINUTE));
    expect(restarted.drain()[0]?.details.alert_version).toBe('2');
  });
});

describe('repeated events', () => {
  // CloudTrail User Guide, "CloudTrail concepts", "Global service events": IAM, STS and other
  // global service events are delivered to every trail that includes global services, so
  // two trails read together give the same eventID twice. The S3 and SQS ingest and the
  // backfills also deliver at least once.
  it('counts a repeated event once', () => {
    const engine = createAnomalyEngine();
    const event = stopLogging(T0);
    engine.observe(event);
    engine.observe({ ...event });
    const [alert] = engine.drain();
    expect(alert?.event_count).toBe(1);
    expect(engine.stats().duplicates).toBe(1);
    expect(engine.stats().events).toBe(1);
  });

  it('does not make a burst from repeated denials', () => {
    // Ten denied calls over five permissions, each delivered twice: the denied-call burst
    // needs 20 distinct calls, so the copies must not complete it.
    const denied = Array.from({ length: 10 }, (_, i) =>
      makeEvent({
        event_time: T0 + 5 * DAY + i * 1000,
        outcome: 'denied',
        error_code: 'AccessDenied',
        action: {
          permissions: [`iam:List${['Users', 'Roles', 'Groups', 'Policies', 'Keys'][i % 5]}`],
        },
      }),
    );
    const twice = [...denied, ...denied.map((event) => ({ ...event }))];
    expect(collect({}, twice)).toEqual([]);
    // The same input without the repeat check makes a burst.
    expect(collect({ recentEventIds: 0 }, twice).map((alert) => alert.rule_id)).toEqual([
      'denied-call-burst',
    ]);
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const engine = createAnomalyEngine({ recentEventIds: 2 });
    const events = [stopLogging(T0), stopLogging(T0 + 1), stopLogging(T0 + 2)];
    for (const event of events) engine.observe(event);
    engine.observe({ ...events[0]! });
    engine.observe({ ...events[2]! });
    expect(engine.stats().events).toBe(4);
    expect(engine.stats().duplicates).toBe(1);
  });

  it('keeps every event with capacity 0', () => {
    const engine = createAnomalyEngine({ recentEventIds: 0 });
    const event = stopLogging(T0);
    engine.observe(event);
    engine.observe(event);
    expect(engine.stats().events).toBe(2);
  });

  it('rejects a negative capacity', () => {
    expect(() => createAnomalyEngine({ recentEventIds: -1 })).toThrow(/recentEventIds/);
  });
});
