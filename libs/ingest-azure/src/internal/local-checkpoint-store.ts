import { randomUUID } from 'node:crypto';
import type { Checkpoint, CheckpointStore, PartitionOwnership } from '@azure/event-hubs';
import { InputError, describeValue } from '@ciem/errors';
import { createFileCheckpointStore } from '@ciem/ingest';
import { IngestAzureErrorCodes } from './errors.js';

/** Checkpoints of one consumer group, by partition id, as stored in one file. */
type CheckpointsByPartition = Record<string, Checkpoint>;

/** Returns the file store key of the checkpoints of one consumer group of one event hub. */
export function checkpointKey(namespace: string, eventHubName: string, group: string): string {
  return `eventhubs/${namespace}/${eventHubName}/${group}/checkpoints`;
}

function validateCheckpoint(checkpoint: Checkpoint): void {
  const problems: string[] = [];
  if (typeof checkpoint.partitionId !== 'string' || checkpoint.partitionId.length === 0) {
    problems.push(
      `partitionId: expected a non-empty string, received ${describeValue(checkpoint.partitionId)}`,
    );
  }
  if (!Number.isSafeInteger(checkpoint.sequenceNumber) || checkpoint.sequenceNumber < 0) {
    problems.push(
      `sequenceNumber: expected an integer ≥ 0, received ${describeValue(checkpoint.sequenceNumber)}`,
    );
  }
  if (typeof checkpoint.offset !== 'string' || checkpoint.offset.length === 0) {
    problems.push(
      `offset: expected a non-empty string, received ${describeValue(checkpoint.offset)}`,
    );
  }
  if (problems.length > 0) {
    throw new InputError(
      IngestAzureErrorCodes.checkpointInvalid,
      `invalid Event Hubs checkpoint: ${problems.join('; ')}`,
      { details: { partition: String(checkpoint.partitionId) } },
    );
  }
}

/**
 * Creates an Event Hubs `CheckpointStore` (the SDK interface that `BlobCheckpointStore`
 * implements) that keeps checkpoints in files under `folder`, for a consumer running on one
 * machine without Azure Blob Storage. Checkpoints of one consumer group live in one file,
 * written through `createFileCheckpointStore` of `@ciem/ingest`: a temporary file is
 * flushed and renamed over the old one, so a crash leaves the old or the new checkpoints,
 * and updates are written in call order.
 *
 * Partition ownership stays in memory, so a restarted process claims every partition at
 * once instead of waiting for the previous owner's claims to expire. For the same reason the
 * store suits one consumer process per folder and consumer group.
 * NOTE: nothing stops two processes from sharing a folder; they would both read every
 * partition and overwrite each other's checkpoints. Use the blob checkpoint store for more
 * than one process.
 *
 * `listCheckpoints` throws `ConfigError` `CIEM_INGEST_CHECKPOINT_CORRUPT` for a file that is
 * not a checkpoint file; `updateCheckpoint` throws `InputError`
 * `CIEM_INGEST_AZURE_CHECKPOINT_INVALID` for a checkpoint without partition, offset or
 * sequence number, and the file system's error when writing fails.
 */
export function createLocalCheckpointStore(folder: string): CheckpointStore {
  const files = createFileCheckpointStore(folder);
  const checkpoints = new Map<string, Promise<CheckpointsByPartition>>();
  const ownerships = new Map<string, PartitionOwnership>();

  /** Returns the cached checkpoints of `key`, read from the file on first use. */
  const checkpointsOf = (key: string): Promise<CheckpointsByPartition> => {
    let cached = checkpoints.get(key);
    if (cached === undefined) {
      cached = files.load<CheckpointsByPartition>(key).then((stored) => ({ ...(stored ?? {}) }));
      checkpoints.set(key, cached);
      // A failed read is not cached, so the next call reads the file again.
      cached.catch(() => checkpoints.delete(key));
    }
    return cached;
  };

  const ownershipKey = (ownership: PartitionOwnership): string =>
    `${ownership.fullyQualifiedNamespace}\n${ownership.eventHubName}\n${ownership.consumerGroup}\n${ownership.partitionId}`;

  return {
    async listOwnership(namespace, eventHubName, consumerGroup) {
      return [...ownerships.values()]
        .filter(
          (ownership) =>
            ownership.fullyQualifiedNamespace === namespace &&
            ownership.eventHubName === eventHubName &&
            ownership.consumerGroup === consumerGroup,
        )
        .map((ownership) => ({ ...ownership }));
    },

    async claimOwnership(requested) {
      const claimed: PartitionOwnership[] = [];
      for (const ownership of requested) {
        const key = ownershipKey(ownership);
        const current = ownerships.get(key);
        // The SDK claims with the etag it last listed; another etag means someone claimed since.
        if (current !== undefined && current.etag !== ownership.etag) continue;
        const updated = { ...ownership, etag: randomUUID(), lastModifiedTimeInMs: Date.now() };
        ownerships.set(key, updated);
        claimed.push({ ...updated });
      }
      return claimed;
    },

    async updateCheckpoint(checkpoint) {
      validateCheckpoint(checkpoint);
      const key = checkpointKey(
        checkpoint.fullyQualifiedNamespace,
        checkpoint.eventHubName,
        checkpoint.consumerGroup,
      );
      const byPartition = await checkpointsOf(key);
      byPartition[checkpoint.partitionId] = {
        fullyQualifiedNamespace: checkpoint.fullyQualifiedNamespace,
        eventHubName: checkpoint.eventHubName,
        consumerGroup: checkpoint.consumerGroup,
        partitionId: checkpoint.partitionId,
        sequenceNumber: checkpoint.sequenceNumber,
        offset: checkpoint.offset,
      };
      // The snapshot is taken now and saves of one key are written in call order, so the
      // file always ends with the latest checkpoint of every partition.
      await files.save(key, { ...byPartition });
    },

    async listCheckpoints(namespace, eventHubName, consumerGroup) {
      const byPartition = await checkpointsOf(
        checkpointKey(namespace, eventHubName, consumerGroup),
      );
      return Object.values(byPartition).map((checkpoint) => ({ ...checkpoint }));
    },
  };
}
