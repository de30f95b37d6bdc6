import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createRateLimitedLog } from './rate-limited-log.js';
import { captureLines } from './test-log-capture.js';

describe('createRateLimitedLog', () => {
  it('counts repeats within the interval', () => {
    const { stream, lines } = captureLines();
    let time = 1_000;
    const log = createRateLimitedLog(createLogger({ service: 's', destination: stream }), 10_000, {
      now: () => time,
    });

    log.log({ topic: 'a' }, 'broker unreachable, retrying');
    time += 1_000;
    log.log({ topic: 'a' }, 'broker unreachable, retrying');
    time += 1_000;
    log.log({ topic: 'b' }, 'broker unreachable, retrying');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', topic: 'a', suppressed: 0 });

    time += 10_000;
    log.log({ topic: 'c' }, 'broker unreachable, retrying');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ topic: 'c', suppressed: 2 });
  });

  it('keeps messages apart', () => {
    const { stream, lines } = captureLines();
    const log = createRateLimitedLog(createLogger({ service: 's', destination: stream }), 60_000, {
      now: () => 0,
    });
    log.log({}, 'first warning');
    log.log({}, 'second warning');
    expect(lines.map((line) => line.msg)).toEqual(['first warning', 'second warning']);
  });

  it('flush writes pending counts', () => {
    const { stream, lines } = captureLines();
    const log = createRateLimitedLog(createLogger({ service: 's', destination: stream }), 60_000, {
      now: () => 0,
      level: 'error',
    });
    log.log({ file: 'a.json' }, 'sink rejected batch');
    log.log({ file: 'b.json' }, 'sink rejected batch');
    log.log({ file: 'c.json' }, 'sink rejected batch');
    log.flush();
    log.flush();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 'error', file: 'c.json', suppressed: 2 });
  });
});
