import { Writable } from 'node:stream';
import { setting } from '@ciem/config';
import { ConfigError } from '@ciem/errors';
import { createLogger } from '@ciem/telemetry';
import { describe, expect, it } from 'vitest';
import type { ExitCode } from './exit-codes.js';
import { EXIT_CONFIG_INVALID } from './exit-codes.js';
import { loadConfigOrExit } from './load-config-or-exit.js';
import { serviceSettings } from './service-settings.js';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text !== '') lines.push(JSON.parse(text) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { lines, logger: createLogger({ service: 'test', destination }) };
}

describe('loadConfigOrExit', () => {
  it('returns values of valid config', () => {
    const loaded = loadConfigOrExit(serviceSettings, { service: 'test', env: {} });
    expect(loaded.values.probeHost).toBe('127.0.0.1');
    expect(loaded.values.probePort).toBe(9464);
    expect(loaded.values.logLevel).toBe('info');
    expect(loaded.values.shutdownTimeoutMs).toBe(30_000);
    expect(loaded.values.otlpEndpoint).toBeUndefined();
  });

  it('logs every problem and exits 2', () => {
    const { lines, logger } = captured();
    const exits: ExitCode[] = [];
    const schema = {
      ...serviceSettings,
      token: setting.string({ env: 'CIEM_SIEM_TOKEN', description: 'HEC token.', secret: true }),
    };
    expect(() =>
      loadConfigOrExit(schema, {
        service: 'test',
        logger,
        exit: (code) => exits.push(code),
        env: { CIEM_PROBE_PORT: '70000', CIEM_LOG_LEVEL: 'loud' },
      }),
    ).toThrow(ConfigError);
    expect(exits).toEqual([EXIT_CONFIG_INVALID]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('fatal');
    expect(lines[0]?.problems).toEqual([
      'CIEM_PROBE_PORT: expected a whole number from 0 to 65535, received "70000"',
      'CIEM_LOG_LEVEL: expected one of `trace`, `debug`, `info`, `warn`, `error`, `fatal`, `silent`, received "loud"',
      'CIEM_SIEM_TOKEN: expected a non-empty string, received nothing; set it in the environment or the config file',
    ]);
  });

  it('exits 2 when validate rejects', () => {
    const { lines, logger } = captured();
    const exits: ExitCode[] = [];
    const validate = (values: { probePort: number }): void => {
      if (values.probePort === 9999) {
        throw new ConfigError('CIEM_TEST_PAIR', 'CIEM_PROBE_PORT 9999 needs a pair');
      }
    };
    expect(() =>
      loadConfigOrExit(serviceSettings, {
        service: 'test',
        logger,
        exit: (code) => exits.push(code),
        env: { CIEM_PROBE_PORT: '9999' },
        validate,
      }),
    ).toThrow(ConfigError);
    expect(exits).toEqual([EXIT_CONFIG_INVALID]);
    expect(lines[0]?.problems).toEqual(['CIEM_PROBE_PORT 9999 needs a pair']);
  });

  it('reads the standard OTLP variable', () => {
    const loaded = loadConfigOrExit(serviceSettings, {
      service: 'test',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
    });
    expect(loaded.values.otlpEndpoint).toBe('http://127.0.0.1:4318');
  });
});
