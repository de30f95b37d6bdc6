import { describe, expect, it } from 'vitest';
import { parseDestinations } from './destinations.js';
import { SiemErrorCodes } from './errors.js';

const sources = {
  env: { HEC_TOKEN: 'hec-secret-token', EMPTY: '' } as Record<string, string | undefined>,
  readFile: (path: string) => {
    if (path === '/run/secrets/hook') return 'hook-secret\n';
    throw new Error('ENOENT: no such file');
  },
};

const parse = (destinations: unknown[]) =>
  parseDestinations(JSON.stringify({ destinations }), sources);

describe('parseDestinations', () => {
  it('reads a HEC destination with defaults', () => {
    const [hec] = parse([
      { name: 'splunk', type: 'hec', url: 'https://127.0.0.1:8088', token: { env: 'HEC_TOKEN' } },
    ]).destinations;
    expect(hec).toMatchObject({
      name: 'splunk',
      type: 'hec',
      token: 'hec-secret-token',
      format: 'json',
      sourcetype: '_json',
      batchMaxAlerts: 100,
      routes: [{ minSeverity: 'info', providers: null, accounts: null }],
    });
  });

  it('reads a secret file without newline', () => {
    const [hook] = parse([
      {
        name: 'hook',
        type: 'webhook',
        url: 'http://127.0.0.1:1/x',
        secret: { file: '/run/secrets/hook' },
        format: 'ocsf',
      },
    ]).destinations;
    expect(hook).toMatchObject({ secret: 'hook-secret', format: 'ocsf' });
  });

  it('reads routes and retry', () => {
    const [file] = parse([
      {
        name: 'archive',
        type: 'file',
        path: '/tmp/alerts.ndjson',
        route: [{ minSeverity: 'high', providers: ['aws'], accounts: ['1111*'] }],
        retry: { maxAttempts: 3 },
      },
    ]).destinations;
    expect(file?.routes).toEqual([
      { minSeverity: 'high', providers: ['aws'], accounts: ['1111*'] },
    ]);
    expect(file?.retry.maxAttempts).toBe(3);
    expect(file?.retry.initialMs).toBe(500);
  });

  it('reads syslog TLS options', () => {
    const [syslog] = parse([
      {
        name: 'soc',
        type: 'syslog',
        host: '127.0.0.1',
        tls: { caFile: '/ca.pem', serverName: 'syslog.test' },
      },
    ]).destinations;
    expect(syslog).toMatchObject({
      port: 6514,
      facility: 10,
      maxMessageBytes: 8192,
      tls: { caFile: '/ca.pem', serverName: 'syslog.test', rejectUnauthorized: true },
    });
  });

  it('requires a channel for acknowledgement', () => {
    expect(() =>
      parse([
        {
          name: 'x',
          type: 'hec',
          url: 'http://127.0.0.1:1',
          token: { env: 'HEC_TOKEN' },
          ack: true,
        },
      ]),
    ).toThrow(/destinations\[0\]\.channel: expected a channel GUID/);
  });

  it('rejects an unset secret variable', () => {
    expect(() =>
      parse([{ name: 'x', type: 'hec', url: 'http://127.0.0.1:1', token: { env: 'MISSING' } }]),
    ).toThrow(expect.objectContaining({ code: SiemErrorCodes.secretUnavailable }));
  });

  it('rejects an unknown type by path', () => {
    expect(() => parse([{ name: 'x', type: 'kafka' }])).toThrow(
      /destinations\[0\]\.type: expected one of hec, syslog, webhook, file/,
    );
  });

  it('rejects duplicate names', () => {
    const file = { name: 'x', type: 'file', path: '/tmp/a' };
    expect(() => parse([file, file])).toThrow(
      expect.objectContaining({ code: SiemErrorCodes.invalidDestinations }),
    );
  });

  it('rejects a bad severity', () => {
    expect(() =>
      parse([{ name: 'x', type: 'file', path: '/tmp/a', route: { minSeverity: 'urgent' } }]),
    ).toThrow(/destinations\[0\]\.route\.minSeverity/);
  });

  it('never shows a secret value', () => {
    let message = '';
    try {
      parse([{ name: 'x', type: 'hec', url: 'not a url', token: { env: 'HEC_TOKEN' } }]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('destinations[0].url');
    expect(message).not.toContain('hec-secret-token');
  });
});
