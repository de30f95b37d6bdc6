import { describe, expect, it } from 'vitest';
import { normalizeFixture, normalizeRecord, readFixture } from './testing/provider-record.js';
import { ruleIds, runScenario } from './testing/run-scenario.js';

describe('provider records through the normalizer', () => {
  it('flags CloudTrail console login without MFA', () => {
    const alerts = runScenario([normalizeFixture('aws-console-login-no-mfa.json')]);
    expect(ruleIds(alerts)).toEqual(['console-login-without-mfa']);
  });

  it('ignores MFAUsed No of a SAML role sign-in', () => {
    // CloudTrail User Guide, "CloudTrail userIdentity element": mfaAuthenticated is true when
    // the root user or IAM user whose credentials were used also authenticated with an MFA
    // device. A SAML sign-in uses neither: the identity provider runs its own MFA, which
    // CloudTrail does not see, so such ConsoleLogin records carry MFAUsed "No" regardless.
    const event = normalizeFixture('aws-console-login-saml-role.json');
    expect(event.mfa).toBe(false);
    expect(runScenario([event])).toEqual([]);
  });

  it('flags CloudTrail StopLogging as critical', () => {
    const alerts = runScenario([normalizeFixture('aws-stop-logging.json')]);
    expect(ruleIds(alerts)).toEqual(['defense-evasion-logging']);
    expect(alerts[0]?.severity).toBe('critical');
    expect(alerts[0]?.principal_id).toBe('arn:aws:iam::111122223333:role/ops');
  });

  it('flags UpdateLoginProfile of another user', () => {
    const alerts = runScenario([normalizeFixture('aws-update-login-profile.json')]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
    expect(alerts[0]?.title).toContain('user/finance-admin');
  });

  it('flags Azure role assignment write', () => {
    const alerts = runScenario([normalizeFixture('azure-role-assignment-write.json')]);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
    expect(alerts[0]?.source_ips).toEqual(['198.51.100.30']);
  });

  it('flags GCP DeleteSink', () => {
    const alerts = runScenario([normalizeFixture('gcp-delete-sink.json')]);
    expect(ruleIds(alerts)).toEqual(['defense-evasion-logging']);
    expect(alerts[0]?.evidence_event_ids).toEqual(['1x8ghz3e4f5a']);
  });

  it('lists no service name as source address', () => {
    // CloudTrail User Guide, "CloudTrail record contents": for a call an AWS service makes,
    // sourceIPAddress contains the service's DNS name instead of an address. The alert's
    // source_ips list addresses, which SIEM fields such as OCSF src_endpoint.ip require.
    const viaService = normalizeFixture('aws-attach-role-policy-via-cloudformation.json');
    const direct = normalizeRecord(
      {
        ...readFixture('aws-attach-role-policy-via-cloudformation.json'),
        sourceIPAddress: '203.0.113.50',
        userAgent: 'aws-cli/2.15.0 Python/3.11.6',
        eventTime: '2024-03-05T14:20:00Z',
        eventID: '8e7f6a5b-0000-4000-8000-00000000e002',
      },
      'direct',
    );
    const first = runScenario([viaService]);
    expect(ruleIds(first)).toEqual(['privilege-escalation']);
    expect(first[0]?.source_ips).toEqual([]);
    const both = runScenario([viaService, direct]);
    expect(both[0]?.event_count).toBe(2);
    expect(both[0]?.source_ips).toEqual(['203.0.113.50']);
  });
});
