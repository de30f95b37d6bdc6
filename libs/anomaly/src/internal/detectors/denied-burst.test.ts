import { describe, expect, it } from 'vitest';
import { DAY, T0, makeEvent } from '../testing/event-factory.js';
import { ruleIds, runScenario } from '../testing/run-scenario.js';

const at = T0 + 5 * DAY;
const SECOND = 1000;
const ENUMERATED = [
  'iam:ListUsers',
  'iam:ListRoles',
  'iam:GetAccountSummary',
  's3:ListAllMyBuckets',
  'ec2:DescribeInstances',
  'lambda:ListFunctions',
  'rds:DescribeDBInstances',
  'kms:ListKeys',
  'secretsmanager:ListSecrets',
  'dynamodb:ListTables',
];

describe('denied burst detector', () => {
  it('flags enumeration across many permissions', () => {
    const events = Array.from({ length: 25 }, (_, i) =>
      makeEvent({
        event_time: at + i * 5 * SECOND,
        outcome: 'denied',
        error_code: 'AccessDenied',
        action: { permissions: [ENUMERATED[i % ENUMERATED.length] as string] },
      }),
    );
    const alerts = runScenario(events);
    expect(ruleIds(alerts)).toEqual(['denied-call-burst']);
    expect(alerts[0]?.event_count).toBe(6);
  });

  it('ignores one permission denied repeatedly', () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      makeEvent({
        event_time: at + i * SECOND,
        outcome: 'denied',
        action: { permissions: ['s3:GetObject'] },
      }),
    );
    expect(runScenario(events)).toEqual([]);
  });

  it('ignores denials spread over hours', () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      makeEvent({
        event_time: at + i * 30 * 60 * SECOND,
        outcome: 'denied',
        action: { permissions: [ENUMERATED[i % 10] as string] },
      }),
    );
    expect(runScenario(events)).toEqual([]);
  });

  it('ignores spread denials read backwards', () => {
    // Files read out of time order deliver a day's later denials first; an earlier denial
    // must not count them as part of its window.
    const events = Array.from({ length: 30 }, (_, i) =>
      makeEvent({
        event_time: at + (29 - i) * 30 * 60 * SECOND,
        outcome: 'denied',
        action: { permissions: [ENUMERATED[i % 10] as string] },
      }),
    );
    expect(runScenario(events)).toEqual([]);
  });
});
