import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkLagInterval, startLagReporter } from './lag-reporter.js';
import type { KafkaLogger, PartitionLag } from './types.js';

const lag = (partition: number, value: number): PartitionLag => ({
  topic: 'ciem.raw.aws.cloudtrail',
  partition,
  highWatermark: String(value),
  committedOffset: '0',
  lag: value,
});

function recordingLogger(): { logger: KafkaLogger; warnings: string[]; debugs: string[] } {
  const warnings: string[] = [];
  const debugs: string[] = [];
  return {
    warnings,
    debugs,
    logger: {
      debug: (_fields, message) => debugs.push(message),
      info: () => {},
      warn: (_fields, message) => warnings.push(message),
      error: () => {},
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('startLagReporter', () => {
  it('reports at once and every interval', async () => {
    vi.useFakeTimers();
    const reports: Array<{ group: string; lags: readonly PartitionLag[] }> = [];
    let value = 5;
    const stop = startLagReporter({
      groupId: 'ciem-normalizer',
      fetchLag: () => Promise.resolve([lag(0, value++)]),
      onLag: (group, lags) => reports.push({ group, lags }),
      intervalMs: 1000,
      logger: recordingLogger().logger,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual({ group: 'ciem-normalizer', lags: [lag(0, 5)] });

    await vi.advanceTimersByTimeAsync(2000);
    expect(reports).toHaveLength(3);
    expect(reports[2]?.lags[0]?.lag).toBe(7);

    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(reports).toHaveLength(3);
  });

  it('warns once per run of failures', async () => {
    vi.useFakeTimers();
    const { logger, warnings, debugs } = recordingLogger();
    let fail = true;
    const reports: number[] = [];
    const stop = startLagReporter({
      groupId: 'g',
      fetchLag: () => (fail ? Promise.reject(new Error('broker down')) : Promise.resolve([])),
      onLag: () => reports.push(1),
      intervalMs: 1000,
      logger,
    });
    await vi.advanceTimersByTimeAsync(2000);
    expect(warnings).toHaveLength(1);
    expect(debugs).toHaveLength(2);

    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toHaveLength(1);
    fail = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(warnings).toHaveLength(2);
    stop();
  });

  it('skips a tick while a fetch runs', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const stop = startLagReporter({
      groupId: 'g',
      fetchLag: () => {
        calls += 1;
        return new Promise<PartitionLag[]>(() => {});
      },
      onLag: () => {},
      intervalMs: 1000,
      logger: recordingLogger().logger,
    });
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(1);
    stop();
  });
});

describe('checkLagInterval', () => {
  it('defaults to fifteen seconds', () => {
    expect(checkLagInterval(undefined)).toBe(15_000);
  });

  it('rejects intervals under a second', () => {
    expect(() => checkLagInterval(500)).toThrow(/lagIntervalMs/);
    expect(() => checkLagInterval(1500.5)).toThrow(/lagIntervalMs/);
  });
});
