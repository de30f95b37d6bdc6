import { detectExportProvider, parseExportText } from '@ciem/entitlements';
import { isNormalizationError } from '@ciem/events';
import { detectProvider, readRecords } from '@ciem/normalize';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/**
 * Kind of a file named among the inputs, by its content:
 * - `log`: at least one record of a known activity log (CloudTrail, Azure Activity Log,
 *   Cloud Audit Logs), or a log-shaped record the reader turned down (a digest file);
 * - `grants`: IAM export documents (AWS authorization details, Azure role assignments and
 *   definitions, GCP IAM policies and roles) and no log record, at any depth;
 * - `simulator`: the ground truth or the team map that `ciem simulate` writes beside the
 *   logs;
 * - `unknown`: none of these. `ciem run` still reads it as a log, so that each of its
 *   records is dead-lettered with a reason rather than dropped, and the export reader
 *   reports it as a problem.
 */
export type InputFileKind = 'log' | 'grants' | 'simulator' | 'unknown';

/** Files sorted by what they hold, each list in the order given. */
export interface ClassifiedFiles {
  log: string[];
  grants: string[];
  simulator: string[];
  unknown: string[];
}

/**
 * Largest file read whole to check whether it is an export. Export readers read files
 * whole anyway; a larger file with no log record is left to the log reader.
 */
const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

/** Reader errors that only log-shaped input produces. */
const LOG_SHAPED_ERRORS = new Set(['not-an-event', 'wrong-envelope']);

/**
 * Tells what one file holds. Log files cost only their first record; a file without log
 * records is read whole once more and parsed as an export.
 */
export async function classifyFile(file: string): Promise<InputFileKind> {
  if (await hasLogRecord(file)) return 'log';
  const size = (await stat(file)).size;
  if (size > MAX_EXPORT_BYTES) return 'unknown';
  let text: string;
  try {
    const bytes = await readFile(file);
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    return 'unknown';
  }
  const parsed = parseExportText(file, text);
  if (parsed.problems.length > 0 || parsed.documents.length === 0) return 'unknown';
  const values = parsed.documents.map((document) => document.value);
  if (values.length === 1 && isSimulatorFile(values[0])) return 'simulator';
  // Some records of a real export match no known shape, such as a GCP role without
  // permissions, and the export reader reports those. So one recognized document is enough,
  // unless log records sit deeper inside, as in an ARM REST example of the Activity Log.
  if (!values.some((value) => detectExportProvider(value) !== undefined)) return 'unknown';
  return values.some((value) => containsLogRecord(value, MAX_LOG_SEARCH_DEPTH))
    ? 'unknown'
    : 'grants';
}

/** Depth to which {@link containsLogRecord} searches; REST examples nest records five levels down. */
const MAX_LOG_SEARCH_DEPTH = 6;

/** Tells whether an object within `depth` levels of `value` is a log record. */
function containsLogRecord(value: unknown, depth: number): boolean {
  if (depth < 0 || typeof value !== 'object' || value === null) return false;
  if (!Array.isArray(value) && detectProvider(value) !== undefined) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => containsLogRecord(child, depth - 1));
}

/** Classifies many files, four at a time, keeping each list in the order given. */
export async function classifyFiles(files: readonly string[]): Promise<ClassifiedFiles> {
  const kinds = new Array<InputFileKind>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next;
      next += 1;
      kinds[index] = await classifyFile(files[index] as string);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const classified: ClassifiedFiles = { log: [], grants: [], simulator: [], unknown: [] };
  files.forEach((file, index) => classified[kinds[index] as InputFileKind].push(file));
  return classified;
}

async function hasLogRecord(file: string): Promise<boolean> {
  const source = createReadStream(file);
  try {
    for await (const item of readRecords(source, { name: file })) {
      if (isNormalizationError(item)) {
        if (LOG_SHAPED_ERRORS.has(item.reason)) return true;
      } else if (item.provider !== undefined) {
        return true;
      }
    }
    return false;
  } finally {
    source.destroy();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tells the two files of `ciem simulate` that are neither logs nor grants: `ground-truth.json`
 * (seed, principals and planted attacks) and `estate/teams.json` (teams and, per provider,
 * the owner of each account).
 */
function isSimulatorFile(value: unknown): boolean {
  if (!isObject(value)) return false;
  const groundTruth =
    'seed' in value && Array.isArray(value.principals) && Array.isArray(value.attacks);
  const teamMap =
    Array.isArray(value.teams) &&
    ['aws', 'azure', 'gcp'].some((provider) => isObject(value[provider]));
  return groundTruth || teamMap;
}
