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

  it('rejects Azure and GCP api', () => {
    const problems = checkSources(
      configOf({ CIEM_ENTITLEMENTS_AZURE_SOURCE: 'api', CIEM_ENTITLEMENTS_GCP_SOURCE: 'api' }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^CIEM_ENTITLEMENTS_AZURE_SOURCE: .*not supported yet/);
    expect(problems[1]).toMatch(/^CIEM_ENTITLEMENTS_GCP_SOURCE: .*not supported yet/);
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
