import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, T0, baseline, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';

const alice = { id: 'arn:aws:iam::111122223333:user/alice', type: 'user' as const, name: 'alice' };
const at = T0 + 20 * DAY;

describe('privilege escalation detector', () => {
  it('flags AWS CreatePolicyVersion then AttachUserPolicy', () => {
    const alerts = runScenario([
      makeEvent({
        principal: alice,
        event_time: at,
        action: {
          service: 'iam',
          operation: 'CreatePolicyVersion',
          permissions: ['iam:CreatePolicyVersion'],
        },
      }),
      makeEvent({
        principal: alice,
        event_time: at + MINUTE,
        action: {
          service: 'iam',
          operation: 'AttachUserPolicy',
          permissions: ['iam:AttachUserPolicy'],
        },
      }),
    ]);
    // One chain of escalation calls in one window is one alert naming both permissions.
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
    expect(alerts[0]?.severity).toBe('high');
    expect(alerts[0]?.mitre_techniques).toContain('T1098');
    expect(alerts[0]?.details.permission).toBe('iam:CreatePolicyVersion,iam:AttachUserPolicy');
    expect(alerts[0]?.event_count).toBe(2);
  });

  it('flags UpdateLoginProfile for another user', () => {
    const alerts = runScenario([
      makeEvent({
        principal: alice,
        event_time: at,
        action: {
          service: 'iam',
          operation: 'UpdateLoginProfile',
          permissions: ['iam:UpdateLoginProfile'],
        },
        resources: [{ id: 'arn:aws:iam::111122223333:user/bob', type: 'AWS::IAM::User' }],
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
    expect(alerts[0]?.title).toContain('user/bob');
  });

  it('ignores CreateAccessKey for oneself', () => {
    const alerts = runScenario([
      makeEvent({
        principal: alice,
        event_time: at,
        action: {
          service: 'iam',
          operation: 'CreateAccessKey',
          permissions: ['iam:CreateAccessKey'],
        },
        resources: [{ id: alice.id, type: 'AWS::IAM::User' }],
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('flags PassRole with CreateFunction', () => {
    const alerts = runScenario([
      makeEvent({
        principal: alice,
        event_time: at,
        action: {
          service: 'lambda',
          operation: 'CreateFunction20150331',
          permissions: ['lambda:CreateFunction', 'iam:PassRole'],
        },
        resources: [{ id: 'arn:aws:iam::111122223333:role/admin', type: 'AWS::IAM::Role' }],
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
  });

  it('flags Azure role assignment write', () => {
    const alerts = runScenario([
      makeEvent({
        provider: 'azure',
        principal: {
          id: '0b1f9a8e-1111-4c2d-9e3f-000000000001',
          type: 'user',
          name: 'ops@contoso.com',
        },
        event_time: at,
        action: {
          service: 'Microsoft.Authorization',
          operation: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
          permissions: ['Microsoft.Authorization/roleAssignments/write'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
  });

  it('flags GCP service account key creation', () => {
    const alerts = runScenario([
      makeEvent({
        provider: 'gcp',
        principal: { id: 'user:dev@example.com', type: 'user', name: 'dev@example.com' },
        event_time: at,
        action: {
          service: 'iam.googleapis.com',
          operation: 'google.iam.admin.v1.CreateServiceAccountKey',
          permissions: ['iam.serviceAccountKeys.create'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
  });

  it('ignores denied escalation attempts', () => {
    const alerts = runScenario([
      makeEvent({
        principal: alice,
        event_time: at,
        outcome: 'denied',
        action: { operation: 'AttachUserPolicy', permissions: ['iam:AttachUserPolicy'] },
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('flags high-risk permission marked unused', () => {
    const unused = new Set([`${alice.id} iam:CreatePolicy`]);
    const alerts = runScenario(
      [
        makeEvent({
          principal: alice,
          event_time: at,
          action: { service: 'iam', operation: 'CreatePolicy', permissions: ['iam:CreatePolicy'] },
        }),
      ],
      { isMarkedUnused: (principal, permission) => unused.has(`${principal} ${permission}`) },
    );
    expect(ruleIds(alerts)).toEqual(['unused-high-risk-permission']);
  });

  it('stays silent on a benign read baseline', () => {
    const events = baseline(alice, [
      's3:ListAllMyBuckets',
      's3:GetObject',
      'ec2:DescribeInstances',
    ]);
    expect(runScenario(events)).toEqual([]);
  });

  it('treats daily admin policy work as routine', () => {
    const days = [0, 1, 2, 3].map((day) =>
      makeEvent({
        principal: alice,
        event_time: T0 + day * DAY + 10 * 3_600_000,
        action: { permissions: ['iam:PutRolePolicy'] },
      }),
    );
    const alerts = runScenario(days);
    expect(alerts.map((a) => a.first_seen)).toEqual([
      T0 + 10 * 3_600_000,
      T0 + DAY + 10 * 3_600_000,
      T0 + 2 * DAY + 10 * 3_600_000,
    ]);
  });

  it('alerts on routine work at a new hour', () => {
    const days = [0, 1, 2, 3].map((day) =>
      makeEvent({
        principal: alice,
        event_time: T0 + day * DAY + 10 * 3_600_000,
        action: { permissions: ['iam:PutRolePolicy'] },
      }),
    );
    const late = makeEvent({
      principal: alice,
      event_time: T0 + 4 * DAY + 23 * 3_600_000,
      action: { permissions: ['iam:PutRolePolicy'] },
    });
    expect(runScenario([...days, late])).toHaveLength(4);
  });

  it('summarises baseline-period changes per day', () => {
    // A principal first seen today is still in its baseline period: its escalation calls
    // at 09:00 and 15:00 make one daily alert; after warm-up the same calls make two.
    const calls = (start: number) =>
      [9, 15].map((hour) =>
        makeEvent({
          principal: alice,
          event_time: start + hour * HOUR,
          action: { permissions: ['iam:PutRolePolicy'] },
        }),
      );
    expect(runScenario(calls(T0))).toHaveLength(1);
    const warm = baseline(alice, ['s3:GetObject'], { days: 8 });
    const later = calls(T0 + 9 * DAY).map((event, index) => ({
      ...event,
      // Different hours of the day keep the routine rule out of this case.
      event_time: event.event_time + index * HOUR,
    }));
    expect(runScenario([...warm, ...later])).toHaveLength(2);
  });

  it('flags a GCP owner grant and key at night', () => {
    // MITRE ATT&CK T1098.003 (Additional Cloud Roles) and T1098.001 (Additional Cloud
    // Credentials): an administrator's identity grants roles/owner on the project to an
    // outside account with SetIamPolicy and creates a service-account key. The admin makes
    // both changes on weekday mornings, while jobs under the same identity run at every hour.
    const admin = { id: 'user:admin@example.com', type: 'user' as const, name: 'admin' };
    const events = [];
    for (let day = 0; day < 10; day++) {
      for (let hour = 0; hour < 24; hour += 2) {
        events.push(
          makeEvent({
            provider: 'gcp',
            principal: admin,
            event_time: T0 + day * DAY + hour * HOUR,
            action: {
              service: 'compute.googleapis.com',
              operation: 'v1.compute.instances.list',
              permissions: ['compute.instances.list'],
            },
          }),
        );
      }
      for (const [hour, permission] of [
        [9, 'resourcemanager.projects.setIamPolicy'],
        [10, 'iam.serviceAccountKeys.create'],
      ] as const) {
        events.push(
          makeEvent({
            provider: 'gcp',
            principal: admin,
            event_time: T0 + day * DAY + hour * HOUR + 5 * MINUTE,
            action: { service: 'cloudresourcemanager.googleapis.com', permissions: [permission] },
          }),
        );
      }
    }
    const routine = runScenario(events);
    const attack = [
      'resourcemanager.projects.getIamPolicy',
      'resourcemanager.projects.setIamPolicy',
      'iam.serviceAccountKeys.create',
    ].map((permission, index) =>
      makeEvent({
        provider: 'gcp',
        principal: admin,
        event_time: T0 + 10 * DAY + 22 * HOUR + 20 * MINUTE + index * MINUTE,
        action: { service: 'cloudresourcemanager.googleapis.com', permissions: [permission] },
      }),
    );
    const alerts = runScenario([...events, ...attack]);
    const night = alerts.filter((alert) => alert.first_seen >= T0 + 10 * DAY);
    expect(ruleIds(night)).toEqual(['privilege-escalation']);
    expect(night[0]?.details.permission).toBe(
      'resourcemanager.projects.setIamPolicy,iam.serviceAccountKeys.create',
    );
    // The same calls on day 10 at the admin's usual hours stay routine.
    const usual = attack.map((event) => ({ ...event, event_time: event.event_time - 13 * HOUR }));
    const daytime = runScenario([...events, ...usual]).filter(
      (alert) => alert.first_seen >= T0 + 10 * DAY,
    );
    expect(daytime).toEqual([]);
    expect(routine.every((alert) => alert.first_seen < T0 + 3 * DAY)).toBe(true);
  });
});
