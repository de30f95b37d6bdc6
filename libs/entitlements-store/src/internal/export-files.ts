import type { ExportDocument, ExportProblem } from '@ciem/entitlements';
import { parseExportText } from '@ciem/entitlements';
import { messageOf } from '@ciem/errors';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EntitlementsStoreErrorCode, inputNotFoundError } from './errors.js';
import { classifyFiles } from './input-files.js';

/** Export documents read from files, with the problems found. */
export interface ExportFiles {
  /** Files read, sorted. */
  readonly files: string[];
  readonly documents: ExportDocument[];
  readonly problems: ExportProblem[];
  /** Files left out with `skipLogs`: activity logs and the files of `ciem simulate`. */
  readonly skipped: { readonly log: string[]; readonly simulator: string[] };
}

/** Options of {@link readExportFiles}. */
export interface ReadExportFilesOptions {
  /**
   * Leaves out files that hold activity log records, and the ground truth and team map of
   * `ciem simulate`, instead of reporting each of their records as a problem. For folders
   * that hold logs beside exports, as a simulated estate does.
   */
  skipLogs?: boolean;
}

const EXPORT_FILE = /\.(json|ndjson|jsonl)(\.gz)?$/i;

async function listFiles(input: string): Promise<string[]> {
  const info = await stat(input).catch(() => undefined);
  if (info === undefined) throw inputNotFoundError(input);
  if (info.isFile()) return [path.resolve(input)];
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && EXPORT_FILE.test(entry.name)) found.push(full);
    }
  };
  await walk(path.resolve(input));
  return found;
}

/**
 * Reads export files for `evaluateExportDocuments`: each input is a file, or a folder read
 * recursively for `.json`, `.ndjson`, `.jsonl` and their `.gz` forms. A file given by name
 * is read whatever its extension. Each file is read whole into memory (exports are
 * documents, not streams). A file that cannot be read or parsed becomes a problem; a path
 * that does not exist throws `InputError` `CIEM_ENTITLEMENTS_STORE_INPUT_NOT_FOUND`. With
 * `skipLogs`, each file is classified first (see `classifyFile`), which reads the first
 * record of every file and whole files without log records once more.
 */
export async function readExportFiles(
  inputs: readonly string[],
  options: ReadExportFilesOptions = {},
): Promise<ExportFiles> {
  const files = new Set<string>();
  for (const input of inputs) for (const file of await listFiles(input)) files.add(file);
  let sorted = [...files].sort();
  const skipped = { log: [] as string[], simulator: [] as string[] };
  if (options.skipLogs === true) {
    const classified = await classifyFiles(sorted);
    skipped.log = classified.log;
    skipped.simulator = classified.simulator;
    sorted = [...classified.grants, ...classified.unknown].sort();
  }

  const documents: ExportDocument[] = [];
  const problems: ExportProblem[] = [];
  for (const file of sorted) {
    let text: string;
    try {
      const bytes = await readFile(file);
      text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    } catch (error) {
      problems.push({
        code: EntitlementsStoreErrorCode.inputUnreadable,
        source: file,
        record: 'document',
        field: '',
        message: `${file} could not be read: ${messageOf(error)}`,
      });
      continue;
    }
    const parsed = parseExportText(file, text);
    documents.push(...parsed.documents);
    problems.push(...parsed.problems);
  }
  return { files: sorted, documents, problems, skipped };
}
