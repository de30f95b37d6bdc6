import type { EffectiveSetting } from '@ciem/config';
import { messageOf } from '@ciem/errors';
import type { Logger } from '@ciem/telemetry';
import type { ExitCode } from './exit-codes.js';
import { EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes.js';
import type { MetricsSource, ProbeServer, Readiness } from './probe-server.js';
import { startProbeServer } from './probe-server.js';
import type { Stage } from './stage.js';

/** Options of `runService`. */
export interface RunServiceOptions {
  /** Service name, logged at start and stop. */
  name: string;
  /** The loaded configuration; its effective values and warnings are logged at start. */
  config?: {
    readonly effective: Readonly<Record<string, EffectiveSetting>>;
    readonly warnings: readonly string[];
  };
  logger: Logger;
  /** Served at `/metrics`; a prom-client registry from `createMetrics`. */
  metrics: MetricsSource;
  /** Started in order, stopped in reverse order. */
  stages: readonly Stage[];
  /** Probe server address; host `127.0.0.1` and port 9464 by default, port 0 for any free port. */
  probe?: { host?: string; port?: number };
  /** Deadline of a graceful stop, in milliseconds, counted from the stop request. */
  shutdownTimeoutMs: number;
  /** Flushed after the stages stop, such as the `Tracing` from `startTracing`. */
  tracing?: { shutdown(): Promise<void> };
  /** Ends the process; `process.exit` by default. Tests pass their own. */
  exit?: (code: ExitCode) => void;
  /**
   * Installs handlers for SIGTERM, SIGINT, uncaught exceptions and unhandled rejections;
   * true by default. In-process tests turn it off and call `stop`.
   */
  handleProcessEvents?: boolean;
}

/** A started service. */
export interface RunningService {
  /** Base URL of the probe server, such as `http://127.0.0.1:9464`; empty when it never started. */
  readonly probeUrl: string;
  /** Requests a graceful stop, as SIGTERM does; later calls return the same promise. */
  stop(reason?: string): Promise<ExitCode>;
  /** Settles with the exit code passed to `exit`. */
  readonly exited: Promise<ExitCode>;
}

type State = 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Runs a service: starts the probe server, then the stages in order, and stops them in
 * reverse order on SIGTERM or SIGINT, a failed stage, or `stop()`. While stopping, `/readyz`
 * fails, progress is logged, and a deadline of `shutdownTimeoutMs` is armed: when it passes,
 * the unfinished stages are named in an `error` line and the process exits 1. A second signal
 * exits 1 at once. Exit codes are `EXIT_OK`, `EXIT_RUNTIME_FAILURE` and, from
 * `loadConfigOrExit`, `EXIT_CONFIG_INVALID`.
 *
 * Resolves once every stage has started, or once a failed start has been cleaned up; in both
 * cases `exited` settles when the process would end.
 */
export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const { logger } = options;
  const exitProcess = options.exit ?? ((code: ExitCode) => process.exit(code));
  const handleProcessEvents = options.handleProcessEvents ?? true;

  let state: State = 'starting';
  let server: ProbeServer | undefined;
  let exitCode: ExitCode = EXIT_OK;
  let stopping: Promise<ExitCode> | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let startingStage: string | undefined;
  const started: Stage[] = [];
  const unfinished = new Set<string>();

  let resolveExited: (code: ExitCode) => void = () => undefined;
  const exited = new Promise<ExitCode>((resolve) => {
    resolveExited = resolve;
  });
  let finished = false;

  const finish = (code: ExitCode): void => {
    if (finished) return;
    finished = true;
    state = 'stopped';
    clearTimeout(deadline);
    removeProcessHandlers();
    resolveExited(code);
    exitProcess(code);
  };

  const readiness = (): Readiness => {
    const stages = started.map((stage) => {
      try {
        const health = stage.health();
        return { name: stage.name, ready: health.ready, detail: health.detail };
      } catch (error) {
        return {
          name: stage.name,
          ready: false,
          detail: `health check failed: ${messageOf(error)}`,
        };
      }
    });
    if (state !== 'running') return { ready: false, reason: `service is ${state}`, stages };
    const notReady = stages.filter((stage) => !stage.ready).map((stage) => stage.name);
    if (notReady.length > 0) {
      return { ready: false, reason: `stages not ready: ${notReady.join(', ')}`, stages };
    }
    return { ready: true, stages };
  };

  const unfinishedNames = (): string[] =>
    startingStage === undefined ? [...unfinished] : [startingStage, ...unfinished];

  const stopStages = async (): Promise<void> => {
    for (const stage of [...started].reverse()) {
      const stageStarted = performance.now();
      logger.info({ stage: stage.name }, 'stopping stage');
      try {
        await stage.stop();
        logger.info(
          { stage: stage.name, duration_ms: Math.round(performance.now() - stageStarted) },
          'stage stopped',
        );
      } catch (error) {
        exitCode = EXIT_RUNTIME_FAILURE;
        logger.error(
          { stage: stage.name, err: error },
          'stage stop failed; its work may be uncommitted',
        );
      }
      unfinished.delete(stage.name);
    }
  };

  const stop = (reason: string, code: ExitCode): Promise<ExitCode> => {
    if (code !== EXIT_OK) exitCode = code;
    if (stopping !== undefined) return stopping;
    state = 'stopping';

    // This timer stays referenced on purpose: a stage whose stop() awaits a promise with no
    // handle behind it must still be cut off, and finish() clears the timer on every path.
    deadline = setTimeout(() => {
      logger.error(
        { unfinished: unfinishedNames(), timeout_ms: options.shutdownTimeoutMs },
        'shutdown timed out; unfinished work is left uncommitted',
      );
      finish(EXIT_RUNTIME_FAILURE);
    }, options.shutdownTimeoutMs);

    stopping = exited;
    void (async () => {
      logger.info({ reason, timeout_ms: options.shutdownTimeoutMs }, 'service stopping');
      await startup;
      await stopStages();

      if (options.tracing !== undefined) {
        unfinished.add('tracing');
        await options.tracing.shutdown();
        unfinished.delete('tracing');
      }
      if (server !== undefined) {
        unfinished.add('probe server');
        try {
          await server.close();
        } catch (error) {
          logger.warn({ err: error }, 'probe server close failed');
        }
        unfinished.delete('probe server');
      }

      if (!finished) {
        logger.info({ exit_code: exitCode }, 'service stopped');
        finish(exitCode);
      }
    })();
    return stopping;
  };

  const failStage = (stageName: string, error: unknown): void => {
    logger.fatal({ stage: stageName, err: error }, 'stage failed; stopping the service');
    void stop(`stage ${stageName} failed`, EXIT_RUNTIME_FAILURE);
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping === undefined) {
      void stop(signal, EXIT_OK);
      return;
    }
    logger.fatal(
      { signal, unfinished: unfinishedNames() },
      'second signal received; exiting without finishing',
    );
    finish(EXIT_RUNTIME_FAILURE);
  };
  const onUncaught = (error: unknown): void => {
    logger.fatal({ err: error }, 'uncaught exception; stopping the service');
    void stop('uncaught exception', EXIT_RUNTIME_FAILURE);
  };

  function removeProcessHandlers(): void {
    if (!handleProcessEvents) return;
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }

  if (handleProcessEvents) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
  }

  logger.info({ name: options.name, config: options.config?.effective ?? {} }, 'service starting');
  for (const warning of options.config?.warnings ?? []) {
    logger.warn({ warning }, 'configuration warning');
  }

  const startAll = async (): Promise<boolean> => {
    try {
      server = await startProbeServer({
        host: options.probe?.host ?? '127.0.0.1',
        port: options.probe?.port ?? 9464,
        logger,
        metrics: options.metrics,
        readiness,
      });
    } catch (error) {
      logger.fatal({ err: error, probe: options.probe }, 'probe server failed to start');
      return false;
    }

    for (const stage of options.stages) {
      if (stopping !== undefined) return true;
      startingStage = stage.name;
      logger.info({ stage: stage.name }, 'starting stage');
      try {
        await stage.start({ fail: (error) => failStage(stage.name, error) });
      } catch (error) {
        startingStage = undefined;
        logger.fatal(
          { stage: stage.name, err: error },
          'stage failed to start; stopping the service',
        );
        return false;
      }
      startingStage = undefined;
      started.push(stage);
      unfinished.add(stage.name);
      logger.info({ stage: stage.name }, 'stage started');
    }
    return true;
  };

  const startup: Promise<boolean> = startAll();
  const startedCleanly = await startup;
  const probeUrl = server === undefined ? '' : `http://${formatHost(server.host)}:${server.port}`;

  if (!startedCleanly) {
    void stop('start failed', EXIT_RUNTIME_FAILURE);
  } else if (stopping === undefined) {
    state = 'running';
    logger.info(
      { name: options.name, probe_url: probeUrl, stages: started.map((stage) => stage.name) },
      'service started',
    );
  }

  return {
    probeUrl,
    stop: (reason = 'stop requested') => stop(reason, EXIT_OK),
    exited,
  };
}

/** Brackets an IPv6 literal for use in a URL. */
function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
