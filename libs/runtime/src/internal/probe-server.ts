import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@ciem/telemetry';

/** The metrics source `/metrics` serves: a prom-client registry fits. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Readiness of the whole service, computed on each `/readyz` request. */
export interface Readiness {
  readonly ready: boolean;
  /** Reason the service is not ready; absent when ready. */
  readonly reason?: string;
  readonly stages: readonly { name: string; ready: boolean; detail?: string }[];
}

/** Options of `startProbeServer`. */
export interface ProbeServerOptions {
  host: string;
  port: number;
  logger: Logger;
  metrics: MetricsSource;
  readiness: () => Readiness;
}

/** A listening probe server. */
export interface ProbeServer {
  readonly host: string;
  /** The bound port, which differs from the requested one when that was 0. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts the probe server: `/healthz` (200 while the process runs), `/readyz` (200 when
 * every stage is ready and the service is not stopping, else 503 with the reason) and
 * `/metrics` (Prometheus text). Probes come every few seconds, so requests are not logged.
 *
 * @throws the listen error, such as `EADDRINUSE`, when the port cannot be bound.
 */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  // No fastify logger: probe requests are never logged, and the handlers log their own errors.
  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const readiness = options.readiness();
    if (readiness.ready) return { status: 'ready', stages: readiness.stages };
    return reply
      .code(503)
      .send({ status: 'not ready', reason: readiness.reason, stages: readiness.stages });
  });

  app.get('/metrics', async (_request, reply) => {
    try {
      const text = await options.metrics.metrics();
      return reply.type(options.metrics.contentType).send(text);
    } catch (error) {
      options.logger.warn({ err: error }, 'metrics collection failed');
      return reply.code(500).type('text/plain').send('metrics collection failed\n');
    }
  });

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  return {
    host: options.host,
    port,
    close: () => app.close(),
  };
}
