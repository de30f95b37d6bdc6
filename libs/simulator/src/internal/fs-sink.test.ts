import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createDirectorySink } from './fs-sink.js';

const folders: string[] = [];
function tempFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'ciem-sim-'));
  folders.push(folder);
  return folder;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('createDirectorySink', () => {
  it('gzips paths ending in .gz', async () => {
    const dir = tempFolder();
    const file = await createDirectorySink(dir).open('a/b/log.json.gz');
    await file.write('{"Records":[');
    await file.write(']}');
    await file.close();
    const bytes = readFileSync(path.join(dir, 'a/b/log.json.gz'));
    expect(bytes[0]).toBe(0x1f);
    expect(bytes[1]).toBe(0x8b);
    expect(gunzipSync(bytes).toString()).toBe('{"Records":[]}');
  });

  it('writes plain text without gzip', async () => {
    const dir = tempFolder();
    const file = await createDirectorySink(dir, { gzip: false }).open('a/log.json.gz');
    await file.write('{"Records":[]}');
    await file.close();
    expect(readdirSync(path.join(dir, 'a'))).toEqual(['log.json']);
    expect(readFileSync(path.join(dir, 'a/log.json'), 'utf8')).toBe('{"Records":[]}');
  });

  it('rejects paths outside the folder', async () => {
    const dir = tempFolder();
    expect(() => createDirectorySink(dir).open('../escape.json')).toThrow(
      /outside the output folder/,
    );
  });
});
