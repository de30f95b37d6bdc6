import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent } from '@ciem/events';
import { normalizeText } from '@ciem/normalize';
import { describe, expect, it } from 'vitest';
import { ruleIds, runScenario } from './testing/run-scenario.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Normalizes one provider record written in the provider's own format. */
function normalizeFixture(name: string): NormalizedEvent {
  const result = normalizeText(undefined, readFileSync(path.join(fixtures, name), 'utf8'), {
    rawRef: name,
    ingestTime: Date.UTC(2024, 2, 6),
  });
  if ('kind' in result) throw new Error(`fixture ${name} did not normalize: ${result.message}`);
  return result;
}

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
