import { setting } from '@ciem/config';
import { clickhouseConnectionSettings } from '@ciem/clickhouse';
import { kafkaConnectionSettings, kafkaSecuritySettings } from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the query API service: the shared service settings plus its own. */
export const apiSchema = {
  ...serviceSettings,
  apiHost: setting.string({
    env: 'CIEM_API_HOST',
    description: 'Address the API listens on; set `0.0.0.0` in containers.',
    default: '127.0.0.1',
  }),
  apiPort: setting.integer({
    env: 'CIEM_API_PORT',
    description: 'TCP port of the API; 0 picks a free port and logs it.',
    default: 8080,
    min: 0,
    max: 65535,
  }),
  authMode: setting.enum({
    env: 'CIEM_API_AUTH_MODE',
    description:
      '`api-key` checks `Authorization: Bearer <key>` or `X-API-Key` against `CIEM_API_KEYS`; `jwt` verifies a bearer JWT with `CIEM_API_JWT_SECRET` or `CIEM_API_JWT_PUBLIC_KEY_PATH`.',
    values: ['api-key', 'jwt'] as const,
    default: 'api-key',
  }),
  apiKeys: setting.list({
    env: 'CIEM_API_KEYS',
    description:
      'API keys as comma-separated `<key id>:<role>:<SHA-256 of the key in hex>`, role `read` or `admin`; only hashes are configured, never the keys. Required with `api-key`.',
    secret: true,
    default: [],
  }),
  jwtSecret: setting.string({
    env: 'CIEM_API_JWT_SECRET',
    description: 'Shared secret of HS256 tokens, at least 32 bytes.',
    secret: true,
    optional: true,
  }),
  jwtPublicKeyPath: setting.string({
    env: 'CIEM_API_JWT_PUBLIC_KEY_PATH',
    description: 'PEM file of the public key (SPKI) of RS256 or ES256 tokens.',
    optional: true,
  }),
  jwtIssuer: setting.string({
    env: 'CIEM_API_JWT_ISSUER',
    description: 'Required `iss` claim of tokens; unset accepts any issuer.',
    optional: true,
  }),
  jwtAudience: setting.string({
    env: 'CIEM_API_JWT_AUDIENCE',
    description: 'Required `aud` claim of tokens; unset accepts any audience.',
    optional: true,
  }),
  jwtRoleClaim: setting.string({
    env: 'CIEM_API_JWT_ROLE_CLAIM',
    description:
      'Claim holding the caller\u2019s role, a string or an array of strings; `admin` may acknowledge alerts, `read` may only read.',
    default: 'roles',
  }),
  rateLimitMax: setting.integer({
    env: 'CIEM_API_RATE_LIMIT_MAX',
    description: 'Requests one key or token subject may make per rate-limit window; more get 429.',
    default: 600,
    min: 1,
    unit: 'requests',
  }),
  rateLimitWindowMs: setting.duration({
    env: 'CIEM_API_RATE_LIMIT_WINDOW_MS',
    description: 'Length of the rate-limit window.',
    default: 60_000,
    min: 1_000,
  }),
  authFailuresMax: setting.integer({
    env: 'CIEM_API_AUTH_FAILURES_MAX',
    description:
      'Failed authentications one client address may make per rate-limit window; after that the address gets 429 until the window ends, even with valid credentials.',
    default: 100,
    min: 1,
    unit: 'requests',
  }),
  windowDefaultDays: setting.integer({
    env: 'CIEM_API_WINDOW_DEFAULT_DAYS',
    description: 'Time window of a query that gives no `from`, ending at `to` (default now).',
    default: 7,
    min: 1,
    unit: 'days',
  }),
  windowMaxDays: setting.integer({
    env: 'CIEM_API_WINDOW_MAX_DAYS',
    description: 'Maximum time window of one request; longer windows get 400.',
    default: 90,
    min: 1,
    unit: 'days',
  }),
  pageDefaultRows: setting.integer({
    env: 'CIEM_API_PAGE_DEFAULT_ROWS',
    description: 'Rows per page when a request gives no `limit`.',
    default: 100,
    min: 1,
    unit: 'rows',
  }),
  pageMaxRows: setting.integer({
    env: 'CIEM_API_PAGE_MAX_ROWS',
    description: 'Largest `limit` a request may ask for; larger ones get 400.',
    default: 1_000,
    min: 1,
    max: 100_000,
    unit: 'rows',
  }),
  queryTimeoutMs: setting.duration({
    env: 'CIEM_API_QUERY_TIMEOUT_MS',
    description:
      'Server-side limit of one ClickHouse query (`max_execution_time`, rounded up to seconds).',
    default: 10_000,
    min: 1_000,
  }),
  docsEnabled: setting.boolean({
    env: 'CIEM_API_DOCS_ENABLED',
    description:
      'Serves the OpenAPI document at `/openapi.json` and its page at `/docs` without authentication.',
    default: true,
  }),
  lagGroups: setting.list({
    env: 'CIEM_API_LAG_GROUPS',
    description:
      'Consumer groups and topics whose lag `/v1/pipeline/status` reports, as comma-separated `<group>=<topic>`; the topic prefix is added to each topic.',
    default: [
      'ciem-normalizer=ciem.raw.aws.cloudtrail',
      'ciem-normalizer=ciem.raw.azure.activity',
      'ciem-normalizer=ciem.raw.gcp.audit',
      'ciem-analyzer-anomaly=ciem.events.normalized',
      'ciem-alert-forwarder=ciem.alerts',
    ],
  }),
  lagTimeoutMs: setting.duration({
    env: 'CIEM_API_LAG_TIMEOUT_MS',
    description: 'Time allowed for reading the lag of one group and topic.',
    default: 5_000,
    min: 100,
  }),
  ...kafkaConnectionSettings('ciem.alerts'),
  ...kafkaSecuritySettings,
  ...clickhouseConnectionSettings({
    tables: 'the tables in schemas/clickhouse',
    user: 'it needs INSERT on `alert_acks` for acknowledgements, and on `alert_ack_history`, which a view fills, where views run with the inserting user\u2019s rights.',
  }),
  migrations: setting.boolean({
    env: 'CIEM_MIGRATIONS_ENABLED',
    description: 'Applies the ClickHouse migrations at start (idempotent).',
    default: true,
  }),
};
