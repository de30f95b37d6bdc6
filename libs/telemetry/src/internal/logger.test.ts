import { InputError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { createLogger, stageLogger } from './logger.js';
import { captureLines } from './test-log-capture.js';

describe('createLogger', () => {
  it('writes JSON with service and level', () => {
    const { stream, lines } = captureLines();
    const logger = createLogger({ service: 'normalizer', destination: stream });
    logger.info({ topic: 'ciem.raw.aws.cloudtrail' }, 'consumer connected');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'normalizer',
      topic: 'ciem.raw.aws.cloudtrail',
      msg: 'consumer connected',
    });
    expect(typeof lines[0]?.time).toBe('string');
    expect(Number.isNaN(Date.parse(String(lines[0]?.time)))).toBe(false);
  });

  it('redacts secrets at two depths', () => {
    const { stream, lines } = captureLines();
    const logger = createLogger({ service: 'api', destination: stream });
    logger.warn(
      {
        password: 'p1',
        sink: { token: 't1', url: 'http://127.0.0.1:8088' },
        credentials: { secretAccessKey: 'k1', accessKeyId: 'AKIAEXAMPLE' },
        request: { headers: { authorization: 'Bearer abc', accept: 'text/plain' } },
        authorization: 'Basic xyz',
      },
      'request rejected',
    );
    const line = lines[0] ?? {};
    expect(line.password).toBe('[REDACTED]');
    expect(line.authorization).toBe('[REDACTED]');
    expect(line.sink).toEqual({ token: '[REDACTED]', url: 'http://127.0.0.1:8088' });
    expect(line.credentials).toEqual({ secretAccessKey: '[REDACTED]', accessKeyId: 'AKIAEXAMPLE' });
    expect(line.request).toEqual({
      headers: { authorization: '[REDACTED]', accept: 'text/plain' },
    });
    expect(JSON.stringify(lines)).not.toMatch(/p1|t1|k1|Bearer|xyz/);
  });

  it('serializes err with its code', () => {
    const { stream, lines } = captureLines();
    const logger = createLogger({ service: 'normalizer', destination: stream });
    const error = new InputError('CIEM_TEST_RECORD_INVALID', 'eventTime missing', {
      details: { offset: 7 },
    });
    logger.warn({ err: error }, 'record dead-lettered');
    const err = lines[0]?.err as Record<string, unknown>;
    expect(err.type).toBe('InputError');
    expect(err.message).toBe('eventTime missing');
    expect(err.code).toBe('CIEM_TEST_RECORD_INVALID');
    expect(err.details).toEqual({ offset: 7 });
    expect(typeof err.stack).toBe('string');
  });

  it('honours the level option', () => {
    const { stream, lines } = captureLines();
    const logger = createLogger({ service: 's', level: 'warn', destination: stream });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((line) => line.msg)).toEqual(['kept']);
  });

  it('adds stage on child loggers', () => {
    const { stream, lines } = captureLines();
    const logger = stageLogger(createLogger({ service: 'cli', destination: stream }), 'normalizer');
    logger.info('stage started');
    expect(lines[0]).toMatchObject({ service: 'cli', stage: 'normalizer', msg: 'stage started' });
  });
});
