import { describe, expect, it } from 'vitest';
import { describeConfig, renderConfigTable } from './describe-config.js';
import { setting } from './setting.js';

const schema = {
  timeoutMs: setting.duration({
    env: 'CIEM_SHUTDOWN_TIMEOUT_MS',
    description: 'Time allowed for a graceful stop.',
    default: 30_000,
    min: 1,
  }),
  brokers: setting.list({
    env: 'CIEM_KAFKA_BROKERS',
    description: 'Bootstrap brokers | host:port.',
    default: ['127.0.0.1:9092', '127.0.0.1:9093'],
  }),
  token: setting.string({
    env: 'CIEM_SIEM_TOKEN',
    description: 'HEC token.',
    secret: true,
    default: 'do-not-print',
  }),
  endpoint: setting.url({
    env: 'CIEM_OTEL_EXPORTER_OTLP_ENDPOINT',
    aliases: ['OTEL_EXPORTER_OTLP_ENDPOINT'],
    description: 'OTLP endpoint.',
    optional: true,
  }),
  level: setting.enum({
    env: 'CIEM_LOG_LEVEL',
    description: 'Lowest level.',
    values: ['info', 'debug'],
  }),
};

describe('describeConfig', () => {
  it('lists one row per setting', () => {
    expect(describeConfig(schema)).toEqual([
      {
        variable: 'CIEM_SHUTDOWN_TIMEOUT_MS',
        type: 'integer (milliseconds)',
        default: '30000',
        description: 'Time allowed for a graceful stop.',
      },
      {
        variable: 'CIEM_KAFKA_BROKERS',
        type: 'list (comma-separated)',
        default: '127.0.0.1:9092,127.0.0.1:9093',
        description: 'Bootstrap brokers | host:port.',
      },
      {
        variable: 'CIEM_SIEM_TOKEN',
        type: 'string, secret',
        default: '(secret)',
        description: 'HEC token. Also read from the file named by `CIEM_SIEM_TOKEN_FILE`.',
      },
      {
        variable: 'CIEM_OTEL_EXPORTER_OTLP_ENDPOINT',
        type: 'URL',
        default: '(unset)',
        description: 'OTLP endpoint. Falls back to `OTEL_EXPORTER_OTLP_ENDPOINT` when unset.',
      },
      {
        variable: 'CIEM_LOG_LEVEL',
        type: 'enum: info, debug',
        default: '(required)',
        description: 'Lowest level.',
      },
    ]);
  });
});

describe('renderConfigTable', () => {
  it('renders escaped Markdown rows', () => {
    const table = renderConfigTable(schema);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('| Variable | Type | Default | Description |');
    expect(lines[1]).toBe('| --- | --- | --- | --- |');
    expect(lines[2]).toBe(
      '| `CIEM_SHUTDOWN_TIMEOUT_MS` | integer (milliseconds) | `30000` | Time allowed for a graceful stop. |',
    );
    expect(lines[3]).toBe(
      '| `CIEM_KAFKA_BROKERS` | list (comma-separated) | `127.0.0.1:9092,127.0.0.1:9093` | Bootstrap brokers \\| host:port. |',
    );
    expect(lines).toHaveLength(7);
    expect(table).not.toContain('do-not-print');
  });
});
