import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CheckpointStore, RawPublishRecord, RawPublisher } from '@ciem/ingest';
import { describe, expect, it } from 'vitest';
import { cloudTrailRecord, deliveryFile } from '../test-support/cloudtrail-fixtures.js';
import { backfillS3 } from './s3-backfill.js';

const bucket = 'trail-bucket';
const account = '111122223333';

/**
 * An in-memory bucket that serves ListObjectsV2 (prefix, delimiter `/` or none, start-after,
 * continuation, at most `pageSize` entries a page) and GetObject, recording every listed
 * prefix.
 */
class FakeBucket {
  readonly objects = new Map<string, Buffer>();
  readonly listed: string[] = [];

  constructor(private readonly pageSize = 2) {}

  put(key: string, eventId: string): void {
    this.objects.set(key, deliveryFile([cloudTrailRecord(eventId, account)]));
  }

  client(): S3Client {
    const send = async (command: unknown): Promise<unknown> => {
      if (command instanceof ListObjectsV2Command) return this.list(command.input);
      if (command instanceof GetObjectCommand) {
        const body = this.objects.get(command.input.Key ?? '');
        if (body === undefined) throw new Error(`no object ${command.input.Key}`);
        return { Body: Readable.from([body]) };
      }
      throw new Error('unexpected command');
    };
    return { send } as unknown as S3Client;
  }

  private list(input: ListObjectsV2Command['input']): unknown {
    const prefix = input.Prefix ?? '';
    this.listed.push(prefix);
    const entries = new Map<string, 'object' | 'directory'>();
    for (const key of [...this.objects.keys()].sort()) {
      if (!key.startsWith(prefix)) continue;
      if (input.StartAfter !== undefined && key <= input.StartAfter) continue;
      const slash = input.Delimiter === '/' ? key.indexOf('/', prefix.length) : -1;
      if (slash === -1) entries.set(key, 'object');
      else entries.set(key.slice(0, slash + 1), 'directory');
    }
    const all = [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
    const start = Number(input.ContinuationToken ?? 0);
    const page = all.slice(start, start + this.pageSize);
    const truncated = start + this.pageSize < all.length;
    return {
      Contents: page.filter(([, kind]) => kind === 'object').map(([key]) => ({ Key: key })),
      CommonPrefixes: page
        .filter(([, kind]) => kind === 'directory')
        .map(([name]) => ({ Prefix: name })),
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: String(start + this.pageSize) } : {}),
    };
  }
}

/** Builds a publisher that keeps the event ids it gets and aborts `abort` at its first record. */
function memoryPublisher(abort?: AbortController): RawPublisher & { eventIds: string[] } {
  const eventIds: string[] = [];
  return {
    provider: 'aws',
    topic: 'raw',
    deadLetterTopic: 'dlq',
    eventIds,
    async publish(records) {
      for (const record of records) eventIds.push(eventIdOf(record));
      return { records: records.length, bytes: 0, deadLettered: 0 };
    },
    async publishStream(records) {
      let count = 0;
      for await (const record of records) {
        eventIds.push(eventIdOf(record));
        count += 1;
        abort?.abort();
      }
      return { records: count, bytes: 0, deadLettered: 0 };
    },
    async deadLetter() {
      throw new Error('unexpected dead letter');
    },
    inFlight: () => ({ records: 0, bytes: 0 }),
  };
}

function eventIdOf(record: RawPublishRecord): string {
  return (JSON.parse(record.value.toString()) as { eventID: string }).eventID;
}

function memoryStore(): CheckpointStore & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    async load<T>(name: string) {
      return values.get(name) as T | undefined;
    },
    async save(name, value) {
      values.set(name, JSON.parse(JSON.stringify(value)));
    },
    async remove(name) {
      values.delete(name);
    },
  };
}

