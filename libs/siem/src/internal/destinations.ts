import { ALERT_SEVERITIES } from '@ciem/events';
import type { AlertSeverity } from '@ciem/events';
import { invalidDestination, secretUnavailable } from './errors.js';
import type { FileSinkConfig } from './file/sink.js';
import type { HecSinkConfig } from './hec/config.js';
import type { OcsfProduct } from './ocsf/encode.js';
import { PAYLOAD_FORMATS } from './payload.js';
import type { PayloadFormat } from './payload.js';
import { defaultRetryPolicy } from './retry.js';
import type { RetryPolicy } from './retry.js';
import type { RouteRule } from './routing.js';
import type { SyslogSinkConfig } from './syslog/config.js';
import type { WebhookSinkConfig } from './webhook/config.js';

/** One destination of the destinations file, with its secrets read. */
export type DestinationConfig =
  | ({ type: 'hec'; routes: RouteRule[] } & HecSinkConfig)
  | ({ type: 'syslog'; routes: RouteRule[] } & SyslogSinkConfig)
  | ({ type: 'webhook'; routes: RouteRule[] } & WebhookSinkConfig)
  | ({ type: 'file'; routes: RouteRule[] } & FileSinkConfig);

/** The parsed destinations file. */
export interface DestinationsConfig {
  product: OcsfProduct;
  destinations: DestinationConfig[];
}

/** Sources of the secrets the file names. Services pass `process.env` and `readFileSync`. */
export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
}

/** Destination names: they label metrics and name the destination in dead-letter headers. */
const destinationName = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const envName = /^[A-Z_][A-Z0-9_]*$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reader {
  constructor(
    private readonly object: Json,
    private readonly path: string,
  ) {}

  field(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  string(key: string, fallback?: string): string {
    const value = this.object[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value === '') {
      throw invalidDestination(this.field(key), 'a non-empty string', value);
    }
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.object[key] === undefined ? undefined : this.string(key);
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.object[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw invalidDestination(this.field(key), `a whole number from ${min} to ${max}`, value);
    }
    return value;
  }

  number(key: string, fallback: number, min: number, max: number): number {
    const value = this.object[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw invalidDestination(this.field(key), `a number from ${min} to ${max}`, value);
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.object[key] ?? fallback;
    if (typeof value !== 'boolean')
      throw invalidDestination(this.field(key), 'true or false', value);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const value = this.object[key] ?? fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw invalidDestination(this.field(key), `one of ${allowed.join(', ')}`, value);
    }
    return value as T;
  }

  stringList(key: string): string[] | null {
    const value = this.object[key];
    if (value === undefined) return null;
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.some((v) => typeof v !== 'string' || v === '')
    ) {
      throw invalidDestination(this.field(key), 'a non-empty array of non-empty strings', value);
    }
    return value as string[];
  }

  url(key: string): string {
    const value = this.string(key);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw invalidDestination(this.field(key), 'an absolute http or https URL', value);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw invalidDestination(this.field(key), 'an absolute http or https URL', value);
    }
    return value;
  }

  child(key: string): Reader | undefined {
    const value = this.object[key];
    if (value === undefined) return undefined;
    if (!isObject(value)) throw invalidDestination(this.field(key), 'an object', value);
    return new Reader(value, this.field(key));
  }

  secret(key: string, sources: SecretSources): string {
    const reference = this.child(key);
    if (reference === undefined) {
      throw invalidDestination(this.field(key), '{"env": "NAME"} or {"file": "/path"}', undefined);
    }
    const field = this.field(key);
    const env = reference.object.env;
    const file = reference.object.file;
    if ((env === undefined) === (file === undefined)) {
      throw invalidDestination(field, 'exactly one of "env" and "file"', reference.object);
    }
    let value: string | undefined;
    if (env !== undefined) {
      if (typeof env !== 'string' || !envName.test(env)) {
        throw invalidDestination(`${field}.env`, 'an environment variable name', env);
      }
      value = sources.env[env];
      if (value === undefined || value === '')
        throw secretUnavailable(field, `variable ${env} is unset or empty`);
    } else {
      if (typeof file !== 'string' || file === '') {
        throw invalidDestination(`${field}.file`, 'a file path', file);
      }
      try {
        value = sources.readFile(file).replace(/\r?\n$/, '');
      } catch (error) {
        throw secretUnavailable(field, `cannot read ${file}: ${(error as Error).message}`);
      }
      if (value === '') throw secretUnavailable(field, `file ${file} is empty`);
    }
    return value;
  }

  stringMap(key: string): Record<string, string> {
    const value = this.object[key];
    if (value === undefined) return {};
    if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      throw invalidDestination(this.field(key), 'an object of string values', '<not shown>');
    }
    return value as Record<string, string>;
  }

  get raw(): Json {
    return this.object;
  }
}

