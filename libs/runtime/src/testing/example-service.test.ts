import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CONFIG_INVALID, EXIT_OK, EXIT_RUNTIME_FAILURE } from '../index.js';
import type { ChildService, LogLine } from '@ciem/testing';
import { startChildService } from '@ciem/testing';
import { fileURLToPath } from 'node:url';

const exampleServiceMain = fileURLToPath(new URL('./example-service/main.ts', import.meta.url));

const children: ChildService[] = [];

function start(env: Record<string, string>): ChildService {
  const service = startChildService(exampleServiceMain, {
    CIEM_PROBE_PORT: '0',
    CIEM_LOG_LEVEL: 'debug',
    CIEM_EXAMPLE_BATCH_MS: '200',
    ...env,
  });
  children.push(service);
  return service;
}

afterEach(async () => {
  for (const service of children.splice(0)) {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
  }
});

const message = (msg: string) => (line: LogLine) => line.msg === msg;

async function probeUrlOf(service: ChildService): Promise<string> {
  const started = await service.waitForLine(message('service started'));
  return String(started.probe_url);
}

describe('example service', () => {
  it('answers healthz, readyz and metrics', async () => {
    const service = start({});
    const url = await probeUrlOf(service);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    await service.waitForLine(message('batch started'));
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('ciem_slow_batch_records_in_total{topic="example.input"} 10');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(EXIT_OK);
  });

  it('finishes the batch on SIGTERM', async () => {
    const service = start({ CIEM_EXAMPLE_BATCH_MS: '1500', CIEM_SHUTDOWN_TIMEOUT_MS: '10000' });
    await probeUrlOf(service);
    const batchStarted = await service.waitForLine(message('batch started'));

    const signalledAt = performance.now();
    service.child.kill('SIGTERM');
    const code = await service.exited;
    const elapsedMs = performance.now() - signalledAt;

    expect(code).toBe(EXIT_OK);
    expect(elapsedMs).toBeLessThan(10_000);
    const messages = service.lines.map((line) => line.msg);
    const stoppingAt = messages.indexOf('service stopping');
    const batchDoneAt = service.lines.findIndex(
      (line) => line.msg === 'batch done' && line.batch === batchStarted.batch,
    );
    expect(stoppingAt).toBeGreaterThan(-1);
    expect(batchDoneAt).toBeGreaterThan(stoppingAt);
    expect(messages.indexOf('stage stopped')).toBeGreaterThan(batchDoneAt);
    expect(messages.at(-1)).toBe('service stopped');
    expect(service.lines.at(-1)?.exit_code).toBe(EXIT_OK);
  });

  it('fails readyz while stopping', async () => {
    const service = start({ CIEM_EXAMPLE_BATCH_MS: '1500' });
    const url = await probeUrlOf(service);
    await service.waitForLine(message('batch started'));

    service.child.kill('SIGTERM');
    await service.waitForLine(message('stopping stage'));
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not ready',
      reason: 'service is stopping',
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    expect(await service.exited).toBe(EXIT_OK);
  });

  it('names unfinished stage at deadline', async () => {
    const service = start({
      CIEM_EXAMPLE_STOP_HANGS_ENABLED: 'true',
      CIEM_SHUTDOWN_TIMEOUT_MS: '500',
    });
    await probeUrlOf(service);

    const signalledAt = performance.now();
    service.child.kill('SIGTERM');
    const code = await service.exited;

    expect(code).toBe(EXIT_RUNTIME_FAILURE);
    expect(performance.now() - signalledAt).toBeLessThan(5_000);
    const timedOut = service.lines.find((line) => line.msg?.startsWith('shutdown timed out'));
    expect(timedOut?.level).toBe('error');
    expect(timedOut?.unfinished).toEqual(['slow-batch']);
    expect(timedOut?.timeout_ms).toBe(500);
  });

  it('exits at once on second signal', async () => {
    const service = start({
      CIEM_EXAMPLE_STOP_HANGS_ENABLED: 'true',
      CIEM_SHUTDOWN_TIMEOUT_MS: '60000',
    });
    await probeUrlOf(service);

    service.child.kill('SIGTERM');
    await service.waitForLine(message('stop was configured to hang'));
    service.child.kill('SIGINT');
    const code = await service.exited;

    expect(code).toBe(EXIT_RUNTIME_FAILURE);
    const second = service.lines.find((line) => line.msg?.startsWith('second signal received'));
    expect(second?.level).toBe('fatal');
    expect(second?.signal).toBe('SIGINT');
    expect(second?.unfinished).toEqual(['slow-batch']);
  });

  it('rejects bad configuration with exit 2', async () => {
    const service = start({ CIEM_SHUTDOWN_TIMEOUT_MS: 'abc' });
    const code = await service.exited;

    expect(code).toBe(EXIT_CONFIG_INVALID);
    expect(service.otherOutput).toEqual([]);
    expect(service.lines).toHaveLength(1);
    const line = service.lines[0];
    expect(line?.level).toBe('fatal');
    expect(line?.code).toBe('CIEM_CONFIG_INVALID');
    expect(line?.msg).toBe(
      'invalid configuration: CIEM_SHUTDOWN_TIMEOUT_MS: expected a whole number of milliseconds ≥ 1, received "abc"',
    );
    expect(line?.problems).toEqual([
      'CIEM_SHUTDOWN_TIMEOUT_MS: expected a whole number of milliseconds ≥ 1, received "abc"',
    ]);
  });

  it('warns about unknown variables', async () => {
    const service = start({ CIEM_PROBE_PROT: '9' });
    await probeUrlOf(service);
    const warning = await service.waitForLine(message('configuration warning'));
    expect(warning.warning).toBe(
      'CIEM_PROBE_PROT is not a known setting and is ignored; did you mean CIEM_PROBE_PORT?',
    );
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(EXIT_OK);
  });
});
