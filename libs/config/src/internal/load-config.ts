import { describeValue, maskSecret } from '@ciem/errors';
import { checkSchema } from './check-schema.js';
import { ConfigInvalidError } from './config-invalid-error.js';
import type { ConfigSource, RawValue } from './read-sources.js';
import { readConfigFile, readSecretFile } from './read-sources.js';
import type { ConfigSchema, ConfigValues, Setting } from './setting.js';
import { suggestName } from './suggest-name.js';

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /** The variables to read; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Prefix of the platform's variables, used to spot unknown ones; `CIEM_` by default. */
  prefix?: string;
  /** Path of the JSON config file; defaults to the `<prefix>CONFIG_FILE` variable. */
  file?: string;
}

/** The effective value of one setting, as logged at start: secrets masked, lists comma-joined. */
export interface EffectiveSetting {
  readonly value: string | null;
  readonly source: ConfigSource;
}

/** The result of `loadConfig`, frozen throughout. */
export interface LoadedConfig<S extends ConfigSchema> {
  /** The parsed values, keyed like the schema. */
  readonly values: ConfigValues<S>;
  /** Unknown variables and config file keys, one sentence each; they are ignored. */
  readonly warnings: readonly string[];
  /** The effective configuration keyed by variable name, safe to log. */
  readonly effective: Readonly<Record<string, EffectiveSetting>>;
}

/** Treats an empty or blank variable as unset, so compose files can pass optional values through. */
function readVariable(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function readFileKey(file: Readonly<Record<string, unknown>>, name: string): unknown {
  const value = Object.hasOwn(file, name) ? file[name] : undefined;
  return value === null ? undefined : value;
}

/**
 * Finds the raw value of one setting. Precedence: `<NAME>` then `<NAME>_FILE` in the
 * environment, then the aliases in the environment, then the same keys in the config file.
 */
function findRawValue(
  entry: Setting<unknown>,
  env: Readonly<Record<string, string | undefined>>,
  file: Readonly<Record<string, unknown>>,
  filePath: string | undefined,
  problems: string[],
): RawValue | undefined {
  const fileVariable = `${entry.env}_FILE`;

  const direct = readVariable(env, entry.env);
  const secretPath = entry.secret ? readVariable(env, fileVariable) : undefined;
  if (direct !== undefined && secretPath !== undefined) {
    problems.push(
      `${entry.env}: expected either ${entry.env} or ${fileVariable}, received both; unset one of them`,
    );
    return undefined;
  }
  if (direct !== undefined) return { name: entry.env, value: direct, source: 'environment' };
  if (secretPath !== undefined) {
    const value = readSecretFile(fileVariable, secretPath, problems);
    if (value === undefined) return undefined;
    return { name: fileVariable, value, source: 'environment', secretPath };
  }
  for (const alias of entry.aliases) {
    const value = readVariable(env, alias);
    if (value !== undefined) return { name: alias, value, source: 'environment' };
  }

  const inFile = readFileKey(file, entry.env);
  const secretPathInFile = entry.secret ? readFileKey(file, fileVariable) : undefined;
  if (inFile !== undefined && secretPathInFile !== undefined) {
    problems.push(
      `${entry.env}: expected either ${entry.env} or ${fileVariable} in the config file ${describeValue(filePath)}, received both; remove one of them`,
    );
    return undefined;
  }
  if (inFile !== undefined) return { name: entry.env, value: inFile, source: 'file' };
  if (typeof secretPathInFile === 'string') {
    const value = readSecretFile(fileVariable, secretPathInFile, problems);
    if (value === undefined) return undefined;
    return { name: fileVariable, value, source: 'file', secretPath: secretPathInFile };
  }
  if (secretPathInFile !== undefined) {
    problems.push(
      `${fileVariable}: expected a file path string, received ${describeValue(secretPathInFile, 40)} in the config file ${describeValue(filePath)}`,
    );
  }
  return undefined;
}

function describeReceived(entry: Setting<unknown>, raw: RawValue, filePath?: string): string {
  const shown =
    entry.secret && typeof raw.value === 'string'
      ? maskSecret(raw.value)
      : describeValue(raw.value);
  if (raw.secretPath !== undefined) return `${shown} read from ${describeValue(raw.secretPath)}`;
  if (raw.source === 'file') return `${shown} in the config file ${describeValue(filePath)}`;
  return shown;
}

/** Freezes a copy of a list value; every other value type is immutable already. */
function freezeValue<T>(value: T): T {
  return Array.isArray(value) ? (Object.freeze([...value]) as T) : value;
}

function collectWarnings(
  schema: ConfigSchema,
  env: Readonly<Record<string, string | undefined>>,
  file: Readonly<Record<string, unknown>>,
  prefix: string,
  fileVariable: string,
  filePath: string | undefined,
): string[] {
  const known = new Set<string>([fileVariable]);
  for (const entry of Object.values(schema)) {
    known.add(entry.env);
    if (entry.secret) known.add(`${entry.env}_FILE`);
  }
  const warnings: string[] = [];
  const hint = (name: string): string => {
    const suggestion = suggestName(name, known);
    return suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
  };
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith(prefix) && !known.has(name) && env[name] !== undefined) {
      warnings.push(`${name} is not a known setting and is ignored${hint(name)}`);
    }
  }
  for (const name of Object.keys(file).sort()) {
    if (!known.has(name)) {
      warnings.push(
        `${name} in the config file ${describeValue(filePath)} is not a known setting and is ignored${hint(name)}`,
      );
    }
  }
  return warnings;
}

