import { logLevel } from './kafkajs.js';
import { describe, expect, it } from 'vitest';
import { createLogCreator } from './logger.js';
import type { KafkaLogger } from './types.js';

function captureLogger() {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const record = (level: string) => (fields: object, message: string) =>
    lines.push({ level, fields, message });
  const logger: KafkaLogger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return { logger, lines };
}

describe('createLogCreator', () => {
  it('passes fields first, then the message', () => {
    const { logger, lines } = captureLogger();
    const log = createLogCreator(logger)(logLevel.INFO);
    log({
      namespace: 'ConsumerGroup',
      level: logLevel.INFO,
      label: 'INFO',
      log: {
        message: 'Consumer has joined the group',
        timestamp: 'x',
        logger: 'kafkajs',
        groupId: 'g1',
      },
    });
    expect(lines).toEqual([
      {
        level: 'info',
        fields: { kafkajs_namespace: 'ConsumerGroup', groupId: 'g1' },
        message: 'kafkajs: Consumer has joined the group',
      },
    ]);
  });

  it('lowers retried request errors to warnings', () => {
    const { logger, lines } = captureLogger();
    const log = createLogCreator(logger)(logLevel.INFO);
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        message: 'Response GroupCoordinator(key: 10, version: 2)',
        timestamp: 'x',
        logger: 'kafkajs',
      },
    });
    expect(lines[0]?.level).toBe('warn');
  });

  it('keeps other errors as errors', () => {
    const { logger, lines } = captureLogger();
    const log = createLogCreator(logger)(logLevel.INFO);
    log({
      namespace: 'Consumer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { message: 'Crash: KafkaJSNumberOfRetriesExceeded', timestamp: 'x', logger: 'kafkajs' },
    });
    expect(lines[0]?.level).toBe('error');
  });
});
