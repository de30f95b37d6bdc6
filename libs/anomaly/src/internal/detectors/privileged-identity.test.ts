import { describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';

const at = T0 + 2 * DAY;

describe('privileged identity detector', () => {
  it('flags AWS root user activity', () => {
    const alerts = runScenario([
      makeEvent({
        principal: { id: 'arn:aws:iam::111122223333:root', type: 'root', name: null },
        event_time: at,
        action: { service: 'iam', operation: 'ListUsers', permissions: ['iam:ListUsers'] },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['privileged-identity-use']);
  });

  it('flags console sign-in without MFA', () => {
    const alerts = runScenario([
      makeEvent({
        event_time: at,
        category: 'sign-in',
        mfa: false,
        action: {
          service: 'signin',
          operation: 'ConsoleLogin',
          permissions: [],
          mapping: 'no-permission',
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['console-login-without-mfa']);
    expect(alerts[0]?.severity).toBe('medium');
  });

  it('ignores a failed sign-in without MFA', () => {
    const alerts = runScenario([
      makeEvent({
        event_time: at,
        category: 'sign-in',
        mfa: false,
        outcome: 'failed',
        action: { operation: 'ConsoleLogin', permissions: [] },
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('ignores a sign-in with MFA', () => {
    const alerts = runScenario([
      makeEvent({
        event_time: at,
        category: 'sign-in',
        mfa: true,
        action: { operation: 'ConsoleLogin', permissions: [] },
      }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('flags Azure elevateAccess as critical', () => {
    const alerts = runScenario([
      makeEvent({
        provider: 'azure',
        principal: {
          id: '0b1f9a8e-1111-4c2d-9e3f-000000000003',
          type: 'user',
          name: 'admin@contoso.com',
        },
        event_time: at,
        action: {
          service: 'Microsoft.Authorization',
          operation: 'MICROSOFT.AUTHORIZATION/ELEVATEACCESS/ACTION',
          permissions: ['Microsoft.Authorization/elevateAccess/action'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation', 'privileged-identity-use']);
    expect(alerts.find((a) => a.rule_id === 'privileged-identity-use')?.severity).toBe('critical');
  });

  it('flags GCP organization policy change', () => {
    const alerts = runScenario([
      makeEvent({
        provider: 'gcp',
        principal: { id: 'user:admin@example.com', type: 'user', name: 'admin@example.com' },
        event_time: at,
        action: {
          service: 'cloudresourcemanager.googleapis.com',
          operation: 'SetIamPolicy',
          permissions: ['resourcemanager.organizations.setIamPolicy'],
        },
      }),
    ]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation', 'privileged-identity-use']);
  });

  it('stops alerting on habitual no-MFA sign-ins', () => {
    const signIn = (time: number) =>
      makeEvent({
        event_time: time,
        category: 'sign-in',
        mfa: false,
        action: {
          service: 'signin',
          operation: 'ConsoleLogin',
          permissions: [],
          mapping: 'no-permission',
        },
      });
    // Every morning at 08:00: the first three days alert, then it is the user's habit.
    const mornings = [0, 1, 2, 3, 4].map((day) => signIn(T0 + day * DAY + 8 * HOUR));
    expect(runScenario(mornings)).toHaveLength(3);
    // A no-MFA sign-in at 03:00, an hour the user never signed in, alerts again.
    const night = signIn(T0 + 5 * DAY + 3 * HOUR);
    expect(runScenario([...mornings, night])).toHaveLength(4);
  });
});