function readRoute(reader: Reader): RouteRule {
  return {
    minSeverity: reader.oneOf<AlertSeverity>('minSeverity', ALERT_SEVERITIES, 'info'),
    providers: reader.stringList('providers'),
    accounts: reader.stringList('accounts'),
  };
}

function readRoutes(reader: Reader): RouteRule[] {
  const value = reader.raw.route;
  if (value === undefined) return [{ minSeverity: 'info', providers: null, accounts: null }];
  const field = reader.field('route');
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0)
    throw invalidDestination(field, 'a rule or a non-empty array of rules', value);
  return list.map((rule, index) => {
    if (!isObject(rule)) throw invalidDestination(`${field}[${index}]`, 'an object', rule);
    return readRoute(new Reader(rule, Array.isArray(value) ? `${field}[${index}]` : field));
  });
}

function readRetry(reader: Reader): RetryPolicy {
  const retry = reader.child('retry');
  if (retry === undefined) return { ...defaultRetryPolicy };
  const d = defaultRetryPolicy;
  return {
    initialMs: retry.integer('initialMs', d.initialMs, 1, 3_600_000),
    maxMs: retry.integer('maxMs', d.maxMs, 1, 3_600_000),
    multiplier: retry.number('multiplier', d.multiplier, 1, 10),
    jitter: retry.number('jitter', d.jitter, 0, 1),
    maxAttempts: retry.integer('maxAttempts', d.maxAttempts, 1, 1_000_000),
    budgetMs: retry.integer('budgetMs', d.budgetMs, 0, 86_400_000),
  };
}

function readDestination(reader: Reader, sources: SecretSources): DestinationConfig {
  const name = reader.string('name');
  if (!destinationName.test(name)) {
    throw invalidDestination(
      reader.field('name'),
      'lowercase letters, digits, "-" and "_", at most 63',
      name,
    );
  }
  const type = reader.oneOf('type', ['hec', 'syslog', 'webhook', 'file'] as const);
  const common = { name, routes: readRoutes(reader), retry: readRetry(reader) };
  const format = (): PayloadFormat => reader.oneOf('format', PAYLOAD_FORMATS, 'json');

  switch (type) {
    case 'hec':
      if (reader.raw.ack === true && reader.raw.channel === undefined) {
        throw invalidDestination(
          reader.field('channel'),
          'a channel GUID when "ack" is true',
          undefined,
        );
      }
      return {
        ...common,
        type,
        url: reader.url('url'),
        token: reader.secret('token', sources),
        format: format(),
        host: reader.string('host', 'ciem'),
        source: reader.string('source', 'ciem:alert-forwarder'),
        sourcetype: reader.string(
          'sourcetype',
          format() === 'ocsf' ? 'ocsf:detection_finding' : '_json',
        ),
        index: reader.optionalString('index'),
        channel: reader.optionalString('channel'),
        ack: reader.boolean('ack', false),
        ackPollMs: reader.integer('ackPollMs', 1_000, 1, 600_000),
        ackTimeoutMs: reader.integer('ackTimeoutMs', 60_000, 1, 3_600_000),
        batchMaxAlerts: reader.integer('batchMaxAlerts', 100, 1, 10_000),
        timeoutMs: reader.integer('timeoutMs', 10_000, 1, 600_000),
      };
    case 'webhook':
      return {
        ...common,
        type,
        url: reader.url('url'),
        secret: reader.secret('secret', sources),
        format: format(),
        headers: reader.stringMap('headers'),
        timeoutMs: reader.integer('timeoutMs', 10_000, 1, 600_000),
      };
    case 'file':
      return {
        ...common,
        type,
        path: reader.string('path'),
        format: format(),
        batchMaxAlerts: reader.integer('batchMaxAlerts', 500, 1, 100_000),
      };
    case 'syslog': {
      const tlsReader = reader.raw.tls === false ? undefined : reader.child('tls');
      const tls =
        reader.raw.tls === false
          ? null
          : {
              caFile: tlsReader?.optionalString('caFile'),
              certFile: tlsReader?.optionalString('certFile'),
              keyFile: tlsReader?.optionalString('keyFile'),
              serverName: tlsReader?.optionalString('serverName'),
              rejectUnauthorized: tlsReader?.boolean('rejectUnauthorized', true) ?? true,
            };
      if (tls !== null && (tls.certFile === undefined) !== (tls.keyFile === undefined)) {
        throw invalidDestination(
          reader.field('tls'),
          'both certFile and keyFile, or neither',
          '<one of them>',
        );
      }
      return {
        ...common,
        type,
        host: reader.string('host'),
        port: reader.integer('port', 6514, 1, 65_535),
        tls,
        facility: reader.integer('facility', 10, 0, 23),
        hostname: reader.string('hostname', 'ciem'),
        appName: reader.string('appName', 'ciem'),
        procId: reader.string('procId', '-'),
        msgId: reader.string('msgId', 'alert'),
        cefVendor: reader.string('cefVendor', 'CIEM'),
        cefProduct: reader.string('cefProduct', 'CIEM Platform'),
        cefVersion: reader.string('cefVersion', '0.1.0'),
        // Every receiver must take 480 octets (RFC 5424 section 6.1), and RFC 5425 recommends 8192.
        maxMessageBytes: reader.integer('maxMessageBytes', 8192, 480, 1_048_576),
        batchMaxAlerts: reader.integer('batchMaxAlerts', 100, 1, 10_000),
        connectTimeoutMs: reader.integer('connectTimeoutMs', 10_000, 1, 600_000),
      };
    }
  }
}