/**
 * Loads and validates a configuration. Sources, highest first: the environment, the JSON
 * config file (keys are the variable names, see `readConfigFile`), then the defaults. A secret
 * may instead be given as `<NAME>_FILE`, the path of a file holding it. Every problem is
 * collected before anything is thrown, and the result is frozen.
 *
 * @throws ConfigInvalidError (`CIEM_CONFIG_INVALID`) listing every missing or invalid setting,
 *   one line each, secrets masked.
 * @throws ConfigError `CIEM_CONFIG_SCHEMA_INVALID` when the schema breaks its naming rules.
 */
export function loadConfig<S extends ConfigSchema>(
  schema: S,
  options: LoadConfigOptions = {},
): LoadedConfig<S> {
  const env = options.env ?? process.env;
  const prefix = options.prefix ?? 'CIEM_';
  checkSchema(schema, prefix);

  const problems: string[] = [];
  const fileVariable = `${prefix}CONFIG_FILE`;
  const filePath = options.file ?? readVariable(env, fileVariable);
  const file = filePath === undefined ? {} : readConfigFile(fileVariable, filePath, problems);

  const values: Record<string, unknown> = {};
  const effective: Record<string, EffectiveSetting> = {};

  for (const [key, entry] of Object.entries(schema)) {
    const problemsBefore = problems.length;
    const raw = findRawValue(entry, env, file, filePath, problems);
    if (problems.length > problemsBefore) continue;
    if (raw === undefined) {
      if (entry.defaultValue !== undefined) {
        values[key] = freezeValue(entry.defaultValue);
        effective[entry.env] = {
          value: entry.secret
            ? maskSecret(entry.format(entry.defaultValue))
            : entry.format(entry.defaultValue),
          source: 'default',
        };
      } else {
        values[key] = undefined;
        effective[entry.env] = { value: null, source: 'unset' };
        if (!entry.optional) {
          problems.push(
            `${entry.env}: expected ${entry.expected}, received nothing; set it in the environment or the config file`,
          );
        }
      }
      continue;
    }

    const parsed = entry.parser.safeParse(raw.value);
    if (!parsed.success) {
      problems.push(
        `${raw.name}: expected ${entry.expected}, received ${describeReceived(entry, raw, filePath)}`,
      );
      continue;
    }
    values[key] = freezeValue(parsed.data);
    const shown = entry.format(parsed.data);
    effective[entry.env] = { value: entry.secret ? maskSecret(shown) : shown, source: raw.source };
  }

  if (problems.length > 0) throw new ConfigInvalidError(problems);

  return Object.freeze({
    values: Object.freeze(values) as ConfigValues<S>,
    warnings: Object.freeze(collectWarnings(schema, env, file, prefix, fileVariable, filePath)),
    effective: Object.freeze(effective),
  });
}
