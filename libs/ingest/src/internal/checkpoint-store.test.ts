import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@ciem/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointFileName, createFileCheckpointStore } from './checkpoint-store.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'ciem-checkpoints-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('createFileCheckpointStore', () => {
  it('returns undefined before any save', async () => {
    const store = createFileCheckpointStore(folder);
    expect(await store.load('lookup/us-east-1')).toBeUndefined();
  });

  it('loads the last saved value', async () => {
    const store = createFileCheckpointStore(folder);
    await store.save('lookup/us-east-1', { time: 1, ids: ['a'] });
    await store.save('lookup/us-east-1', { time: 2, ids: ['b', 'c'] });
    expect(await store.load('lookup/us-east-1')).toEqual({ time: 2, ids: ['b', 'c'] });
  });

  it('survives a new store instance', async () => {
    await createFileCheckpointStore(folder).save('partition-0', { sequence: '42' });
    expect(await createFileCheckpointStore(folder).load('partition-0')).toEqual({
      sequence: '42',
    });
  });

  it('applies concurrent saves in order', async () => {
    const store = createFileCheckpointStore(folder);
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.save('key', index)));
    expect(await store.load('key')).toBe(19);
  });

  it('leaves no temporary files behind', async () => {
    const store = createFileCheckpointStore(folder);
    await store.save('a', 1);
    await store.save('b', 2);
    expect((await readdir(folder)).sort()).toEqual(['a.json', 'b.json']);
  });

  it('creates a missing folder', async () => {
    const nested = path.join(folder, 'deep', 'er');
    const store = createFileCheckpointStore(nested);
    await store.save('x', true);
    expect(JSON.parse(await readFile(path.join(nested, 'x.json'), 'utf8'))).toEqual({
      version: 1,
      key: 'x',
      value: true,
    });
  });

  it('removes a saved value', async () => {
    const store = createFileCheckpointStore(folder);
    await store.save('gone', 1);
    await store.remove('gone');
    await store.remove('never-saved');
    expect(await store.load('gone')).toBeUndefined();
  });

  it('rejects a corrupt checkpoint file', async () => {
    await writeFile(path.join(folder, 'bad.json'), '{"version":1,"key":"bad"');
    const store = createFileCheckpointStore(folder);
    const error = await store.load('bad').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CIEM_INGEST_CHECKPOINT_CORRUPT');
    expect((error as ConfigError).message).toContain('bad.json');
  });

  it('rejects a file of another key', async () => {
    await writeFile(
      path.join(folder, 'one.json'),
      JSON.stringify({ version: 1, key: 'two', value: 1 }),
    );
    const error = await createFileCheckpointStore(folder)
      .load('one')
      .catch((caught: unknown) => caught);
    expect((error as ConfigError).code).toBe('CIEM_INGEST_CHECKPOINT_CORRUPT');
  });
});

describe('checkpointFileName', () => {
  it('keeps safe characters', () => {
    expect(checkpointFileName('lookup-us-east-1.v2')).toBe('lookup-us-east-1.v2.json');
  });

  it('encodes separators and dots first', () => {
    expect(checkpointFileName('a/b')).toBe('a%2Fb.json');
    expect(checkpointFileName('..')).toBe('%2E..json');
    expect(checkpointFileName('ü')).toBe('%C3%BC.json');
  });
});
