import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderReports } from '@ciem/rightsizing-reports';
import { sampleResults } from '@ciem/rightsizing-reports/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReportsToFolder } from './folder.js';

const root = mkdtempSync(path.join(tmpdir(), 'ciem-report-folder-'));
const reports = renderReports(sampleResults(), { generatedAt: Date.UTC(2026, 11, 4, 12) });

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('writeReportsToFolder', () => {
  it('writes stable names per format', async () => {
    const folder = path.join(root, 'reports');
    const written = await writeReportsToFolder(folder, reports);
    // 4 accounts + 3 teams, 4 formats each.
    expect(written).toHaveLength(28);
    const names = readdirSync(folder).sort();
    expect(names).toContain('account-111122223333.html');
    expect(names).toContain('team-payments.csv');
    // The team `(none)` has unsafe characters, so its name ends in a hash of the key.
    expect(names.filter((name) => /^team-_none_-[0-9a-f]{8}\.json$/.test(name))).toHaveLength(1);
    expect(names.every((name) => !name.endsWith('.tmp'))).toBe(true);
    expect(readFileSync(path.join(folder, 'team-payments.md'), 'utf8')).toBe(
      reports.find((report) => report.scope.key === 'payments')!.markdown,
    );
  });

  it('replaces files of an earlier run', async () => {
    const folder = path.join(root, 'again');
    await writeReportsToFolder(folder, reports, ['json']);
    await writeReportsToFolder(folder, reports, ['json']);
    expect(readdirSync(folder)).toHaveLength(7);
  });

  it('fails on an unwritable folder', async () => {
    const file = path.join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(writeReportsToFolder(file, reports)).rejects.toMatchObject({
      code: 'CIEM_RIGHTSIZING_DELIVERY_FOLDER_WRITE_FAILED',
    });
  });
});
