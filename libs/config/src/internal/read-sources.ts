import { readFileSync } from 'node:fs';
import { describeValue, messageOf } from '@ciem/errors';

/** The source of a setting's value. */
export type ConfigSource = 'environment' | 'file' | 'default' | 'unset';

/** A raw value found for one setting, before parsing. */
export interface RawValue {
  /** The variable or file key that supplied the value, named in messages. */
  readonly name: string;
  readonly value: unknown;
  readonly source: ConfigSource;
  /** Set when a secret came from `<NAME>_FILE`: the path that was read. */
  readonly secretPath?: string;
}

/**
 * Reads the JSON config file: one object whose keys are the environment variable names and
 * whose values are strings, numbers, booleans or arrays of strings. Problems are appended to
 * `problems` under the variable that named the file.
 */
export function readConfigFile(
  fileVariable: string,
  path: string,
  problems: string[],
): Readonly<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(
      `${fileVariable}: expected a readable JSON file, received ${describeValue(path)} (${messageOf(error)})`,
    );
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(
      `${fileVariable}: expected a JSON file, received ${describeValue(path)} that does not parse (${messageOf(error)})`,
    );
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push(
      `${fileVariable}: expected a JSON object keyed by variable names, received ${describeValue(parsed, 40)} in ${describeValue(path)}`,
    );
    return {};
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads a secret from the file named by `<NAME>_FILE`, dropping one trailing line break as
 * mounted secrets usually end with one. Returns undefined and records a problem on failure.
 */
export function readSecretFile(
  variable: string,
  path: string,
  problems: string[],
): string | undefined {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    problems.push(
      `${variable}: expected a readable secret file, received ${describeValue(path)} (${messageOf(error)})`,
    );
    return undefined;
  }
}