/**
 * Parses a destinations file (JSON text) and reads the secrets it names. Throws
 * `ConfigError` `CIEM_SIEM_INVALID_DESTINATIONS` for the first invalid field, naming its
 * path (`destinations[1].token`), and `CIEM_SIEM_SECRET_UNAVAILABLE` for an unset secret.
 * Secret values never appear in a message.
 */
export function parseDestinations(text: string, sources: SecretSources): DestinationsConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidDestination('(file)', 'valid JSON', (error as Error).message);
  }
  if (!isObject(parsed)) throw invalidDestination('(file)', 'a JSON object', parsed);
  const root = new Reader(parsed, '');
  const product = root.child('product');
  const list = parsed.destinations;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalidDestination('destinations', 'a non-empty array', list);
  }
  const destinations = list.map((entry, index) => {
    if (!isObject(entry)) throw invalidDestination(`destinations[${index}]`, 'an object', entry);
    return readDestination(new Reader(entry, `destinations[${index}]`), sources);
  });
  const names = new Set<string>();
  for (const destination of destinations) {
    if (names.has(destination.name)) {
      throw invalidDestination('destinations[].name', 'unique names', destination.name);
    }
    names.add(destination.name);
  }
  return {
    product: {
      name: product?.string('name', 'CIEM Platform') ?? 'CIEM Platform',
      vendor_name: product?.string('vendorName', 'CIEM') ?? 'CIEM',
      version: product?.string('version', '0.1.0') ?? '0.1.0',
    },
    destinations,
  };
}

/** Returns a destination's settings without secrets, for the start-up log. */
export function describeDestination(destination: DestinationConfig): Record<string, unknown> {
  const { routes, retry } = destination;
  const base = { name: destination.name, type: destination.type, routes, retry };
  switch (destination.type) {
    case 'hec':
      return {
        ...base,
        url: destination.url,
        format: destination.format,
        ack: destination.ack,
      };
    case 'webhook':
      return {
        ...base,
        url: destination.url,
        format: destination.format,
        headers: Object.keys(destination.headers),
      };
    case 'file':
      return { ...base, path: destination.path, format: destination.format };
    case 'syslog':
      return {
        ...base,
        host: destination.host,
        port: destination.port,
        tls: destination.tls !== null,
      };
  }
}
