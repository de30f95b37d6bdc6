import { setting } from '@ciem/config';

/** Descriptions of a service's ClickHouse database and user, for its settings table. */
export interface ClickHouseSettingsText {
  /** The tables the service reads or writes, such as "the `alerts` table". */
  tables: string;
  /** The rights the user needs, when the plain description would mislead. */
  user?: string;
}

/**
 * Returns the ClickHouse settings every service that reads or writes ClickHouse shares:
 * endpoint, database, user and password. Each service spreads the result into its
 * configuration schema, so the variables keep one name, default and check everywhere.
 */
export function clickhouseConnectionSettings(text: ClickHouseSettingsText) {
  return {
    clickhouseUrl: setting.url({
      env: 'CIEM_CLICKHOUSE_URL',
      description: 'ClickHouse HTTP endpoint.',
      default: 'http://127.0.0.1:8123',
    }),
    clickhouseDatabase: setting.string({
      env: 'CIEM_CLICKHOUSE_DATABASE',
      description: `ClickHouse database of ${text.tables}.`,
      default: 'ciem',
    }),
    clickhouseUser: setting.string({
      env: 'CIEM_CLICKHOUSE_USER',
      description: text.user === undefined ? 'ClickHouse user.' : `ClickHouse user; ${text.user}`,
      default: 'default',
    }),
    clickhousePassword: setting.string({
      env: 'CIEM_CLICKHOUSE_PASSWORD',
      description: 'ClickHouse password.',
      secret: true,
      optional: true,
      nonEmpty: false,
    }),
  };
}
