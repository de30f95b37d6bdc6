import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointStore } from './checkpoint-store.js';

/**
 * Size and modification time of a file when a backfill started reading it. A file counts as
 * changed when either differs from the recorded one.
 */
export interface FileVersion {
  /** Size in bytes. */
  size: number;
  /** Modification time, in milliseconds since the epoch (`fs.Stats.mtimeMs`). */
  mtimeMs: number;
}

/** Checkpoint value of one folder: the files of it that a backfill published in full. */
interface FolderCheckpoint {
  version: 1;
  /** Absolute path of the folder, which the store key only hashes. */
  folder: string;
  /** Per file name, the version that was published. */
  files: Record<string, FileVersion>;
}

function isFolderCheckpoint(value: unknown, folder: string): value is FolderCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<FolderCheckpoint>;
  if (candidate.version !== 1 || candidate.folder !== folder) return false;
  if (typeof candidate.files !== 'object' || candidate.files === null) return false;
  return Object.values(candidate.files).every(
    (version) => typeof version?.size === 'number' && typeof version.mtimeMs === 'number',
  );
}

/** Reads the size and modification time of a file. */
export async function fileVersionOf(file: string): Promise<FileVersion> {
  const info = await stat(file);
  return { size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * Records, per folder, the files a backfill published in full to one topic, so that a later
 * run with the same store skips them while they are unchanged. The store key is
 * `file-backfill/<topic>/<SHA-256 of the folder path, 32 hex digits>`, which keeps checkpoint
 * file names short whatever the path. A folder's checkpoint lists one entry per file done in
 * it that still exists, so it is bounded by the folder's file count.
 */
export class FileBackfillProgress {
  private readonly folders = new Map<string, Promise<FolderCheckpoint>>();
  /** Folders with files recorded since their checkpoint was last saved. */
  private readonly unsaved = new Set<string>();
  private savedAt = Date.now();

  /**
   * Saves at most every `saveIntervalMs` milliseconds, because a folder's checkpoint is
   * rewritten whole and saving it after each of thousands of files would write it each time.
   */
  constructor(
    private readonly store: CheckpointStore,
    private readonly topic: string,
    private readonly saveIntervalMs = 1000,
  ) {}

  /** Returns true when `file` (an absolute path) was published in full as `version`. */
  async isDone(file: string, version: FileVersion): Promise<boolean> {
    const checkpoint = await this.folderOf(path.dirname(file));
    const done = checkpoint.files[path.basename(file)];
    return done !== undefined && done.size === version.size && done.mtimeMs === version.mtimeMs;
  }

  /**
   * Records that every record of `file`, read as `version`, was acknowledged, and saves the
   * recorded folders when the save interval has passed.
   */
  async markDone(file: string, version: FileVersion): Promise<void> {
    const folder = path.dirname(file);
    const checkpoint = await this.folderOf(folder);
    checkpoint.files[path.basename(file)] = version;
    this.unsaved.add(folder);
    if (Date.now() - this.savedAt >= this.saveIntervalMs) await this.flush();
  }

  /** Saves the checkpoint of every folder with files recorded since its last save. */
  async flush(): Promise<void> {
    this.savedAt = Date.now();
    for (const folder of [...this.unsaved]) {
      this.unsaved.delete(folder);
      await this.store.save(this.keyOf(folder), await this.folderOf(folder));
    }
  }

  private keyOf(folder: string): string {
    const digest = createHash('sha256').update(folder, 'utf8').digest('hex').slice(0, 32);
    return `file-backfill/${this.topic}/${digest}`;
  }

  private folderOf(folder: string): Promise<FolderCheckpoint> {
    let loading = this.folders.get(folder);
    if (loading === undefined) {
      loading = this.load(folder);
      this.folders.set(folder, loading);
    }
    return loading;
  }

  private async load(folder: string): Promise<FolderCheckpoint> {
    const saved = await this.store.load<unknown>(this.keyOf(folder));
    const checkpoint: FolderCheckpoint = { version: 1, folder, files: {} };
    // A value of another form, or of another folder with the same hash, counts as no
    // checkpoint: the folder's files are read again, which duplicates records but loses none.
    if (!isFolderCheckpoint(saved, folder)) return checkpoint;
    for (const [name, version] of Object.entries(saved.files)) {
      // Entries of deleted files are dropped so that the checkpoint does not grow forever.
      const present = await stat(path.join(folder, name)).then(
        () => true,
        () => false,
      );
      if (present) checkpoint.files[name] = version;
    }
    return checkpoint;
  }
}
