import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Checkpoint, PartitionOwnership } from '@azure/event-hubs';
import { checkpointFileName } from '@ciem/ingest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestAzureErrorCodes } from './errors.js';
import { checkpointKey, createLocalCheckpointStore } from './local-checkpoint-store.js';

const namespace = 'contoso.servicebus.windows.net';
const hub = 'insights-activity-logs';
const group = '$Default';

function checkpoint(partitionId: string, sequenceNumber: number): Checkpoint {
  return {
    fullyQualifiedNamespace: namespace,
    eventHubName: hub,
    consumerGroup: group,
    partitionId,
    sequenceNumber,
    offset: String(sequenceNumber * 1000),
  };
}

function ownership(partitionId: string, ownerId: string, etag?: string): PartitionOwnership {
  return {
    fullyQualifiedNamespace: namespace,
    eventHubName: hub,
    consumerGroup: group,
    partitionId,
    ownerId,
    ...(etag === undefined ? {} : { etag }),
  };
}

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'ciem-eventhub-checkpoints-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('createLocalCheckpointStore', () => {
  it('lists nothing in an empty folder', async () => {
    const store = createLocalCheckpointStore(folder);
    expect(await store.listCheckpoints(namespace, hub, group)).toEqual([]);
  });

  it('reads checkpoints after reopening', async () => {
    const store = createLocalCheckpointStore(folder);
    await store.updateCheckpoint(checkpoint('0', 41));
    await store.updateCheckpoint(checkpoint('1', 7));
    await store.updateCheckpoint(checkpoint('0', 42));

    const reopened = createLocalCheckpointStore(folder);
    const listed = await reopened.listCheckpoints(namespace, hub, group);

    expect(listed).toHaveLength(2);
    expect(listed).toContainEqual(checkpoint('0', 42));
    expect(listed).toContainEqual(checkpoint('1', 7));
  });

  it('keeps concurrent partition updates', async () => {
    const store = createLocalCheckpointStore(folder);
    await Promise.all(
      Array.from({ length: 8 }, (_, partition) =>
        store.updateCheckpoint(checkpoint(String(partition), partition + 100)),
      ),
    );

    const listed = await createLocalCheckpointStore(folder).listCheckpoints(namespace, hub, group);
    expect(listed.map((entry) => entry.sequenceNumber).sort((a, b) => a - b)).toEqual([
      100, 101, 102, 103, 104, 105, 106, 107,
    ]);
  });

  it('ends with the last of rapid updates', async () => {
    const store = createLocalCheckpointStore(folder);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => store.updateCheckpoint(checkpoint('0', index))),
    );

    const listed = await createLocalCheckpointStore(folder).listCheckpoints(namespace, hub, group);
    expect(listed).toEqual([checkpoint('0', 19)]);
  });

  it('separates consumer groups', async () => {
    const store = createLocalCheckpointStore(folder);
    await store.updateCheckpoint(checkpoint('0', 5));
    await store.updateCheckpoint({ ...checkpoint('0', 9), consumerGroup: 'audit' });

    expect(await store.listCheckpoints(namespace, hub, group)).toEqual([checkpoint('0', 5)]);
    expect(await store.listCheckpoints(namespace, hub, 'audit')).toEqual([
      { ...checkpoint('0', 9), consumerGroup: 'audit' },
    ]);
  });

  it('leaves no temporary files behind', async () => {
    const store = createLocalCheckpointStore(folder);
    await store.updateCheckpoint(checkpoint('0', 1));
    await store.updateCheckpoint(checkpoint('0', 2));

    const files = await readdir(folder);
    expect(files).toEqual([checkpointFileName(checkpointKey(namespace, hub, group))]);
  });

  it('ignores a stray temporary file', async () => {
    const store = createLocalCheckpointStore(folder);
    await store.updateCheckpoint(checkpoint('0', 3));
    const file = path.join(folder, checkpointFileName(checkpointKey(namespace, hub, group)));
    // What a crash between writing and renaming leaves: a half-written temporary file.
    await writeFile(`${file}.999.deadbeef.tmp`, '{"version":1,"key":');

    const listed = await createLocalCheckpointStore(folder).listCheckpoints(namespace, hub, group);
    expect(listed).toEqual([checkpoint('0', 3)]);
  });

  it('stores the checkpoint fields only', async () => {
    const store = createLocalCheckpointStore(folder);
    await store.updateCheckpoint({ ...checkpoint('2', 8), extra: 'x' } as Checkpoint);
    const file = path.join(folder, checkpointFileName(checkpointKey(namespace, hub, group)));
    const stored = JSON.parse(await readFile(file, 'utf8')) as { value: Record<string, unknown> };

    expect(stored.value).toEqual({ '2': checkpoint('2', 8) });
  });

  it('rejects a corrupt checkpoint file', async () => {
    const file = path.join(folder, checkpointFileName(checkpointKey(namespace, hub, group)));
    await writeFile(file, 'not json');

    await expect(
      createLocalCheckpointStore(folder).listCheckpoints(namespace, hub, group),
    ).rejects.toMatchObject({ code: 'CIEM_INGEST_CHECKPOINT_CORRUPT' });
  });

  it.each([
    ['partitionId', { partitionId: '' }],
    ['sequenceNumber', { sequenceNumber: -1 }],
    ['offset', { offset: undefined }],
  ])('rejects a checkpoint without %s', async (field, change) => {
    const store = createLocalCheckpointStore(folder);
    const invalid = { ...checkpoint('0', 1), ...change } as Checkpoint;

    await expect(store.updateCheckpoint(invalid)).rejects.toMatchObject({
      code: IngestAzureErrorCodes.checkpointInvalid,
      message: expect.stringContaining(field),
    });
  });

  it('claims unowned partitions', async () => {
    const store = createLocalCheckpointStore(folder);
    const claimed = await store.claimOwnership([ownership('0', 'a'), ownership('1', 'a')]);

    expect(claimed.map((entry) => entry.partitionId)).toEqual(['0', '1']);
    expect(claimed.every((entry) => typeof entry.etag === 'string')).toBe(true);
    expect(await store.listOwnership(namespace, hub, group)).toHaveLength(2);
  });

  it('rejects a claim with stale etag', async () => {
    const store = createLocalCheckpointStore(folder);
    const [first] = await store.claimOwnership([ownership('0', 'a')]);
    const stolen = await store.claimOwnership([ownership('0', 'b', first?.etag)]);
    const stale = await store.claimOwnership([ownership('0', 'a', first?.etag)]);

    expect(stolen.map((entry) => entry.ownerId)).toEqual(['b']);
    expect(stale).toEqual([]);
  });

  it('forgets ownership on reopen', async () => {
    const store = createLocalCheckpointStore(folder);
    await store.claimOwnership([ownership('0', 'a')]);

    expect(await createLocalCheckpointStore(folder).listOwnership(namespace, hub, group)).toEqual(
      [],
    );
  });
});
