import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@ciem/errors';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigInvalidError } from './config-invalid-error.js';
import { loadConfig } from './load-config.js';
import { setting } from './setting.js';

const schema = {
  maxWaitMs: setting.duration({
    env: 'CIEM_BATCH_MAX_WAIT_MS',
    description: 'Longest wait before a partial batch is flushed.',
    default: 500,
    min: 1,
  }),
  maxRecords: setting.integer({
    env: 'CIEM_BATCH_MAX_RECORDS',
    description: 'Records per batch.',
    default: 1000,
    min: 1,
    max: 100_000,
    unit: 'records',
  }),
  dlqEnabled: setting.boolean({
    env: 'CIEM_DLQ_ENABLED',
    description: 'Sends failed records to the dead-letter topic.',
    default: true,
  }),
  logLevel: setting.enum({
    env: 'CIEM_LOG_LEVEL',
    description: 'Lowest level written.',
    values: ['debug', 'info', 'warn'],
    default: 'info',
  }),
  brokers: setting.list({
    env: 'CIEM_KAFKA_BROKERS',
    description: 'Bootstrap brokers, host:port.',
    minItems: 1,
  }),
  clickhouseUrl: setting.url({
    env: 'CIEM_CLICKHOUSE_URL',
    description: 'ClickHouse HTTP endpoint.',
    default: 'http://127.0.0.1:8123',
  }),
  topicPrefix: setting.string({
    env: 'CIEM_KAFKA_TOPIC_PREFIX',
    description: 'Prefix of every topic name.',
    nonEmpty: false,
    default: '',
  }),
  siemToken: setting.string({
    env: 'CIEM_SIEM_TOKEN',
    description: 'HEC token.',
    secret: true,
    optional: true,
  }),
};

const minimalEnv = { CIEM_KAFKA_BROKERS: '127.0.0.1:9092' };

/** Folders of the files that `tempFile` wrote, removed after the tests. */
const tempFolders: string[] = [];
afterAll(() => {
  for (const folder of tempFolders) rmSync(folder, { recursive: true, force: true });
});

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ciem-config-'));
  tempFolders.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigInvalidError).code).toBe('CIEM_CONFIG_INVALID');
    return (error as ConfigInvalidError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies defaults when variables are unset', () => {
    const { values } = loadConfig(schema, { env: minimalEnv });
    expect(values.maxWaitMs).toBe(500);
    expect(values.maxRecords).toBe(1000);
    expect(values.dlqEnabled).toBe(true);
    expect(values.logLevel).toBe('info');
    expect(values.clickhouseUrl).toBe('http://127.0.0.1:8123');
    expect(values.topicPrefix).toBe('');
    expect(values.siemToken).toBeUndefined();
  });

  it('parses every type from strings', () => {
    const { values } = loadConfig(schema, {
      env: {
        CIEM_BATCH_MAX_WAIT_MS: ' 250 ',
        CIEM_BATCH_MAX_RECORDS: '100000',
        CIEM_DLQ_ENABLED: 'FALSE',
        CIEM_LOG_LEVEL: 'debug',
        CIEM_KAFKA_BROKERS: 'a:9092, b:9092,,',
        CIEM_CLICKHOUSE_URL: 'https://ch.internal:8443/',
        CIEM_KAFKA_TOPIC_PREFIX: 'dev.',
        CIEM_SIEM_TOKEN: 'hunter2',
      },
    });
    expect(values.maxWaitMs).toBe(250);
    expect(values.maxRecords).toBe(100_000);
    expect(values.dlqEnabled).toBe(false);
    expect(values.logLevel).toBe('debug');
    expect(values.brokers).toEqual(['a:9092', 'b:9092']);
    expect(values.clickhouseUrl).toBe('https://ch.internal:8443/');
    expect(values.topicPrefix).toBe('dev.');
    expect(values.siemToken).toBe('hunter2');
  });

  it('infers value types from the schema', () => {
    const { values } = loadConfig(schema, { env: minimalEnv });
    expectTypeOf(values.maxWaitMs).toEqualTypeOf<number>();
    expectTypeOf(values.dlqEnabled).toEqualTypeOf<boolean>();
    expectTypeOf(values.logLevel).toEqualTypeOf<'debug' | 'info' | 'warn'>();
    expectTypeOf(values.brokers).toEqualTypeOf<readonly string[]>();
    expectTypeOf(values.siemToken).toEqualTypeOf<string | undefined>();
  });

  it('formats the documented problem line', () => {
    const problems = problemsOf(() =>
      loadConfig(schema, { env: { ...minimalEnv, CIEM_BATCH_MAX_WAIT_MS: 'abc' } }),
    );
    expect(problems).toEqual([
      'CIEM_BATCH_MAX_WAIT_MS: expected a whole number of milliseconds ≥ 1, received "abc"',
    ]);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(() =>
      loadConfig(schema, {
        env: {
          CIEM_BATCH_MAX_WAIT_MS: '0',
          CIEM_BATCH_MAX_RECORDS: '1.5',
          CIEM_DLQ_ENABLED: 'yes',
          CIEM_LOG_LEVEL: 'verbose',
          CIEM_CLICKHOUSE_URL: 'ftp://x',
        },
      }),
    );
    expect(problems).toEqual([
      'CIEM_BATCH_MAX_WAIT_MS: expected a whole number of milliseconds ≥ 1, received "0"',
      'CIEM_BATCH_MAX_RECORDS: expected a whole number of records from 1 to 100000, received "1.5"',
      'CIEM_DLQ_ENABLED: expected `true` or `false`, received "yes"',
      'CIEM_LOG_LEVEL: expected one of `debug`, `info`, `warn`, received "verbose"',
      'CIEM_KAFKA_BROKERS: expected a comma-separated list of at least 1 item, received nothing; set it in the environment or the config file',
      'CIEM_CLICKHOUSE_URL: expected an absolute http or https URL, received "ftp://x"',
    ]);
  });

  it('rejects an empty list', () => {
    const problems = problemsOf(() => loadConfig(schema, { env: { CIEM_KAFKA_BROKERS: ' , ' } }));
    expect(problems).toEqual([
      'CIEM_KAFKA_BROKERS: expected a comma-separated list of at least 1 item, received " , "',
    ]);
  });

  it('treats blank variables as unset', () => {
    const { values } = loadConfig(schema, { env: { ...minimalEnv, CIEM_LOG_LEVEL: '  ' } });
    expect(values.logLevel).toBe('info');
  });

  it('freezes the result', () => {
    const loaded = loadConfig(schema, { env: minimalEnv });
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.values)).toBe(true);
    expect(Object.isFrozen(loaded.values.brokers)).toBe(true);
    expect(() => {
      (loaded.values as { maxWaitMs: number }).maxWaitMs = 1;
    }).toThrow(TypeError);
  });
});

