import { InputError } from '@ciem/errors';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';

/** File endings the embedded mode reads when it walks a folder. */
export const LOG_FILE_PATTERN = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;

/**
 * Expands the inputs a user named (files, folders walked recursively, and glob patterns)
 * into a sorted, de-duplicated file list. A folder contributes only files that look like
 * logs, so provenance notes and READMEs beside the logs are left alone; a file named
 * explicitly is always read.
 *
 * @throws InputError `CIEM_RUN_INPUT_NOT_FOUND` when a path or pattern matches nothing.
 */
export async function resolveInputs(inputs: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const input of inputs) {
    const matched = await resolveOne(input);
    if (matched.length === 0) {
      throw new InputError(
        'CIEM_RUN_INPUT_NOT_FOUND',
        `input ${JSON.stringify(input)} matches no log file; name a file, a folder or a glob such as "logs/**/*.json.gz"`,
        { details: { input } },
      );
    }
    for (const file of matched) files.add(file);
  }
  return [...files].sort();
}

async function resolveOne(input: string): Promise<string[]> {
  const info = await stat(input).catch(() => undefined);
  if (info?.isFile()) return [path.resolve(input)];
  if (info?.isDirectory()) return walk(path.resolve(input));
  if (/[*?[\]{}]/.test(input)) {
    const matched = await glob(input, { absolute: true, onlyFiles: true, dot: false });
    return matched.map((file) => path.resolve(file));
  }
  return [];
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full)));
    else if (entry.isFile() && LOG_FILE_PATTERN.test(entry.name)) found.push(full);
  }
  return found;
}
