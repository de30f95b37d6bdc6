import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@ciem/config';
import { ConfigError } from '@ciem/errors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const kafkaConfigs: unknown[] = [];

vi.mock('./kafkajs.js', async (importOriginal) => {
  const original = await importOriginal<Record<string, unknown>>();
  class RecordingKafka {
    constructor(config: unknown) {
      kafkaConfigs.push(config);
    }
  }
  return { ...original, Kafka: RecordingKafka };
});

const { createKafkaClient } = await import('./client.js');
const { kafkaSecurityOptions, kafkaSecuritySettings } = await import('./security-settings.js');

// Placeholder PEM blocks: the mapping passes them through as text and never parses them.
const caPem = '-----BEGIN CERTIFICATE-----\nQ0EgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
const certPem = '-----BEGIN CERTIFICATE-----\nY2xpZW50IGNlcnQ=\n-----END CERTIFICATE-----';
const keyPem = '-----BEGIN PRIVATE KEY-----\nY2xpZW50IGtleQ==\n-----END PRIVATE KEY-----';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'kafka-security-'));
  await writeFile(path.join(folder, 'ca.pem'), `${caPem}\n`);
  await writeFile(path.join(folder, 'client.pem'), `${certPem}\n`);
  await writeFile(path.join(folder, 'client.key'), `${keyPem}\n`);
  await writeFile(path.join(folder, 'password'), 'pa55-word\n');
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function securityOf(env: Record<string, string>) {
  const { values } = loadConfig(kafkaSecuritySettings, { env });
  return kafkaSecurityOptions(values);
}

describe('kafkaSecurityOptions', () => {
  it('leaves a plain connection alone', () => {
    expect(securityOf({})).toEqual({});
  });

  it('maps mutual TLS files to ssl', () => {
    const options = securityOf({
      CIEM_KAFKA_SSL_ENABLED: 'true',
      CIEM_KAFKA_SSL_CA_FILE: path.join(folder, 'ca.pem'),
      CIEM_KAFKA_SSL_CERT_FILE: path.join(folder, 'client.pem'),
      CIEM_KAFKA_SSL_KEY_FILE: path.join(folder, 'client.key'),
      CIEM_KAFKA_SSL_KEY_PASSWORD: 'key-pass',
    });
    // Node's tls.connect options, which kafkajs passes on unchanged.
    expect(options).toEqual({
      ssl: {
        rejectUnauthorized: true,
        ca: caPem,
        cert: certPem,
        key: keyPem,
        passphrase: 'key-pass',
      },
    });
  });

  it('turns certificate checks off on request', () => {
    expect(
      securityOf({ CIEM_KAFKA_SSL_ENABLED: 'true', CIEM_KAFKA_SSL_VERIFY_ENABLED: 'false' }),
    ).toEqual({ ssl: { rejectUnauthorized: false } });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    'maps SASL %s to sasl',
    (mechanism) => {
      const options = securityOf({
        CIEM_KAFKA_SSL_ENABLED: 'true',
        CIEM_KAFKA_SASL_MECHANISM: mechanism,
        CIEM_KAFKA_SASL_USERNAME: 'ciem',
        CIEM_KAFKA_SASL_PASSWORD_FILE: path.join(folder, 'password'),
      });
      expect(options).toEqual({
        ssl: { rejectUnauthorized: true },
        sasl: { mechanism, username: 'ciem', password: 'pa55-word' },
      });
    },
  );

  it('rejects SASL without a password', () => {
    expect(() =>
      securityOf({ CIEM_KAFKA_SASL_MECHANISM: 'plain', CIEM_KAFKA_SASL_USERNAME: 'ciem' }),
    ).toThrow(/CIEM_KAFKA_SASL_PASSWORD is unset/);
  });

  it('rejects a certificate without TLS', () => {
    const attempt = () => securityOf({ CIEM_KAFKA_SSL_CA_FILE: path.join(folder, 'ca.pem') });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/CIEM_KAFKA_SSL_ENABLED=true/);
  });

  it('rejects a certificate without its key', () => {
    expect(() =>
      securityOf({
        CIEM_KAFKA_SSL_ENABLED: 'true',
        CIEM_KAFKA_SSL_CERT_FILE: path.join(folder, 'client.pem'),
      }),
    ).toThrow(/CIEM_KAFKA_SSL_KEY is unset/);
  });

  it('rejects an unknown SASL mechanism', () => {
    expect(() => securityOf({ CIEM_KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(
      /CIEM_KAFKA_SASL_MECHANISM/,
    );
  });
});

describe('createKafkaClient with security options', () => {
  it('passes ssl and sasl to kafkajs', () => {
    kafkaConfigs.length = 0;
    const security = securityOf({
      CIEM_KAFKA_SSL_ENABLED: 'true',
      CIEM_KAFKA_SSL_CA_FILE: path.join(folder, 'ca.pem'),
      CIEM_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      CIEM_KAFKA_SASL_USERNAME: 'ciem',
      CIEM_KAFKA_SASL_PASSWORD: 'secret-1',
    });
    createKafkaClient({ brokers: ['127.0.0.1:9093'], clientId: 'unit', ...security });
    expect(kafkaConfigs).toHaveLength(1);
    expect(kafkaConfigs[0]).toMatchObject({
      brokers: ['127.0.0.1:9093'],
      ssl: { ca: caPem, rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'ciem', password: 'secret-1' },
    });
  });
});
