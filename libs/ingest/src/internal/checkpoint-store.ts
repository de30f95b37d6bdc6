import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, describeValue } from '@ciem/errors';
import { IngestErrorCodes, invalidOption } from './errors.js';

/**
 * Durable progress of a poller or consumer, by key (one key per region, partition, ...).
 * Values are JSON: plain objects, arrays, strings, numbers, booleans and null.
 */
export interface CheckpointStore {
  /** Returns the value last saved under `key`, or undefined when none was saved. */
  load<T>(key: string): Promise<T | undefined>;
  /** Saves `value` under `key`, replacing the previous value; resolves once it is on disk. */
  save(key: string, value: unknown): Promise<void>;
  /** Removes the value of `key`; does nothing when there is none. */
  remove(key: string): Promise<void>;
}

/** Version of the file layout; a file with another version is reported, not guessed at. */
const FORMAT_VERSION = 1;

/**
 * Turns a key into a file name: letters, digits, `_`, `-` and `.` stay (except a leading
 * `.`), every other UTF-8 byte becomes `%XX`, so distinct keys give distinct names.
 */
export function checkpointFileName(key: string): string {
  const encoded = Array.from(Buffer.from(key, 'utf8'), (byte, index) => {
    const char = String.fromCharCode(byte);
    const plain = /[A-Za-z0-9_-]/.test(char) || (char === '.' && index > 0);
    return plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  return `${encoded}.json`;
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates a checkpoint store keeping one JSON file per key in `folder` (created when
 * missing). A save writes a temporary file, flushes it to disk (fsync), renames it over
 * the old file and flushes the folder, so a crash at any point leaves either the old or
 * the new checkpoint, never a torn one. Saves of one key are applied in call order.
 *
 * `load` throws `ConfigError` `CIEM_INGEST_CHECKPOINT_CORRUPT` for a file that is not a
 * checkpoint of this store, and the file system's error when a file cannot be read or written.
 * NOTE: two processes saving the same key in one folder overwrite each other's progress;
 * give each poller its own key or folder.
 */
export function createFileCheckpointStore(folder: string): CheckpointStore {
  if (typeof folder !== 'string' || folder.length === 0) {
    throw invalidOption('folder', 'a folder path', folder);
  }
  const root = path.resolve(folder);
  let created: Promise<void> | undefined;
  const ensureFolder = (): Promise<void> => {
    created ??= mkdir(root, { recursive: true }).then(() => undefined);
    created.catch(() => {
      created = undefined;
    });
    return created;
  };
  const queues = new Map<string, Promise<unknown>>();
  const serialize = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => {});
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };
  const fileOf = (key: string): string => {
    if (typeof key !== 'string' || key.length === 0) {
      throw invalidOption('key', 'a non-empty checkpoint key', key);
    }
    return path.join(root, checkpointFileName(key));
  };

  return {
    async load<T>(key: string): Promise<T | undefined> {
      const file = fileOf(key);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const stored = parsed as { version?: unknown; key?: unknown; value?: unknown } | undefined;
      if (
        typeof stored !== 'object' ||
        stored === null ||
        stored.version !== FORMAT_VERSION ||
        stored.key !== key ||
        !('value' in stored)
      ) {
        throw new ConfigError(
          IngestErrorCodes.checkpointCorrupt,
          `checkpoint file ${file} is invalid: expected {"version":${FORMAT_VERSION},"key":${JSON.stringify(key)},"value":...}, received ${describeValue(text)}; fix or delete the file (deleting restarts from the configured start)`,
          { details: { file, key } },
        );
      }
      return stored.value as T;
    },

    save(key, value) {
      const file = fileOf(key);
      const text = `${JSON.stringify({ version: FORMAT_VERSION, key, value })}\n`;
      return serialize(key, async () => {
        await ensureFolder();
        const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        const handle = await open(temporary, 'w');
        try {
          await handle.writeFile(text, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        try {
          await rename(temporary, file);
        } catch (error) {
          await rm(temporary, { force: true });
          throw error;
        }
        await syncFolder(root);
      });
    },

    remove(key) {
      const file = fileOf(key);
      return serialize(key, async () => {
        await rm(file, { force: true });
        await ensureFolder();
        await syncFolder(root);
      });
    },
  };
}
