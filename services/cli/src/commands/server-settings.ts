import { loadConfig, setting } from '@ciem/config';
import { kafkaSecurityOptions, kafkaSecuritySettings } from '@ciem/kafka';
import type { SaslOptions, SslOptions } from '@ciem/kafka';

/**
 * Settings of `ciem run --kafka` that do not belong on a command line: the Kafka TLS and SASL
 * settings and the ClickHouse login. They use the services' variable names, so one
 * environment (or `_FILE` secret) serves both.
 */
const serverSettingsSchema = {
  ...kafkaSecuritySettings,
  clickhouseUser: setting.string({
    env: 'CIEM_CLICKHOUSE_USER',
    description: 'ClickHouse user.',
    optional: true,
  }),
  clickhousePassword: setting.string({
    env: 'CIEM_CLICKHOUSE_PASSWORD',
    description: 'ClickHouse password.',
    secret: true,
    optional: true,
  }),
};

/** Connection settings that `ciem run --kafka` reads from the environment. */
export interface ServerSettings {
  kafkaSecurity: { ssl?: SslOptions; sasl?: SaslOptions };
  clickhouseUser?: string;
  clickhousePassword?: string;
}

/**
 * Reads the Kafka TLS and SASL settings and the ClickHouse login from `env`.
 *
 * @throws ConfigError listing every invalid variable, or naming a pair of settings that only
 *   work together.
 */
export function readServerSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const { values } = loadConfig(serverSettingsSchema, { env });
  return {
    kafkaSecurity: kafkaSecurityOptions(values),
    ...(values.clickhouseUser === undefined ? {} : { clickhouseUser: values.clickhouseUser }),
    ...(values.clickhousePassword === undefined
      ? {}
      : { clickhousePassword: values.clickhousePassword }),
  };
}