function trailKey(region: string, day: string, time: string): string {
  const compact = day.replace(/\//g, '');
  return `AWSLogs/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${compact}T${time}Z_abc.json.gz`;
}

describe('backfillS3 resume', () => {
  it('reads new regions and late files', async () => {
    const fake = new FakeBucket();
    fake.put(trailKey('us-west-2', '2024/05/01', '0000'), 'w-0501');
    fake.put(trailKey('us-west-2', '2024/05/16', '1000'), 'w-0516');
    fake.put(trailKey('us-west-2', '2024/05/17', '1200'), 'w-0517');
    const checkpoints = memoryStore();
    const run = async () => {
      const publisher = memoryPublisher();
      const report = await backfillS3({
        s3: fake.client(),
        prefixes: [`s3://${bucket}/AWSLogs/`],
        publisher,
        checkpoints,
      });
      return { report, eventIds: publisher.eventIds.sort() };
    };
    expect((await run()).eventIds).toEqual(['w-0501', 'w-0516', 'w-0517']);

    // A new region sorting before us-west-2, a late file on the mark's day before the mark,
    // one on the day before, and one after the mark.
    fake.put(trailKey('ap-south-1', '2024/03/02', '0100'), 'a-0302');
    fake.put(trailKey('us-west-2', '2024/05/17', '1155'), 'w-late-0517');
    fake.put(trailKey('us-west-2', '2024/05/16', '2355'), 'w-late-0516');
    fake.put(trailKey('us-west-2', '2024/05/18', '0005'), 'w-0518');
    fake.listed.length = 0;
    const second = await run();
    expect(second.eventIds).toEqual(['a-0302', 'w-0518', 'w-late-0516', 'w-late-0517']);
    expect(second.report).toMatchObject({ files: 4, records: 4 });
    // The days of us-west-2 before the cutoff (May 15) are not listed.
    expect(fake.listed).not.toContain(`AWSLogs/${account}/CloudTrail/us-west-2/2024/05/01/`);
    expect(fake.listed).toContain(`AWSLogs/${account}/CloudTrail/us-west-2/2024/05/16/`);

    expect((await run()).eventIds).toEqual([]);
  });

  it('resumes a first-format checkpoint', async () => {
    const fake = new FakeBucket();
    fake.put(trailKey('us-east-1', '2024/05/01', '0000'), 'e-1');
    fake.put(trailKey('us-east-1', '2024/05/02', '0000'), 'e-2');
    fake.put(trailKey('us-west-2', '2024/05/01', '0000'), 'w-1');
    const checkpoints = memoryStore();
    const checkpointKey = `s3-backfill/${bucket}/AWSLogs/`;
    await checkpoints.save(checkpointKey, { after: trailKey('us-east-1', '2024/05/01', '0000') });
    const run = async () => {
      const publisher = memoryPublisher();
      await backfillS3({
        s3: fake.client(),
        prefixes: [`s3://${bucket}/AWSLogs/`],
        publisher,
        checkpoints,
      });
      return publisher.eventIds.sort();
    };
    expect(await run()).toEqual(['e-2', 'w-1']);
    expect(checkpoints.values.get(checkpointKey)).toMatchObject({ version: 2 });
    // The key the first format counted as done stays done in the current one.
    expect(await run()).toEqual([]);
  });

  it('skips digest files and records them', async () => {
    const fake = new FakeBucket();
    fake.objects.set(
      `AWSLogs/${account}/CloudTrail-Digest/us-east-1/2024/05/01/${account}_CloudTrail-Digest_us-east-1_x.json.gz`,
      deliveryFile([]),
    );
    fake.put(trailKey('us-east-1', '2024/05/01', '0000'), 'e-1');
    const checkpoints = memoryStore();
    const run = () =>
      backfillS3({
        s3: fake.client(),
        prefixes: [`s3://${bucket}/AWSLogs/`],
        publisher: memoryPublisher(),
        checkpoints,
      });
    expect(await run()).toMatchObject({ files: 1, skippedFiles: 1 });
    expect(await run()).toMatchObject({ files: 0, skippedFiles: 0 });
  });

  it('reads an object cut short again', async () => {
    const fake = new FakeBucket();
    fake.objects.set(
      trailKey('us-east-1', '2024/05/01', '0000'),
      deliveryFile([cloudTrailRecord('e-1', account), cloudTrailRecord('e-2', account)]),
    );
    const checkpoints = memoryStore();
    const controller = new AbortController();
    const first = memoryPublisher(controller);
    await backfillS3({
      s3: fake.client(),
      prefixes: [`s3://${bucket}/AWSLogs/`],
      publisher: first,
      checkpoints,
      signal: controller.signal,
    });
    expect(first.eventIds).toEqual(['e-1']);

    const second = memoryPublisher();
    await backfillS3({
      s3: fake.client(),
      prefixes: [`s3://${bucket}/AWSLogs/`],
      publisher: second,
      checkpoints,
    });
    expect(second.eventIds.sort()).toEqual(['e-1', 'e-2']);
  });
});
