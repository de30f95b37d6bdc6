import { describe, expect, it } from 'vitest';
import { normalizeFixture } from './testing/provider-record.js';
import { ruleIds, runScenario } from './testing/run-scenario.js';

describe('provider records through the normalizer', () => {
  it('flags CloudTrail console login without MFA', () => {
    const alerts = runScenario([normalizeFixture('aws-console-login-no-mfa.json')]);
    expect(ruleIds(alerts)).toEqual(['console-login-without-mfa']);
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
});
