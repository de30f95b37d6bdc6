import { appendFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backfillFiles } from './backfill-files.js';
import { createFileCheckpointStore } from './checkpoint-store.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { RawPublishRecord, RawPublisher } from './raw-publisher.js';

let root: string;
/** The backfill input. */
let folder: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ciem-backfill-files-'));
  folder = path.join(root, 'input');
  await mkdir(folder);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A CloudTrail record with only the fields the reader and the key function use. */
function line(eventId: string): string {
  return JSON.stringify({
    eventVersion: '1.08',
    eventID: eventId,
    eventTime: '2024-05-01T12:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    recipientAccountId: '111122223333',
  });
}

/** Builds a publisher that keeps the event ids it gets and aborts once `abort.after` arrived. */
function memoryPublisher(abort?: { controller: AbortController; after: number }): RawPublisher & {
  eventIds: string[];
} {
  const eventIds: string[] = [];
  return {
    provider: 'aws',
    topic: 'test.ciem.raw.aws.cloudtrail',
    deadLetterTopic: 'test.ciem.dlq',
    eventIds,
    async publish() {
      throw new Error('unexpected publish');
    },
    async publishStream(records: AsyncIterable<RawPublishRecord>) {
      let count = 0;
      for await (const record of records) {
        eventIds.push((JSON.parse(record.value.toString()) as { eventID: string }).eventID);
        count += 1;
        if (abort !== undefined && eventIds.length >= abort.after) abort.controller.abort();
      }
      return { records: count, bytes: 0, deadLettered: 0 };
    },
    async deadLetter() {
      throw new Error('unexpected dead letter');
    },
    inFlight: () => ({ records: 0, bytes: 0 }),
  };
}

async function run(
  checkpoints: CheckpointStore,
  inputs: string[] = [folder],
  signal?: AbortSignal,
  publisher = memoryPublisher(),
): Promise<{ eventIds: string[]; unchangedFiles: number; files: number }> {
  const report = await backfillFiles({
    inputs,
    publisher,
    checkpoints,
    ...(signal === undefined ? {} : { signal }),
  });
  return {
    eventIds: publisher.eventIds.sort(),
    unchangedFiles: report.unchangedFiles,
    files: report.files,
  };
}

describe('backfillFiles with checkpoints', () => {
  it('skips files already published', async () => {
    await writeFile(path.join(folder, 'a.ndjson'), `${line('a-1')}\n${line('a-2')}\n`);
    await mkdir(path.join(folder, 'day'));
    await writeFile(path.join(folder, 'day', 'b.ndjson'), `${line('b-1')}\n`);
    const checkpoints = createFileCheckpointStore(path.join(root, 'checkpoints'));
    expect(await run(checkpoints)).toEqual({
      eventIds: ['a-1', 'a-2', 'b-1'],
      unchangedFiles: 0,
      files: 2,
    });
    expect(await run(checkpoints)).toEqual({ eventIds: [], unchangedFiles: 2, files: 0 });
  });

  it('reads new and changed files', async () => {
    const unchanged = path.join(folder, 'unchanged.ndjson');
    const grown = path.join(folder, 'grown.ndjson');
    const touched = path.join(folder, 'touched.ndjson');
    await writeFile(unchanged, `${line('u-1')}\n`);
    await writeFile(grown, `${line('g-1')}\n`);
    await writeFile(touched, `${line('t-1')}\n`);
    const checkpoints = memoryStore();
    expect((await run(checkpoints)).eventIds).toEqual(['g-1', 't-1', 'u-1']);

    // Appended to: the size changes. Touched: same size and content, a later mtime.
    await appendFile(grown, `${line('g-2')}\n`);
    const later = new Date(Date.UTC(2030, 0, 1));
    await utimes(touched, later, later);
    await writeFile(path.join(folder, 'new.ndjson'), `${line('n-1')}\n`);

    // A changed file is read whole again, so g-1 and t-1 repeat.
    expect(await run(checkpoints)).toEqual({
      eventIds: ['g-1', 'g-2', 'n-1', 't-1'],
      unchangedFiles: 1,
      files: 3,
    });
    expect(await run(checkpoints)).toEqual({ eventIds: [], unchangedFiles: 4, files: 0 });
  });

  it('reads a partly published file again', async () => {
    await writeFile(path.join(folder, 'a.ndjson'), `${line('a-1')}\n${line('a-2')}\n`);
    await writeFile(path.join(folder, 'b.ndjson'), `${line('b-1')}\n`);
    const checkpoints = memoryStore();
    const controller = new AbortController();
    const stopped = await run(
      checkpoints,
      [folder],
      controller.signal,
      memoryPublisher({ controller, after: 1 }),
    );
    expect(stopped.eventIds).toEqual(['a-1']);

    // a.ndjson was cut short, so it is read whole; b.ndjson was never reached.
    expect((await run(checkpoints)).eventIds).toEqual(['a-1', 'a-2', 'b-1']);
  });

  it('keeps checkpoints per topic', async () => {
    await writeFile(path.join(folder, 'a.ndjson'), `${line('a-1')}\n`);
    const checkpoints = memoryStore();
    expect((await run(checkpoints)).eventIds).toEqual(['a-1']);

    const otherTopic = { ...memoryPublisher(), topic: 'other.ciem.raw.aws.cloudtrail' };
    const report = await backfillFiles({ inputs: [folder], publisher: otherTopic, checkpoints });
    expect(report.files).toBe(1);
  });

  it('reads everything without checkpoints', async () => {
    await writeFile(path.join(folder, 'a.ndjson'), `${line('a-1')}\n`);
    const publisher = memoryPublisher();
    await backfillFiles({ inputs: [folder], publisher });
    await backfillFiles({ inputs: [folder], publisher });
    expect(publisher.eventIds).toEqual(['a-1', 'a-1']);
  });
});

function memoryStore(): CheckpointStore {
  const values = new Map<string, string>();
  return {
    async load<T>(key: string) {
      const text = values.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    async save(key, value) {
      values.set(key, JSON.stringify(value));
    },
    async remove(key) {
      values.delete(key);
    },
  };
}
