import { setting } from '@ciem/config';
import { clickhouseConnectionSettings } from '@ciem/clickhouse';
import {
  kafkaConnectionSettings,
  kafkaSecuritySettings,
  kafkaTopicCreationSettings,
} from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the analyzer-rightsizing service: the shared service settings plus its own. */
export const rightsizingSchema = {
  ...serviceSettings,
  mode: setting.enum({
    env: 'CIEM_RIGHTSIZING_MODE',
    description:
      '`once` runs one analysis and exits 0; `interval` runs one at start and again every `CIEM_RIGHTSIZING_INTERVAL_MS` until stopped.',
    values: ['once', 'interval'] as const,
    default: 'interval',
  }),
  intervalMs: setting.duration({
    env: 'CIEM_RIGHTSIZING_INTERVAL_MS',
    description: 'Time from the start of one analysis to the start of the next, with `interval`.',
    default: 86_400_000,
    min: 1_000,
  }),
  windowDays: setting.integer({
    env: 'CIEM_RIGHTSIZING_WINDOW_DAYS',
    description:
      'Days of use compared with the grants, ending at the analysis time; a permission unused for this long is proposed for removal.',
    default: 90,
    min: 1,
    max: 3_650,
    unit: 'days',
  }),
  windowEnd: setting.string({
    env: 'CIEM_RIGHTSIZING_WINDOW_END',
    description:
      'End of the window for logs of a past period: a UTC day `YYYY-MM-DD` (the window then ends after that day) or a time with its zone such as `2024-06-30T12:00:00Z`. Unset ends the window at each analysis time.',
    optional: true,
  }),
  maxExtraPermissions: setting.integer({
    env: 'CIEM_RIGHTSIZING_MAX_EXTRA_PERMISSIONS',
    description:
      'Unused permissions a GCP predefined role set or an Azure built-in role may grant and still be recommended over an exact custom role; 0 recommends built-in and predefined roles only when they grant nothing unused.',
    default: 10,
    min: 0,
    max: 10_000,
    unit: 'permissions',
  }),
  historyDays: setting.integer({
    env: 'CIEM_RIGHTSIZING_HISTORY_DAYS',
    description:
      'Days before the window also read, so that a principal seen only then counts as inactive rather than never used; 0 reads the window only.',
    default: 365,
    min: 0,
    max: 3_650,
    unit: 'days',
  }),
  teamTagKeys: setting.list({
    env: 'CIEM_RIGHTSIZING_TEAM_TAG_KEYS',
    description:
      'Principal tags or labels that name the owning team, first match wins. Entitlements read from ClickHouse carry no tags, so today only the account map applies.',
    default: ['team', 'owner'],
  }),
  accountTeams: setting.list({
    env: 'CIEM_RIGHTSIZING_ACCOUNT_TEAMS',
    description:
      'Owning team per account as comma-separated `account=team` pairs, such as `111122223333=payments`; these override the ownership file.',
    default: [],
  }),
  ownershipFile: setting.string({
    env: 'CIEM_RIGHTSIZING_OWNERSHIP_FILE',
    description:
      'JSON file `{"accountTeams": {"<account>": "<team>"}, "tagKeys": ["team"]}`; both keys are optional.',
    optional: true,
  }),
  reportsDir: setting.string({
    env: 'CIEM_RIGHTSIZING_REPORTS_DIR',
    description:
      'Folder the HTML, Markdown, CSV and JSON reports are written to after each analysis, one set per account and team; unset writes no files.',
    optional: true,
  }),
  reportTopPrincipals: setting.integer({
    env: 'CIEM_RIGHTSIZING_REPORT_TOP_PRINCIPALS',
    description:
      'Principals listed in a report\u2019s "top principals by score" and "biggest high-risk removals".',
    default: 10,
    min: 1,
    unit: 'principals',
  }),
  webhookUrl: setting.url({
    env: 'CIEM_RIGHTSIZING_WEBHOOK_URL',
    description:
      'URL the report summary is POSTed to after each analysis, signed with HMAC-SHA256; unset sends nothing.',
    optional: true,
  }),
  webhookSecret: setting.string({
    env: 'CIEM_RIGHTSIZING_WEBHOOK_SECRET',
    description:
      'Shared secret of the webhook signature (`x-ciem-signature`); required with a webhook URL.',
    secret: true,
    optional: true,
  }),
  webhookLinkBaseUrl: setting.url({
    env: 'CIEM_RIGHTSIZING_WEBHOOK_LINK_BASE_URL',
    description:
      'Base URL the reports folder is served from; the webhook then links each report file.',
    optional: true,
  }),
  webhookInline: setting.boolean({
    env: 'CIEM_RIGHTSIZING_WEBHOOK_INLINE_ENABLED',
    description: 'Puts each report\u2019s Markdown into the webhook body.',
    default: false,
  }),
  webhookMaxAttempts: setting.integer({
    env: 'CIEM_RIGHTSIZING_WEBHOOK_MAX_ATTEMPTS',
    description:
      'Webhook attempts in all; 408, 429, 5xx and network errors are retried with capped back-off honouring Retry-After.',
    default: 5,
    min: 1,
    unit: 'attempts',
  }),
  webhookTimeoutMs: setting.duration({
    env: 'CIEM_RIGHTSIZING_WEBHOOK_TIMEOUT_MS',
    description: 'Time allowed for one webhook request.',
    default: 10_000,
    min: 1,
  }),
  smtpHost: setting.string({
    env: 'CIEM_RIGHTSIZING_SMTP_HOST',
    description:
      'SMTP server the reports are emailed through after each analysis; unset sends no email.',
    optional: true,
  }),
  smtpPort: setting.integer({
    env: 'CIEM_RIGHTSIZING_SMTP_PORT',
    description: 'SMTP server port: 587 for submission with STARTTLS, 465 with implicit TLS.',
    default: 587,
    min: 1,
    max: 65535,
  }),
  smtpImplicitTls: setting.boolean({
    env: 'CIEM_RIGHTSIZING_SMTP_IMPLICIT_TLS_ENABLED',
    description: 'Uses TLS from the first byte (SMTPS, port 465) instead of STARTTLS.',
    default: false,
  }),
  smtpRequireTls: setting.boolean({
    env: 'CIEM_RIGHTSIZING_SMTP_REQUIRE_TLS_ENABLED',
    description: 'Refuses to send unless the server upgrades the connection with STARTTLS.',
    default: false,
  }),
  smtpTlsVerify: setting.boolean({
    env: 'CIEM_RIGHTSIZING_SMTP_TLS_VERIFY_ENABLED',
    description: 'Checks the SMTP server\u2019s TLS certificate.',
    default: true,
  }),
  smtpUser: setting.string({
    env: 'CIEM_RIGHTSIZING_SMTP_USER',
    description: 'SMTP user name; unset sends without authentication.',
    optional: true,
  }),
  smtpPassword: setting.string({
    env: 'CIEM_RIGHTSIZING_SMTP_PASSWORD',
    description: 'SMTP password.',
    secret: true,
    optional: true,
  }),
  smtpFrom: setting.string({
    env: 'CIEM_RIGHTSIZING_SMTP_FROM',
    description: 'Sender address of the report emails; required with an SMTP host.',
    optional: true,
  }),
  smtpTo: setting.list({
    env: 'CIEM_RIGHTSIZING_SMTP_TO',
    description: 'Recipients of the report emails, comma-separated; required with an SMTP host.',
    default: [],
  }),
  kafkaEnabled: setting.boolean({
    env: 'CIEM_RIGHTSIZING_KAFKA_ENABLED',
    description: 'Publishes each result to the compacted recommendations topic.',
    default: true,
  }),
  ...kafkaConnectionSettings('ciem.recommendations'),
  ...kafkaSecuritySettings,
  ...kafkaTopicCreationSettings('the recommendations topic'),
  ...clickhouseConnectionSettings({
    tables:
      'the `entitlements`, `role_catalog`, `gcp_permission_support`, `permission_usage` and `recommendations` tables',
  }),
  batchMaxRows: setting.integer({
    env: 'CIEM_CLICKHOUSE_BATCH_MAX_ROWS',
    description: 'Rows per ClickHouse INSERT.',
    default: 10_000,
    min: 1,
    unit: 'rows',
  }),
  migrations: setting.boolean({
    env: 'CIEM_MIGRATIONS_ENABLED',
    description: 'Applies the ClickHouse migrations at start (idempotent).',
    default: true,
  }),
};
