import { ConfigError } from '@ciem/errors';
import { CONFIG_ERROR_CODES } from './errors.js';
import type { ConfigSchema } from './setting.js';

const envNamePattern = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;

/**
 * Checks the naming rules of a schema: variables are `<PREFIX><AREA>_<NAME>`, unique, switches
 * end in `_ENABLED` and durations in `_MS`. A broken rule is a bug in the service, so it is
 * reported before any value is read.
 *
 * @throws ConfigError `CIEM_CONFIG_SCHEMA_INVALID` listing every broken rule.
 */
export function checkSchema(schema: ConfigSchema, prefix: string): void {
  const problems: string[] = [];
  const owners = new Map<string, string>();

  for (const [key, entry] of Object.entries(schema)) {
    const names = [entry.env, ...entry.aliases];
    if (entry.secret) names.push(`${entry.env}_FILE`);
    for (const name of names) {
      const owner = owners.get(name);
      if (owner !== undefined) problems.push(`${name}: used by both "${owner}" and "${key}"`);
      owners.set(name, key);
    }
    if (!entry.env.startsWith(prefix) || !envNamePattern.test(entry.env)) {
      problems.push(`${entry.env} ("${key}"): expected ${prefix}<AREA>_<NAME> in capitals`);
    }
    if (entry.kind === 'boolean' && !entry.env.endsWith('_ENABLED')) {
      problems.push(`${entry.env} ("${key}"): a switch must end in _ENABLED`);
    }
    if (entry.kind === 'duration' && !entry.env.endsWith('_MS')) {
      problems.push(`${entry.env} ("${key}"): a duration in milliseconds must end in _MS`);
    }
    if (entry.defaultValue !== undefined && !entry.parser.safeParse(entry.defaultValue).success) {
      problems.push(`${entry.env} ("${key}"): the default is not ${entry.expected}`);
    }
  }

  if (problems.length > 0) {
    throw new ConfigError(
      CONFIG_ERROR_CODES.schemaInvalid,
      `The configuration schema breaks its naming rules; fix the schema in the service:\n${problems.join('\n')}`,
    );
  }
}
