import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnomalyCheckpoint } from '@ciem/anomaly';
import { DependencyError } from '@ciem/errors';

/** A partition's saved baselines and the offset of the last message they include. */
export interface PartitionCheckpoint {
  /** Offset (decimal string) of the last message applied to `state`. */
  offset: string;
  state: AnomalyCheckpoint;
}

/**
 * Stores one JSON file per topic partition under `dir`. A write goes to a temporary file
 * that is renamed over the old one, so a crash leaves either the old or the new checkpoint.
 * Read and write failures raise `DependencyError` `CIEM_ANOMALY_CHECKPOINT_IO_FAILED`.
 */
export function createAnomalyCheckpointStore(dir: string) {
  const fileOf = (topic: string, partition: number) => path.join(dir, `${topic}-${partition}.json`);
  return {
    async load(topic: string, partition: number): Promise<PartitionCheckpoint | undefined> {
      try {
        return JSON.parse(await readFile(fileOf(topic, partition), 'utf8')) as PartitionCheckpoint;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw ioFailed('read', fileOf(topic, partition), error);
      }
    },
    async save(topic: string, partition: number, checkpoint: PartitionCheckpoint): Promise<void> {
      const file = fileOf(topic, partition);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(`${file}.tmp`, JSON.stringify(checkpoint));
        await rename(`${file}.tmp`, file);
      } catch (error) {
        throw ioFailed('write', file, error);
      }
    },
  };
}

/** The checkpoint store of {@link createAnomalyCheckpointStore}. */
export type AnomalyCheckpointStore = ReturnType<typeof createAnomalyCheckpointStore>;

function ioFailed(verb: string, file: string, cause: unknown): DependencyError {
  return new DependencyError(
    'CIEM_ANOMALY_CHECKPOINT_IO_FAILED',
    `Failed to ${verb} the anomaly checkpoint ${file}: ${(cause as Error).message}. Check that CIEM_ANOMALY_CHECKPOINT_DIR is writable; the batch is delivered again.`,
    { cause, details: { file } },
  );
}
