import { ConfigError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { readServerSettings } from './server-settings.js';

describe('readServerSettings', () => {
  it('gives a plain connection by default', () => {
    expect(readServerSettings({})).toEqual({ kafkaSecurity: {} });
  });

  it('maps TLS and SCRAM variables', () => {
    const settings = readServerSettings({
      CIEM_KAFKA_SSL_ENABLED: 'true',
      CIEM_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      CIEM_KAFKA_SASL_USERNAME: 'ciem',
      CIEM_KAFKA_SASL_PASSWORD: 'secret-password',
      CIEM_CLICKHOUSE_USER: 'writer',
      CIEM_CLICKHOUSE_PASSWORD: 'ch-password',
    });
    expect(settings.kafkaSecurity.ssl).toEqual({ rejectUnauthorized: true });
    expect(settings.kafkaSecurity.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'ciem',
      password: 'secret-password',
    });
    expect(settings.clickhouseUser).toBe('writer');
    expect(settings.clickhousePassword).toBe('ch-password');
  });

  it('rejects SASL without a password', () => {
    expect(() =>
      readServerSettings({ CIEM_KAFKA_SASL_MECHANISM: 'plain', CIEM_KAFKA_SASL_USERNAME: 'ciem' }),
    ).toThrow(ConfigError);
  });
});
