import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointStore } from './checkpoint-store.js';
import { FileBackfillProgress, fileVersionOf } from './file-backfill-progress.js';

/** Builds an in-memory store that counts its saves. */
function countingStore() {
  const values = new Map<string, unknown>();
  const counts = { saves: 0 };
  const store: CheckpointStore = {
    load: <T>(key: string) => Promise.resolve(values.get(key) as T | undefined),
    save: (key, value) => {
      counts.saves += 1;
      values.set(key, structuredClone(value));
      return Promise.resolve();
    },
    remove: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
  };
  return { store, counts };
}

describe('FileBackfillProgress', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'ciem-file-progress-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('saves once per interval, not per file', async () => {
    const { store, counts } = countingStore();
    const progress = new FileBackfillProgress(store, 'ciem.raw.azure.activity', 60_000);
    const files = Array.from({ length: 20 }, (_, index) => path.join(folder, `${index}.json`));
    for (const file of files) {
      await writeFile(file, '{}\n');
      await progress.markDone(file, await fileVersionOf(file));
    }
    expect(counts.saves).toBe(0);

    await progress.flush();
    expect(counts.saves).toBe(1);

    const reread = new FileBackfillProgress(store, 'ciem.raw.azure.activity');
    for (const file of files) {
      expect(await reread.isDone(file, await fileVersionOf(file))).toBe(true);
    }
  });

  it('saves nothing when nothing is recorded', async () => {
    const { store, counts } = countingStore();
    await new FileBackfillProgress(store, 'ciem.raw.gcp.audit').flush();
    expect(counts.saves).toBe(0);
  });
});
