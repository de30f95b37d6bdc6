import { loadConfig } from '@ciem/config';
import { describe, expect, it } from 'vitest';
import { entitlementsSchema } from './config.js';
import { checkSources } from './sources.js';

function configOf(env: Record<string, string>) {
  return loadConfig(entitlementsSchema, { env }).values;
}

describe('checkSources', () => {
  it('accepts a folder source', () => {
    const config = configOf({
      CIEM_ENTITLEMENTS_GCP_SOURCE: 'files',
      CIEM_ENTITLEMENTS_GCP_DIR: '/data/gcp',
    });
    expect(checkSources(config)).toEqual([]);
  });

  it('rejects every source off', () => {
    expect(checkSources(configOf({}))).toEqual([
      expect.stringContaining('expected at least one source'),
    ]);
  });

  it('requires Azure and GCP api scopes', () => {
    const problems = checkSources(
      configOf({ CIEM_ENTITLEMENTS_AZURE_SOURCE: 'api', CIEM_ENTITLEMENTS_GCP_SOURCE: 'api' }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^CIEM_ENTITLEMENTS_AZURE_SUBSCRIPTION_IDS: expected subscription/);
    expect(problems[1]).toMatch(/^CIEM_ENTITLEMENTS_GCP_SCOPE: expected organizations/);
  });

  it('accepts Azure and GCP api scopes', () => {
    const config = configOf({
      CIEM_ENTITLEMENTS_AZURE_SOURCE: 'api',
      CIEM_ENTITLEMENTS_AZURE_SUBSCRIPTION_IDS: '11111111-1111-1111-1111-111111111111',
      CIEM_ENTITLEMENTS_GCP_SOURCE: 'api',
      CIEM_ENTITLEMENTS_GCP_SCOPE: 'organizations/100',
    });
    expect(checkSources(config)).toEqual([]);
    expect(config.azureSubscriptionIds).toEqual(['11111111-1111-1111-1111-111111111111']);
  });

  it('accepts an Azure management group alone', () => {
    const config = configOf({
      CIEM_ENTITLEMENTS_AZURE_SOURCE: 'api',
      CIEM_ENTITLEMENTS_AZURE_MANAGEMENT_GROUP_ID: 'platform',
    });
    expect(checkSources(config)).toEqual([]);
  });

  it('requires the folder of files', () => {
    expect(checkSources(configOf({ CIEM_ENTITLEMENTS_AWS_SOURCE: 'files' }))).toEqual([
      expect.stringMatching(/^CIEM_ENTITLEMENTS_AWS_DIR: /),
    ]);
  });

  it('requires one output', () => {
    const problems = checkSources(
      configOf({
        CIEM_ENTITLEMENTS_AWS_SOURCE: 'api',
        CIEM_ENTITLEMENTS_KAFKA_ENABLED: 'false',
        CIEM_ENTITLEMENTS_CLICKHOUSE_ENABLED: 'false',
      }),
    );
    expect(problems).toEqual([expect.stringContaining('at least one output')]);
  });
});
