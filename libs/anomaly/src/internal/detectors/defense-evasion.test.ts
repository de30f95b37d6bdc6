import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, T0, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';

const at = T0 + 3 * DAY;

describe('defense evasion detector', () => {
  it('flags CloudTrail StopLogging as critical', () => {
    const alerts = runScenario([
      makeEvent({
        event_time: at,
        action: {
          service: 'cloudtrail',
          operation: 'StopLogging',
          permissions: ['cloudtrail:StopLogging'],
        },
        resources: [
          {
            id: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
            type: 'AWS::CloudTrail::Trail',
          },
        ],
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['defense-evasion-logging']);
    expect(alerts[0]?.severity).toBe('critical');
    expect(alerts[0]?.details.resource).toBe(
      'arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
    );
  });

  it('aggregates repeated StopLogging into one alert', () => {
    const events = [0, 1, 2].map((i) =>
      makeEvent({
        event_time: at + i * MINUTE,
        action: { operation: 'StopLogging', permissions: ['cloudtrail:StopLogging'] },
      }),
    );
    const alerts = runScenario(events);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.event_count).toBe(3);
    expect(alerts[0]?.evidence_event_ids).toEqual(events.map((e) => e.event_id));
  });

  it('flags GuardDuty DeleteDetector', () => {
    const alerts = runScenario([
      makeEvent({
        event_time: at,
        action: {
          service: 'guardduty',
          operation: 'DeleteDetector',
          permissions: ['guardduty:DeleteDetector'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['defense-evasion-logging']);
  });

  it('flags Azure diagnostic settings delete', () => {
    const alerts = runScenario([
      makeEvent({
        provider: 'azure',
        principal: {
          id: '0b1f9a8e-1111-4c2d-9e3f-000000000002',
          type: 'service_principal',
          name: 'automation',
        },
        event_time: at,
        action: {
          service: 'microsoft.insights',
          operation: 'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE',
          permissions: ['microsoft.insights/diagnosticSettings/delete'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['defense-evasion-logging']);
    expect(alerts[0]?.provider).toBe('azure');
  });

  it('flags GCP log sink deletion', () => {
    const alerts = runScenario([
      makeEvent({
        provider: 'gcp',
        principal: {
          id: 'serviceAccount:ci@proj.iam.gserviceaccount.com',
          type: 'service_account',
          name: 'ci',
        },
        event_time: at,
        action: {
          service: 'logging.googleapis.com',
          operation: 'google.logging.v2.ConfigServiceV2.DeleteSink',
          permissions: ['logging.sinks.delete'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['defense-evasion-logging']);
  });

  it('ignores reading the trail configuration', () => {
    const alerts = runScenario([
      makeEvent({
        event_time: at,
        action: {
          service: 'cloudtrail',
          operation: 'DescribeTrails',
          permissions: ['cloudtrail:DescribeTrails'],
        },
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('flags a GCP sink deletion at a new hour', () => {
    // MITRE ATT&CK T1562.008 (Disable or Modify Cloud Logs): deleting the sink that exports
    // audit logs. The principal deletes scratch sinks on weekday afternoons; the same call
    // late at night, an hour it never made it, is not that routine.
    const owner = { id: 'user:ops@example.com', type: 'user' as const, name: 'ops' };
    const deleteSink = (time: number) =>
      makeEvent({
        provider: 'gcp',
        principal: owner,
        event_time: time,
        action: {
          service: 'logging.googleapis.com',
          operation: 'google.logging.v2.ConfigServiceV2.DeleteSink',
          permissions: ['logging.sinks.delete'],
        },
      });
    const afternoons = [0, 1, 2, 3, 4].map((day) => deleteSink(T0 + day * DAY + 14 * HOUR));
    const routine = runScenario(afternoons);
    expect(routine.every((alert) => alert.first_seen < T0 + 3 * DAY)).toBe(true);
    const night = deleteSink(T0 + 5 * DAY + 23 * HOUR);
    const alerts = runScenario([...afternoons, night]);
    expect(alerts.filter((alert) => alert.first_seen >= T0 + 5 * DAY)).toHaveLength(1);
  });
});
