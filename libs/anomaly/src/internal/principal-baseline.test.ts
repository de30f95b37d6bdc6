import type { NormalizedEvent } from '@ciem/events';
import { describe, expect, it } from 'vitest';
import { normalizeRecord, readFixture } from './testing/provider-record.js';
import type { ProviderRecord } from './testing/provider-record.js';
import { ruleIds, runScenario } from './testing/run-scenario.js';

const DAY = 86_400_000;

/** Normalizes the fixture's record and a copy of it `days` later under another event id. */
function recordAndReturn(name: string, days: number): NormalizedEvent[] {
  const record = readFixture(name);
  const later: ProviderRecord = structuredClone(record);
  const timeField = 'eventTime' in record ? 'eventTime' : 'timestamp';
  const idField = 'eventID' in record ? 'eventID' : 'insertId';
  later[timeField] = new Date(Date.parse(String(record[timeField])) + days * DAY).toISOString();
  later[idField] = `${String(record[idField])}-later`;
  return [normalizeRecord(record, name), normalizeRecord(later, `${name} later`)];
}

describe('principals without a baseline', () => {
  it('ignores masked sign-in failures 45 days apart', () => {
    // IAM User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail": a console
    // sign-in that failed on an incorrect user name logs userName
    // HIDDEN_DUE_TO_SECURITY_REASONS, so every mistyped name of an account shares it. The
    // normalizer reads that marker as no name, which makes the principal unknown.
    const events = recordAndReturn('aws-console-login-hidden-user.json', 45);
    expect(events[0]?.principal.type).toBe('unknown');
    expect(runScenario(events)).toEqual([]);
  });

  it('flags a named user failing after 45 days', () => {
    const record = readFixture('aws-console-login-hidden-user.json');
    const identity = record['userIdentity'] as Record<string, string>;
    identity['userName'] = 'anaya';
    identity['principalId'] = 'AIDAEXAMPLEANAYA00001';
    record['errorMessage'] = 'Failed authentication';
    const first = normalizeRecord(record, 'anaya');
    const later = normalizeRecord(
      { ...record, eventTime: '2024-04-18T08:12:40Z', eventID: 'anaya-later' },
      'anaya later',
    );
    expect(ruleIds(runScenario([first, later]))).toEqual(['dormant-identity-active']);
  });

  it('ignores an AWS service returning after 45 days', () => {
    // CloudTrail User Guide, "CloudTrail userIdentity element": type AWSService is a request
    // made by an account that belongs to an AWS service, named in invokedBy. It is the
    // provider acting, not an identity of the customer that could be dormant.
    const events = recordAndReturn('aws-assume-role-by-service.json', 45);
    expect(events[0]?.principal.type).toBe('aws_service');
    expect(runScenario(events)).toEqual([]);
  });

  it('ignores a service-linked role returning after 45 days', () => {
    // IAM User Guide, "Using service-linked roles": the linked service defines the role's
    // permissions and, unless defined otherwise, only that service can assume it; its ARN
    // is arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE-NAME.amazonaws.com/NAME.
    const events = recordAndReturn('aws-run-instances-service-linked-role.json', 45);
    expect(events[0]?.principal.id).toBe(
      'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    );
    expect(runScenario(events)).toEqual([]);
  });

  it('ignores a Google service agent returning after 45 days', () => {
    // IAM docs, "Service account types": service agents are service accounts that Google
    // Cloud creates and manages, unlike the user-managed ones customers create.
    const events = recordAndReturn('gcp-instance-insert-by-service-agent.json', 45);
    expect(events[0]?.principal.type).toBe('google_service_agent');
    expect(runScenario(events)).toEqual([]);
  });
});
