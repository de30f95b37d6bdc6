import { setting } from '@ciem/config';
import { ConfigError } from '@ciem/errors';
import { KafkaErrorCodes } from './errors.js';
import type { SaslOptions, SslOptions } from './types.js';

/** SASL mechanisms the Kafka client supports, and `none`. */
export const KAFKA_SASL_MECHANISMS = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Settings of the TLS and SASL connection to Kafka that every service connecting to Kafka
 * includes in its schema (`{ ...serviceSettings, ...kafkaSecuritySettings, ...own }`). The
 * certificates, the key and the password are secrets, so each may also be given as
 * `<NAME>_FILE`, the path of a file holding it (a mounted secret).
 */
export const kafkaSecuritySettings = {
  kafkaSslEnabled: setting.boolean({
    env: 'CIEM_KAFKA_SSL_ENABLED',
    description: 'Connects to the Kafka brokers over TLS.',
    default: false,
  }),
  kafkaSslCa: setting.string({
    env: 'CIEM_KAFKA_SSL_CA',
    description:
      'PEM certificates of the authorities trusted to sign the brokers’ certificates; the system authorities when unset.',
    secret: true,
    optional: true,
  }),
  kafkaSslCert: setting.string({
    env: 'CIEM_KAFKA_SSL_CERT',
    description:
      'PEM client certificate (with its chain) for brokers that require TLS client authentication; needs `CIEM_KAFKA_SSL_KEY`.',
    secret: true,
    optional: true,
  }),
  kafkaSslKey: setting.string({
    env: 'CIEM_KAFKA_SSL_KEY',
    description: 'PEM private key of the client certificate.',
    secret: true,
    optional: true,
  }),
  kafkaSslKeyPassword: setting.string({
    env: 'CIEM_KAFKA_SSL_KEY_PASSWORD',
    description: 'Passphrase of an encrypted `CIEM_KAFKA_SSL_KEY`.',
    secret: true,
    optional: true,
  }),
  kafkaSslVerify: setting.boolean({
    env: 'CIEM_KAFKA_SSL_VERIFY_ENABLED',
    description:
      'Refuses brokers whose certificate is not signed by a trusted authority or does not name the broker; turn it off only on test systems.',
    default: true,
  }),
  kafkaSaslMechanism: setting.enum({
    env: 'CIEM_KAFKA_SASL_MECHANISM',
    description:
      'SASL mechanism of the broker login; `none` sends no login. Use it together with TLS, since `plain` sends the password as is.',
    values: KAFKA_SASL_MECHANISMS,
    default: 'none',
  }),
  kafkaSaslUsername: setting.string({
    env: 'CIEM_KAFKA_SASL_USERNAME',
    description: 'SASL user name; required with a SASL mechanism.',
    optional: true,
  }),
  kafkaSaslPassword: setting.string({
    env: 'CIEM_KAFKA_SASL_PASSWORD',
    description: 'SASL password; required with a SASL mechanism.',
    secret: true,
    optional: true,
  }),
};

/** Values of `kafkaSecuritySettings`, as `loadConfig` returns them. */
export interface KafkaSecurityValues {
  kafkaSslEnabled: boolean;
  kafkaSslCa?: string | undefined;
  kafkaSslCert?: string | undefined;
  kafkaSslKey?: string | undefined;
  kafkaSslKeyPassword?: string | undefined;
  kafkaSslVerify: boolean;
  kafkaSaslMechanism: (typeof KAFKA_SASL_MECHANISMS)[number];
  kafkaSaslUsername?: string | undefined;
  kafkaSaslPassword?: string | undefined;
}

function invalidSecurity(setting: string, message: string): ConfigError {
  return new ConfigError(KafkaErrorCodes.invalidOption, message, { details: { option: setting } });
}

/**
 * Turns the values of `kafkaSecuritySettings` into the `ssl` and `sasl` options of
 * `createKafkaClient`; both are absent for a plain connection. Throws `ConfigError`
 * `CIEM_KAFKA_INVALID_OPTION` for settings that only make sense together: a certificate or
 * key without TLS, a certificate without its key, or a SASL mechanism without its user name
 * and password.
 */
export function kafkaSecurityOptions(values: KafkaSecurityValues): {
  ssl?: SslOptions;
  sasl?: SaslOptions;
} {
  const result: { ssl?: SslOptions; sasl?: SaslOptions } = {};
  const pemSettings = (
    [
      ['CIEM_KAFKA_SSL_CA', values.kafkaSslCa],
      ['CIEM_KAFKA_SSL_CERT', values.kafkaSslCert],
      ['CIEM_KAFKA_SSL_KEY', values.kafkaSslKey],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (values.kafkaSslEnabled) {
    if ((values.kafkaSslCert === undefined) !== (values.kafkaSslKey === undefined)) {
      const missing =
        values.kafkaSslCert === undefined ? 'CIEM_KAFKA_SSL_CERT' : 'CIEM_KAFKA_SSL_KEY';
      throw invalidSecurity(
        missing,
        `${missing} is unset while its pair is set; set both the client certificate and its key (or ${missing}_FILE), or neither`,
      );
    }
    result.ssl = {
      rejectUnauthorized: values.kafkaSslVerify,
      ...(values.kafkaSslCa === undefined ? {} : { ca: values.kafkaSslCa }),
      ...(values.kafkaSslCert === undefined ? {} : { cert: values.kafkaSslCert }),
      ...(values.kafkaSslKey === undefined ? {} : { key: values.kafkaSslKey }),
      ...(values.kafkaSslKeyPassword === undefined
        ? {}
        : { passphrase: values.kafkaSslKeyPassword }),
    };
  } else if (pemSettings.length > 0) {
    const name = (pemSettings[0] as readonly [string, string | undefined])[0];
    throw invalidSecurity(
      name,
      `${name} is set but CIEM_KAFKA_SSL_ENABLED is false; set CIEM_KAFKA_SSL_ENABLED=true to connect over TLS, or unset ${name}`,
    );
  }
  const mechanism = values.kafkaSaslMechanism;
  if (mechanism !== 'none') {
    const { kafkaSaslUsername: username, kafkaSaslPassword: password } = values;
    if (username === undefined || password === undefined) {
      const missing =
        username === undefined ? 'CIEM_KAFKA_SASL_USERNAME' : 'CIEM_KAFKA_SASL_PASSWORD';
      throw invalidSecurity(
        missing,
        `${missing} is unset but CIEM_KAFKA_SASL_MECHANISM is ${mechanism}; set the SASL user name and password, or set the mechanism to none`,
      );
    }
    result.sasl = { mechanism, username, password };
  }
  return result;
}
