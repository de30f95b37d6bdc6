import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readExportFiles } from './export-files.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ciem-exports-'));
mkdirSync(path.join(dir, 'gcp'));
writeFileSync(path.join(dir, 'roles.json'), '[{"name":"roles/viewer","includedPermissions":[]}]');
writeFileSync(
  path.join(dir, 'gcp', 'policies.ndjson.gz'),
  gzipSync('{"name":"//x","iam_policy":{}}\n{"name":"//y","iam_policy":{}}\n'),
);
writeFileSync(path.join(dir, 'gcp', 'broken.json'), '[{');
writeFileSync(path.join(dir, 'notes.txt'), 'not an export');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readExportFiles', () => {
  it('reads folders, NDJSON and gzip', async () => {
    const result = await readExportFiles([dir]);
    expect(result.files.map((file) => path.relative(dir, file))).toEqual([
      path.join('gcp', 'broken.json'),
      path.join('gcp', 'policies.ndjson.gz'),
      'roles.json',
    ]);
    expect(result.documents).toHaveLength(3);
    expect(result.problems.map((problem) => problem.code)).toEqual([
      'CIEM_ENTITLEMENTS_INVALID_JSON',
    ]);
  });

  it('rejects a missing path', async () => {
    await expect(readExportFiles([path.join(dir, 'missing')])).rejects.toThrow(
      /CIEM_ENTITLEMENTS_STORE_INPUT_NOT_FOUND|was not found/,
    );
  });
});
