import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEmbedded } from '../index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

async function readLines(file: string): Promise<unknown[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('runEmbedded', () => {
  let outputDir: string;

  beforeEach(async () => {
    outputDir = await mkdtemp(path.join(tmpdir(), 'ciem-run-'));
  });

  afterEach(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  it('balances counts per provider', async () => {
    const summary = await runEmbedded({
      inputs: [fixtures],
      outputDir,
      now: () => Date.UTC(2024, 4, 2),
    });
    // The folder contains 2 CloudTrail records twice (plain and gzip), 2 Azure records and a
    // broken JSON line, and 1 GCP entry.
    expect(summary.files).toBe(4);
    expect(summary.providers.aws).toMatchObject({ read: 4, normalized: 4, dead_lettered: 0 });
    expect(summary.providers.azure).toMatchObject({ read: 2, normalized: 2, dead_lettered: 0 });
    expect(summary.providers.gcp).toMatchObject({ read: 1, normalized: 1, dead_lettered: 0 });
    expect(summary.providers.unknown).toMatchObject({ read: 1, normalized: 0, dead_lettered: 1 });
    for (const counts of Object.values(summary.providers)) {
      expect(counts.read).toBe(counts.normalized + counts.dead_lettered);
    }
  });

  it('writes events and dead letters', async () => {
    await runEmbedded({ inputs: [fixtures], outputDir });
    const events = await readLines(path.join(outputDir, 'events.ndjson'));
    expect(events).toHaveLength(7);
    const deadLetters = (await readLines(path.join(outputDir, 'dlq.ndjson'))) as Array<
      Record<string, unknown>
    >;
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.reason).toBe('invalid-json');
    expect(String(deadLetters[0]?.raw_ref)).toContain('azure-activity.ndjson:3');
    expect(String(deadLetters[0]?.raw)).toContain('broken json line');
  });

  it('keeps usage per principal and permission', async () => {
    await runEmbedded({ inputs: [fixtures], outputDir });
    const usage = (await readFile(path.join(outputDir, 'usage.csv'), 'utf8')).trim().split('\n');
    const rows = usage.slice(1).map((line) => line.split(','));
    const find = (principal: string, permission: string) =>
      rows.find(
        (row) => row[2] === principal && row[3]?.toLowerCase() === permission.toLowerCase(),
      );

    // S3 ListObjects is authorized by s3:ListBucket (Amazon S3 API Reference, ListObjects).
    // The record appears twice (plain and gzip copy) with one event id, and the embedded
    // store counts what it reads; deduplication by event id happens in ClickHouse.
    const listBucket = find('arn:aws:iam::111122223333:user/alice', 's3:ListBucket');
    expect(listBucket?.[5]).toBe('2');
    // The denied CreateUser is kept apart from use.
    const createUser = find('arn:aws:iam::111122223333:user/alice', 'iam:CreateUser');
    expect(createUser?.[5]).toBe('0');
    expect(createUser?.[6]).toBe('2');
    // Azure's Start and Success records of one operation count once.
    const vmWrite = find(
      'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      'Microsoft.Compute/virtualMachines/write',
    );
    expect(vmWrite?.[5]).toBe('1');
    // GCP names the permission in authorizationInfo.
    const instancesCreate = find(
      'serviceAccount:deployer@demo-project.iam.gserviceaccount.com',
      'compute.instances.create',
    );
    expect(instancesCreate?.[5]).toBe('1');
  });

  it('rejects an input that matches nothing', async () => {
    await expect(
      runEmbedded({ inputs: [path.join(fixtures, 'missing-*.json')], outputDir }),
    ).rejects.toThrow(/matches no log file/);
  });

  it('rejects an output path that is a file', async () => {
    const file = path.join(outputDir, 'taken');
    await writeFile(file, 'not a folder');
    await expect(runEmbedded({ inputs: [fixtures], outputDir: file })).rejects.toThrow(
      /output folder .*taken is unusable: it is a file/,
    );
  });

  it('rejects an output folder under /proc', async () => {
    // Node 20's recursive mkdir never settles here; the run must fail instead of hanging.
    await expect(runEmbedded({ inputs: [fixtures], outputDir: '/proc/ciem-out' })).rejects.toThrow(
      /output folder \/proc\/ciem-out is unusable: creating it failed with E/,
    );
  });
});
