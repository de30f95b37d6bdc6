/**
 * Builds the API against a fresh, migrated ClickHouse database with the fixture rows, for
 * the integration tests. The caller drops the database with `close`.
 */
import type { ClickHouse } from '@ciem/clickhouse';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { GroupTopic, PartitionLagLike } from '@ciem/query';
import { createLogger, createMetrics } from '@ciem/telemetry';
import type { MetricsRegistry } from '@ciem/telemetry';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth.js';
import { createApiKeyAuthenticator, hashApiKey } from '../auth.js';
import { buildApiApp } from '../http/app.js';
import { DAY_MS, seedFixtures } from './fixtures.js';

/** Keys of the test authenticator: one per role. */
export const READ_KEY = 'read-key-3f9c1e7a5b2d4c6e8f0a1b2c3d4e5f60';
export const ADMIN_KEY = 'admin-key-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** `CIEM_API_KEYS` entries of the two test keys. */
export const TEST_KEY_ENTRIES = [
  `reader:read:${hashApiKey(READ_KEY)}`,
  `operator:admin:${hashApiKey(ADMIN_KEY)}`,
];

/** A seeded database and the ClickHouse client that reaches it. */
export interface SeededStore {
  clickhouse: ClickHouse;
  database: string;
  /** The time the fixture rows are relative to, epoch milliseconds. */
  now: number;
  close(): Promise<void>;
}

/**
 * Creates the database (a random name from the test), applies the migrations and inserts
 * the fixtures. `url` is the ClickHouse HTTP endpoint.
 */
export async function createSeededStore(url: string, database: string): Promise<SeededStore> {
  const clickhouse = createClickHouse({ url, database });
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  // Whole seconds, so the fixture times survive DateTime columns unchanged.
  const now = Math.floor(Date.now() / 1000) * 1000;
  await seedFixtures(clickhouse, database, now);
  return {
    clickhouse,
    database,
    now,
    close: async () => {
      await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`);
      await clickhouse.close();
    },
  };
}

/** Options of `buildTestApp`. */
export interface TestAppOptions {
  authenticator?: Authenticator;
  rateLimitMax?: number;
  authFailuresMax?: number;
  lagPairs?: readonly GroupTopic[];
  fetchLag?: (group: string, topic: string) => Promise<readonly PartitionLagLike[]>;
  metrics?: MetricsRegistry;
}

/** Builds the API on a seeded store: 7-day default window, 90-day maximum, pages of 100. */
export function buildTestApp(
  store: SeededStore,
  options: TestAppOptions = {},
): Promise<FastifyInstance> {
  return buildApiApp({
    store: { clickhouse: store.clickhouse, database: store.database },
    authenticator: options.authenticator ?? createApiKeyAuthenticator(TEST_KEY_ENTRIES),
    rateLimit: {
      max: options.rateLimitMax ?? 10_000,
      windowMs: 60_000,
      authFailuresMax: options.authFailuresMax ?? 10_000,
    },
    window: { defaultMs: 7 * DAY_MS, maxMs: 90 * DAY_MS },
    page: { defaultRows: 100, maxRows: 1_000 },
    docsEnabled: true,
    lag: {
      pairs: options.lagPairs ?? [],
      timeoutMs: 5_000,
      fetchLag:
        options.fetchLag ??
        (() => Promise.reject(new Error('no Kafka client in this test application'))),
    },
    logger: createLogger({ service: 'api-test', level: 'warn' }),
    metrics: options.metrics ?? createMetrics({ defaultMetrics: false }),
    now: () => store.now,
  });
}
