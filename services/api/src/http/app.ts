/**
 * The fastify application of the query API: authentication, roles, rate limiting,
 * validation errors, request metrics, the OpenAPI document and the `/v1` routes.
 *
 * Access policy: every `/v1` route needs a valid API key or JWT. Reads need role `read` or
 * `admin`, and acknowledging an alert needs `admin`. `/openapi.json` and `/docs` are public
 * when enabled, because they contain no data. `/healthz`, `/readyz` and `/metrics` are on
 * the separate probe port, without authentication, as in every service.
 */
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { GroupTopic, PartitionLagLike, QueryStoreOptions, WindowLimits } from '@ciem/query';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator, Caller, Role } from '../auth.js';
import { authFailuresBlockedError, forbiddenError, rateLimitedError } from '../errors.js';
import { createAuthFailureLimiter } from './auth-failures.js';
import { formatSchemaErrors, routeNotFound, sendError } from './errors-handler.js';
import { createRequestMetrics } from './request-metrics.js';
import { registerAlertRoutes } from './routes/alerts.js';
import { registerEventRoutes } from './routes/events.js';
import { registerPipelineRoutes } from './routes/pipeline.js';
import { registerPrincipalRoutes } from './routes/principals.js';
import { registerRecommendationRoutes } from './routes/recommendations.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    /** Lowest role the route needs; `read` when absent. */
    role?: Role;
    /** Served without authentication or rate limit. */
    public?: boolean;
  }
}

/** Options of `buildApiApp`. */
export interface ApiAppOptions {
  store: QueryStoreOptions;
  authenticator: Authenticator;
  /** Requests per caller, and failed authentications per client address, per window. */
  rateLimit: { max: number; windowMs: number; authFailuresMax: number };
  window: WindowLimits;
  page: { defaultRows: number; maxRows: number };
  docsEnabled: boolean;
  lag: {
    pairs: readonly GroupTopic[];
    timeoutMs: number;
    fetchLag: (group: string, topic: string) => Promise<readonly PartitionLagLike[]>;
  };
  logger: Logger;
  metrics: MetricsRegistry;
  /** Clock of the default windows and acknowledgements; `Date.now` by default. */
  now?: () => number;
}

/** Dependencies and limits passed to each route module. */
export interface RouteContext {
  store: QueryStoreOptions;
  window: WindowLimits;
  page: { defaultRows: number; maxRows: number };
  lag: ApiAppOptions['lag'];
  now: () => number;
}

const ROLE_RANK: Readonly<Record<Role, number>> = { none: 0, read: 1, admin: 2 };

/** Builds the application, ready for `listen` or `inject`. */
export async function buildApiApp(options: ApiAppOptions): Promise<FastifyInstance> {
  const logger = options.logger;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Requests are logged at debug level by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, verbose: true, allErrors: false } },
    schemaErrorFormatter: (errors, dataVar) => formatSchemaErrors(errors, dataVar),
  });

  const observe = createRequestMetrics(options.metrics);
  app.addHook('onResponse', async (request, reply) => {
    observe(request.routeOptions.url, request.method, reply.statusCode, reply.elapsedTime / 1000);
    logger.debug(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime),
        caller: request.caller?.id,
      },
      'request served',
    );
  });

  app.setErrorHandler((error, request, reply) => sendError(logger, error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(logger, routeNotFound(request), request, reply),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'CIEM query API',
        version: '1.0.0',
        description:
          'Principals, right-sizing recommendations and reports, anomaly alerts, event search and pipeline status. Times are epoch milliseconds in responses and RFC 3339 in parameters.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key or JWT.' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });
  if (options.docsEnabled) {
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, () =>
      app.swagger(),
    );
  }

  const isPublic = (request: FastifyRequest): boolean =>
    request.routeOptions.config.public === true ||
    (options.docsEnabled && (request.routeOptions.url ?? '').startsWith('/docs'));

  const now = options.now ?? Date.now;
  const authFailures = createAuthFailureLimiter({
    max: options.rateLimit.authFailuresMax,
    windowMs: options.rateLimit.windowMs,
    now,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (isPublic(request)) return;
    const retryAfter = authFailures.retryAfterSeconds(request.ip);
    if (retryAfter > 0) {
      reply.header('retry-after', String(retryAfter));
      throw authFailuresBlockedError(
        options.rateLimit.authFailuresMax,
        options.rateLimit.windowMs,
        retryAfter,
      );
    }
    let caller: Caller;
    try {
      caller = await options.authenticator.authenticate(request.headers);
    } catch (error) {
      authFailures.recordFailure(request.ip);
      throw error;
    }
    request.caller = caller;
    const required = request.routeOptions.config.role ?? 'read';
    if (ROLE_RANK[caller.role] < ROLE_RANK[required]) {
      throw forbiddenError(caller.id, caller.role, required);
    }
  });

  await app.register(rateLimit, {
    global: true,
    hook: 'preValidation',
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    keyGenerator: (request) => request.caller?.id ?? `ip:${request.ip}`,
    allowList: (request) => isPublic(request),
    errorResponseBuilder: (_request, context) => {
      const error = rateLimitedError(
        context.max,
        options.rateLimit.windowMs,
        Math.ceil(context.ttl / 1000),
      );
      return Object.assign(error, { statusCode: 429 });
    },
  });

  const context: RouteContext = {
    store: options.store,
    window: options.window,
    page: options.page,
    lag: options.lag,
    now,
  };
  await app.register(
    async (v1) => {
      registerPrincipalRoutes(v1, context);
      registerRecommendationRoutes(v1, context);
      registerAlertRoutes(v1, context);
      registerEventRoutes(v1, context);
      registerPipelineRoutes(v1, context);
    },
    { prefix: '/v1' },
  );
  return app;
}
