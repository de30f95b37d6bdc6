import { Writable } from 'node:stream';
import { createLogger, createMetrics } from '@ciem/telemetry';
import { describe, expect, it } from 'vitest';
import type { ExitCode } from './exit-codes.js';
import { EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes.js';
import type { RunServiceOptions } from './run-service.js';
import { runService } from './run-service.js';
import type { Stage, StageContext } from './stage.js';

interface Harness {
  lines: Record<string, unknown>[];
  exits: ExitCode[];
  events: string[];
  options: (stages: Stage[], extra?: Partial<RunServiceOptions>) => RunServiceOptions;
}

function harness(): Harness {
  const lines: Record<string, unknown>[] = [];
  const exits: ExitCode[] = [];
  const events: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text !== '') lines.push(JSON.parse(text) as Record<string, unknown>);
      }
      callback();
    },
  });
  const logger = createLogger({ service: 'test', level: 'debug', destination });
  return {
    lines,
    exits,
    events,
    options: (stages, extra = {}) => ({
      name: 'test',
      logger,
      metrics: createMetrics({ defaultMetrics: false }),
      stages,
      probe: { host: '127.0.0.1', port: 0 },
      shutdownTimeoutMs: 5_000,
      exit: (code) => exits.push(code),
      handleProcessEvents: false,
      ...extra,
    }),
  };
}

function recordingStage(
  name: string,
  events: string[],
  overrides: Partial<Stage> & { onStart?: (context: StageContext) => void } = {},
): Stage {
  return {
    name,
    async start(context) {
      events.push(`start ${name}`);
      overrides.onStart?.(context);
    },
    async stop() {
      events.push(`stop ${name}`);
    },
    health: () => ({ ready: true }),
    ...overrides,
  };
}

const findLine = (lines: Record<string, unknown>[], msg: string) =>
  lines.find((line) => line.msg === msg);

describe('runService', () => {
  it('stops stages in reverse order', async () => {
    const { options, events, exits, lines } = harness();
    const service = await runService(
      options([recordingStage('source', events), recordingStage('sink', events)]),
    );
    expect(await service.stop()).toBe(EXIT_OK);
    expect(events).toEqual(['start source', 'start sink', 'stop sink', 'stop source']);
    expect(exits).toEqual([EXIT_OK]);
    expect(findLine(lines, 'service stopped')?.exit_code).toBe(EXIT_OK);
  });

  it('stop is idempotent', async () => {
    const { options, events, exits } = harness();
    const service = await runService(options([recordingStage('only', events)]));
    const [first, second] = await Promise.all([service.stop(), service.stop()]);
    expect(first).toBe(EXIT_OK);
    expect(second).toBe(EXIT_OK);
    expect(await service.stop()).toBe(EXIT_OK);
    expect(events.filter((event) => event.startsWith('stop'))).toEqual(['stop only']);
    expect(exits).toEqual([EXIT_OK]);
  });

  it('cleans up after a failed start', async () => {
    const { options, events, exits, lines } = harness();
    const service = await runService(
      options([
        recordingStage('first', events),
        recordingStage('broken', events, {
          start: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9092')),
        }),
        recordingStage('never', events),
      ]),
    );
    expect(await service.exited).toBe(EXIT_RUNTIME_FAILURE);
    expect(events).toEqual(['start first', 'stop first']);
    expect(exits).toEqual([EXIT_RUNTIME_FAILURE]);
    const fatal = lines.find((line) => line.level === 'fatal');
    expect(fatal?.stage).toBe('broken');
    expect(fatal?.msg).toBe('stage failed to start; stopping the service');
    expect((fatal?.err as { message: string }).message).toBe('connect ECONNREFUSED 127.0.0.1:9092');
  });

  it('stops when a run loop fails', async () => {
    const { options, events, exits, lines } = harness();
    let failLoop: (error: unknown) => void = () => undefined;
    const service = await runService(
      options([
        recordingStage('source', events),
        recordingStage('loop', events, { onStart: (context) => (failLoop = context.fail) }),
      ]),
    );
    failLoop(new Error('consumer crashed'));
    expect(await service.exited).toBe(EXIT_RUNTIME_FAILURE);
    expect(events).toEqual(['start source', 'start loop', 'stop loop', 'stop source']);
    expect(exits).toEqual([EXIT_RUNTIME_FAILURE]);
    const fatal = lines.find((line) => line.level === 'fatal');
    expect(fatal?.stage).toBe('loop');
    expect(fatal?.msg).toBe('stage failed; stopping the service');
  });

  it('logs stop errors and exits 1', async () => {
    const { options, events, exits, lines } = harness();
    const service = await runService(
      options([
        recordingStage('source', events),
        recordingStage('sink', events, { stop: () => Promise.reject(new Error('flush failed')) }),
      ]),
    );
    expect(await service.stop()).toBe(EXIT_RUNTIME_FAILURE);
    expect(events).toEqual(['start source', 'start sink', 'stop source']);
    expect(exits).toEqual([EXIT_RUNTIME_FAILURE]);
    const failed = findLine(lines, 'stage stop failed; its work may be uncommitted');
    expect(failed?.level).toBe('error');
    expect(failed?.stage).toBe('sink');
  });

  it('names stages at the deadline', async () => {
    const { options, events, exits, lines } = harness();
    const service = await runService(
      options(
        [
          recordingStage('source', events),
          recordingStage('stuck', events, { stop: () => new Promise(() => undefined) }),
        ],
        { shutdownTimeoutMs: 100 },
      ),
    );
    expect(await service.stop()).toBe(EXIT_RUNTIME_FAILURE);
    expect(exits).toEqual([EXIT_RUNTIME_FAILURE]);
    const timedOut = findLine(lines, 'shutdown timed out; unfinished work is left uncommitted');
    expect(timedOut?.unfinished).toEqual(['source', 'stuck']);
  });

  it('reports unready stages on readyz', async () => {
    const { options, events } = harness();
    let ready = false;
    const service = await runService(
      options([
        recordingStage('lagging', events, {
          health: () => ({ ready, detail: ready ? 'caught up' : 'lag 5000 records' }),
        }),
      ]),
    );

    const notReady = await fetch(`${service.probeUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: 'not ready',
      reason: 'stages not ready: lagging',
      stages: [{ name: 'lagging', ready: false, detail: 'lag 5000 records' }],
    });

    ready = true;
    const nowReady = await fetch(`${service.probeUrl}/readyz`);
    expect(nowReady.status).toBe(200);
    expect(await nowReady.json()).toEqual({
      status: 'ready',
      stages: [{ name: 'lagging', ready: true, detail: 'caught up' }],
    });

    await service.stop();
  });

  it('exits 1 when the port is taken', async () => {
    const first = harness();
    const holder = await runService(first.options([]));
    const port = Number(new URL(holder.probeUrl).port);

    const { options, events, exits, lines } = harness();
    const service = await runService(
      options([recordingStage('never', events)], { probe: { host: '127.0.0.1', port } }),
    );
    expect(await service.exited).toBe(EXIT_RUNTIME_FAILURE);
    expect(events).toEqual([]);
    expect(exits).toEqual([EXIT_RUNTIME_FAILURE]);
    expect(findLine(lines, 'probe server failed to start')?.level).toBe('fatal');

    await holder.stop();
  });

  it('flushes tracing after stages', async () => {
    const { options, events } = harness();
    const service = await runService(
      options([recordingStage('only', events)], {
        tracing: {
          shutdown: async () => {
            events.push('tracing shutdown');
          },
        },
      }),
    );
    await service.stop();
    expect(events).toEqual(['start only', 'stop only', 'tracing shutdown']);
  });
});