describe('loadConfig secrets', () => {
  it('reads a secret from _FILE', () => {
    const file = tempFile('token', 's3cret-token\n');
    const loaded = loadConfig(schema, { env: { ...minimalEnv, CIEM_SIEM_TOKEN_FILE: file } });
    expect(loaded.values.siemToken).toBe('s3cret-token');
    expect(loaded.effective.CIEM_SIEM_TOKEN).toEqual({
      value: '<secret, 12 characters>',
      source: 'environment',
    });
    expect(loaded.warnings).toEqual([]);
  });

  it('masks secrets in problems', () => {
    const strict = {
      token: setting.string({
        env: 'CIEM_SIEM_TOKEN',
        description: 'HEC token.',
        secret: true,
      }),
      port: setting.integer({
        env: 'CIEM_SIEM_PORT',
        description: 'Port.',
        secret: true,
        default: 1,
      }),
    };
    const problems = problemsOf(() =>
      loadConfig(strict, { env: { CIEM_SIEM_PORT: 'not-a-port-hunter2' } }),
    );
    expect(problems).toEqual([
      'CIEM_SIEM_TOKEN: expected a non-empty string, received nothing; set it in the environment or the config file',
      'CIEM_SIEM_PORT: expected a whole number, received <secret, 18 characters>',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('rejects both value and _FILE', () => {
    const file = tempFile('token', 'a');
    const problems = problemsOf(() =>
      loadConfig(schema, {
        env: { ...minimalEnv, CIEM_SIEM_TOKEN: 'b', CIEM_SIEM_TOKEN_FILE: file },
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^CIEM_SIEM_TOKEN: expected either CIEM_SIEM_TOKEN or CIEM_SIEM_TOKEN_FILE/,
    );
  });

  it('reports an unreadable secret file', () => {
    const missing = path.join(tmpdir(), 'ciem-no-such-dir', 'token');
    const problems = problemsOf(() =>
      loadConfig(schema, { env: { ...minimalEnv, CIEM_SIEM_TOKEN_FILE: missing } }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      `CIEM_SIEM_TOKEN_FILE: expected a readable secret file, received "${missing}"`,
    );
    expect(problems[0]).toContain('ENOENT');
  });
});

describe('loadConfig file source', () => {
  it('reads the file named by CIEM_CONFIG_FILE', () => {
    const file = tempFile(
      'ciem.json',
      JSON.stringify({
        CIEM_KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
        CIEM_BATCH_MAX_RECORDS: 20,
        CIEM_DLQ_ENABLED: false,
        CIEM_LOG_LEVEL: 'warn',
      }),
    );
    const loaded = loadConfig(schema, {
      env: { CIEM_CONFIG_FILE: file, CIEM_LOG_LEVEL: 'debug' },
    });
    expect(loaded.values.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(loaded.values.maxRecords).toBe(20);
    expect(loaded.values.dlqEnabled).toBe(false);
    // The environment wins over the file.
    expect(loaded.values.logLevel).toBe('debug');
    expect(loaded.effective.CIEM_LOG_LEVEL).toEqual({ value: 'debug', source: 'environment' });
    expect(loaded.effective.CIEM_BATCH_MAX_RECORDS).toEqual({ value: '20', source: 'file' });
    expect(loaded.effective.CIEM_BATCH_MAX_WAIT_MS).toEqual({ value: '500', source: 'default' });
    expect(loaded.warnings).toEqual([]);
  });

  it('names the file in problems', () => {
    const file = tempFile(
      'ciem.json',
      JSON.stringify({ ...minimalEnv, CIEM_BATCH_MAX_RECORDS: -3 }),
    );
    const problems = problemsOf(() => loadConfig(schema, { env: {}, file }));
    expect(problems).toEqual([
      `CIEM_BATCH_MAX_RECORDS: expected a whole number of records from 1 to 100000, received -3 in the config file "${file}"`,
    ]);
  });

  it('reports a file that is not JSON', () => {
    const file = tempFile('ciem.json', '{ not json');
    const problems = problemsOf(() =>
      loadConfig(schema, { env: { ...minimalEnv, CIEM_CONFIG_FILE: file } }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^CIEM_CONFIG_FILE: expected a JSON file, received ".*ciem\.json" that does not parse/,
    );
  });

  it('reports a file that is an array', () => {
    const file = tempFile('ciem.json', '[1]');
    const problems = problemsOf(() => loadConfig(schema, { env: minimalEnv, file }));
    expect(problems).toEqual([
      `CIEM_CONFIG_FILE: expected a JSON object keyed by variable names, received [1] in "${file}"`,
    ]);
  });
});

describe('loadConfig warnings', () => {
  it('warns about unknown CIEM_ variables', () => {
    const loaded = loadConfig(schema, {
      env: { ...minimalEnv, CIEM_BATCH_MAX_WAIT: '5', CIEM_UNRELATED_THING: 'x', HOME: '/root' },
    });
    expect(loaded.warnings).toEqual([
      'CIEM_BATCH_MAX_WAIT is not a known setting and is ignored; did you mean CIEM_BATCH_MAX_WAIT_MS?',
      'CIEM_UNRELATED_THING is not a known setting and is ignored',
    ]);
  });

  it('warns about unknown file keys', () => {
    const file = tempFile('ciem.json', JSON.stringify({ CIEM_LOG_LEVL: 'info' }));
    const loaded = loadConfig(schema, { env: minimalEnv, file });
    expect(loaded.warnings).toEqual([
      `CIEM_LOG_LEVL in the config file "${file}" is not a known setting and is ignored; did you mean CIEM_LOG_LEVEL?`,
    ]);
  });
});

describe('loadConfig aliases', () => {
  const withAlias = {
    endpoint: setting.url({
      env: 'CIEM_OTEL_EXPORTER_OTLP_ENDPOINT',
      aliases: ['OTEL_EXPORTER_OTLP_ENDPOINT'],
      description: 'OTLP endpoint.',
      optional: true,
    }),
  };

  it('reads the alias when unset', () => {
    const { values } = loadConfig(withAlias, {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
    });
    expect(values.endpoint).toBe('http://127.0.0.1:4318');
  });

  it('prefers the CIEM_ variable', () => {
    const { values } = loadConfig(withAlias, {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        CIEM_OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:14318',
      },
    });
    expect(values.endpoint).toBe('http://127.0.0.1:14318');
  });

  it('names the alias in problems', () => {
    const problems = problemsOf(() =>
      loadConfig(withAlias, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } }),
    );
    expect(problems).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected an absolute http or https URL, received "collector:4318"',
    ]);
  });
});

describe('checkSchema', () => {
  it('rejects names that break the rules', () => {
    const broken = {
      on: setting.boolean({ env: 'CIEM_DLQ', description: 'x', default: false }),
      wait: setting.duration({ env: 'CIEM_BATCH_WAIT', description: 'x', default: 1 }),
      lower: setting.string({ env: 'ciem_lower_case', description: 'x', optional: true }),
      twice: setting.string({ env: 'CIEM_DLQ', description: 'x', optional: true }),
      badDefault: setting.integer({ env: 'CIEM_A_B', description: 'x', default: 0, min: 1 }),
    };
    let caught: unknown;
    try {
      loadConfig(broken, { env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe('CIEM_CONFIG_SCHEMA_INVALID');
    const lines = error.message.split('\n').slice(1);
    expect(lines).toEqual([
      'CIEM_DLQ ("on"): a switch must end in _ENABLED',
      'CIEM_BATCH_WAIT ("wait"): a duration in milliseconds must end in _MS',
      'ciem_lower_case ("lower"): expected CIEM_<AREA>_<NAME> in capitals',
      'CIEM_DLQ: used by both "on" and "twice"',
      'CIEM_A_B ("badDefault"): the default is not a whole number ≥ 1',
    ]);
  });
});
