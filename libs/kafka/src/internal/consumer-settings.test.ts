import { loadConfig } from '@ciem/config';
import { describe, expect, it } from 'vitest';
import { kafkaConsumerSettings } from './consumer-settings.js';
import { DEFAULT_LAG_INTERVAL_MS } from './lag-reporter.js';

describe('kafkaConsumerSettings', () => {
  it('defaults the lag interval to the reporter default', () => {
    const { values } = loadConfig(kafkaConsumerSettings, { env: {} });
    expect(values.lagIntervalMs).toBe(DEFAULT_LAG_INTERVAL_MS);
    expect(values.sessionTimeoutMs).toBe(30_000);
  });

  it('reads CIEM_KAFKA_LAG_INTERVAL_MS', () => {
    const { values } = loadConfig(kafkaConsumerSettings, {
      env: { CIEM_KAFKA_LAG_INTERVAL_MS: '5000' },
    });
    expect(values.lagIntervalMs).toBe(5000);
  });

  it('rejects an interval below the one second the lag reporter accepts', () => {
    expect(() =>
      loadConfig(kafkaConsumerSettings, { env: { CIEM_KAFKA_LAG_INTERVAL_MS: '500' } }),
    ).toThrow(/CIEM_KAFKA_LAG_INTERVAL_MS/);
  });
});
