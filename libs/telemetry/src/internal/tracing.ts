import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { DiagLogger, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { messageOf } from '@ciem/errors';
import type { Logger } from './logger.js';
import { createRateLimitedLog } from './rate-limited-log.js';

/** Options of `startTracing`. */
export interface TracingOptions {
  /** Service name, the `service.name` resource attribute of every span. */
  service: string;
  /**
   * Base URL of an OTLP/HTTP collector, such as `http://127.0.0.1:4318`; spans go to
   * `<otlpEndpoint>/v1/traces`, as for the standard `OTEL_EXPORTER_OTLP_ENDPOINT`.
   */
  otlpEndpoint?: string;
  /** An exporter that takes precedence over `otlpEndpoint`; tests pass an in-memory one. */
  exporter?: SpanExporter;
  /** Where export and setup failures are logged, at most once a minute per message. */
  logger?: Logger;
  /**
   * Maximum wait for pending spans at shutdown, in milliseconds; 3000 by default. The OTLP
   * exporter keeps retrying an unreachable collector for seconds, which would eat the stop deadline.
   */
  shutdownTimeoutMs?: number;
}

/** Running tracing: the service's tracer and the one call that flushes and ends it. */
export interface Tracing {
  readonly tracer: Tracer;
  /** False when neither an exporter nor an endpoint was given: the tracer is a no-op. */
  readonly enabled: boolean;
  /** Flushes pending spans and unregisters the global provider. Never rejects; repeats are no-ops. */
  shutdown(): Promise<void>;
}

/** Returns the URL spans are posted to, following the OTLP exporter spec for a base endpoint. */
function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

/** Sends OpenTelemetry's own diagnostics to the service log, rate-limited, at warn or above. */
function diagnosticsLogger(logger: Logger): DiagLogger {
  const child = logger.child({ component: 'opentelemetry' });
  const limited = createRateLimitedLog(child, 60_000);
  const write = (message: string, ...args: unknown[]) =>
    limited.log({ detail: args.map((arg) => messageOf(arg)).join(' ') }, message);
  const ignore = () => undefined;
  return { error: write, warn: write, info: ignore, debug: ignore, verbose: ignore };
}

function noopTracing(service: string): Tracing {
  return {
    tracer: trace.getTracer(service),
    enabled: false,
    shutdown: () => Promise.resolve(),
  };
}

/**
 * Starts tracing for the process: a `BasicTracerProvider` registered as the global provider,
 * with the async-hooks context manager and the W3C propagator. Spans go to `exporter` at once
 * when one is given, else in batches to the OTLP/HTTP collector at `otlpEndpoint`. With
 * neither, tracing is off and the tracer is a no-op. Setup failures are logged and leave
 * tracing off; nothing here throws.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (options.exporter === undefined && options.otlpEndpoint === undefined) {
    return noopTracing(options.service);
  }

  try {
    if (options.logger !== undefined) {
      diag.setLogger(diagnosticsLogger(options.logger), DiagLogLevel.WARN);
    }

    const processor: SpanProcessor =
      options.exporter === undefined
        ? new BatchSpanProcessor(
            new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint ?? '') }),
          )
        : new SimpleSpanProcessor(options.exporter);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service }),
      spanProcessors: [processor],
    });

    const contextManager = new AsyncLocalStorageContextManager().enable();
    const registered = [
      context.setGlobalContextManager(contextManager),
      trace.setGlobalTracerProvider(provider),
      propagation.setGlobalPropagator(new W3CTraceContextPropagator()),
    ];
    if (registered.includes(false)) {
      options.logger?.warn(
        { service: options.service },
        'tracing was already started in this process; spans may go to the earlier provider',
      );
    }

    const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 3000;
    let stopped: Promise<void> | undefined;
    const stop = async (): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => {
        timer = setTimeout(() => resolve('timed out'), shutdownTimeoutMs);
        timer.unref();
      });
      try {
        const outcome = await Promise.race([provider.shutdown(), timedOut]);
        if (outcome === 'timed out') {
          options.logger?.warn(
            { timeout_ms: shutdownTimeoutMs },
            'tracing shutdown timed out; pending spans are lost',
          );
        }
      } catch (error) {
        options.logger?.warn({ err: error }, 'tracing shutdown failed; pending spans are lost');
      } finally {
        clearTimeout(timer);
      }
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    };

    return {
      tracer: provider.getTracer(options.service),
      enabled: true,
      shutdown() {
        stopped ??= stop();
        return stopped;
      },
    };
  } catch (error) {
    options.logger?.error({ err: error }, 'tracing setup failed; tracing is off');
    return noopTracing(options.service);
  }
}
