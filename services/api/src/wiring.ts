import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ConfigValues } from '@ciem/config';
import { describeValue, messageOf } from '@ciem/errors';
import { createKafkaClient, kafkaSecurityOptions } from '@ciem/kafka';
import type { KafkaClient } from '@ciem/kafka';
import type { GroupTopic } from '@ciem/query';
import type { Stage } from '@ciem/runtime';
import { retryWhileUnavailable } from '@ciem/runtime';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import { stageLogger } from '@ciem/telemetry';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from './auth.js';
import { createApiKeyAuthenticator, createJwtAuthenticator } from './auth.js';
import type { apiSchema } from './config.js';
import { invalidAuthConfigError, invalidLagGroupsError } from './errors.js';
import { buildApiApp } from './http/app.js';

/** Values of the API's configuration. */
export type ApiConfig = ConfigValues<typeof apiSchema>;

const STAGE = 'api';
const DAY_MS = 86_400_000;

/**
 * Creates the authenticator of the configured mode. Throws `ConfigError`
 * `CIEM_API_INVALID_AUTH_CONFIG` for missing or malformed keys.
 */
export function createAuthenticator(config: ApiConfig): Authenticator {
  if (config.authMode === 'api-key') return createApiKeyAuthenticator(config.apiKeys);
  let publicKeyPem: string | undefined;
  if (config.jwtPublicKeyPath !== undefined) {
    try {
      publicKeyPem = readFileSync(config.jwtPublicKeyPath, 'utf8');
    } catch (error) {
      throw invalidAuthConfigError(
        `CIEM_API_JWT_PUBLIC_KEY_PATH: expected a readable PEM file, received ${describeValue(config.jwtPublicKeyPath)} (${messageOf(error)})`,
      );
    }
  }
  return createJwtAuthenticator({
    secret: config.jwtSecret,
    publicKeyPem,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    roleClaim: config.jwtRoleClaim,
  });
}

/**
 * Parses `CIEM_API_LAG_GROUPS` entries `<group>=<topic>` and puts the topic prefix in front
 * of each topic. Throws `ConfigError` `CIEM_API_INVALID_LAG_GROUPS`.
 */
export function parseLagGroups(entries: readonly string[], topicPrefix: string): GroupTopic[] {
  return entries.map((entry) => {
    const match = /^([^=\s]+)=([^=\s]+)$/.exec(entry.trim());
    if (match === null) throw invalidLagGroupsError(entry);
    return { group: match[1] as string, topic: `${topicPrefix}${match[2] as string}` };
  });
}

/** The API stage, with the address it listens on once started. */
export interface ApiStage extends Stage {
  /** Base URL such as `http://127.0.0.1:8080`; empty before start. */
  url(): string;
}

/**
 * Builds the API stage. Configuration is checked here, before anything connects. Its
 * `start` applies the migrations when enabled, then listens; `stop` stops accepting
 * requests, lets the ones in flight finish and closes the clients.
 */
export function wireApi(
  config: ApiConfig,
  telemetry: { logger: Logger; metrics: MetricsRegistry },
): ApiStage {
  const logger = stageLogger(telemetry.logger, STAGE);
  const authenticator = createAuthenticator(config);
  const lagPairs = parseLagGroups(config.lagGroups, config.topicPrefix);
  const clickhouse: ClickHouse = createClickHouse({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    username: config.clickhouseUser,
    ...(config.clickhousePassword === undefined ? {} : { password: config.clickhousePassword }),
    requestTimeoutMs: config.queryTimeoutMs + 5_000,
    logger: logger.child({ component: 'clickhouse' }),
  });
  let kafka: KafkaClient | undefined;
  let app: FastifyInstance | undefined;
  let listening = false;
  let baseUrl = '';

  return {
    name: STAGE,
    url: () => baseUrl,
    async start() {
      if (config.migrations) {
        await retryWhileUnavailable('applying ClickHouse migrations', logger, () =>
          runMigrations({ client: clickhouse, database: config.clickhouseDatabase, logger }),
        );
      }
      app = await buildApiApp({
        store: {
          clickhouse,
          database: config.clickhouseDatabase,
          maxExecutionSeconds: Math.ceil(config.queryTimeoutMs / 1000),
        },
        authenticator,
        rateLimit: {
          max: config.rateLimitMax,
          windowMs: config.rateLimitWindowMs,
          authFailuresMax: config.authFailuresMax,
        },
        window: {
          defaultMs: config.windowDefaultDays * DAY_MS,
          maxMs: config.windowMaxDays * DAY_MS,
        },
        page: { defaultRows: config.pageDefaultRows, maxRows: config.pageMaxRows },
        docsEnabled: config.docsEnabled,
        lag: {
          pairs: lagPairs,
          timeoutMs: config.lagTimeoutMs,
          fetchLag: (group, topic) => {
            kafka ??= createKafkaClient({
              brokers: config.kafkaBrokers,
              clientId: 'ciem-api',
              logger: logger.child({ component: 'kafka' }),
              ...kafkaSecurityOptions(config),
            });
            return kafka.fetchLag(group, topic);
          },
        },
        logger,
        metrics: telemetry.metrics,
      });
      await app.listen({ host: config.apiHost, port: config.apiPort });
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      baseUrl = `http://${host}:${address.port}`;
      listening = true;
      logger.info({ url: baseUrl, auth_mode: authenticator.scheme }, 'API listening');
    },
    async stop() {
      listening = false;
      try {
        await app?.close();
      } finally {
        await kafka?.close();
        await clickhouse.close();
      }
    },
    health: () =>
      listening ? { ready: true, detail: baseUrl } : { ready: false, detail: 'not listening' },
  };
}
