import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/ciem.js', import.meta.url));

function ciem(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The folder `ciem simulate` writes contains logs, grant exports and its own ground truth and
// team map; `ciem run` and `ciem entitlements` each take the files they need from it.
describe('ciem on a simulated estate folder', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-estate-inputs-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  describe('on a whole simulated estate folder', () => {
    let estate: string;
    // One authorization details file per AWS account, plus Azure role assignments and
    // definitions and GCP IAM policies, project resources and roles (libs/simulator/README.md).
    let exportCount: number;

    beforeAll(async () => {
      estate = path.join(workDir, 'estate-whole');
      const options = ['--seed', '3', '--principals', '6', '--days', '2'];
      expect(ciem(['simulate', '--out', estate, ...options]).status).toBe(0);
      const accounts = (await readdir(path.join(estate, 'aws'))).filter((name) =>
        /^\d{12}$/.test(name),
      );
      exportCount = accounts.length + 5;
      // A file of no known kind: its record must be dead-lettered, never dropped.
      await writeFile(path.join(estate, 'notes.json'), '{"note":"not a log"}\n');
    });

    it('uses exports found as grants', async () => {
      const out = path.join(workDir, 'estate-whole-out');
      const result = ciem(['run', estate, '--out', out, '--json']);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(
        `Using ${exportCount} IAM export file(s) among the inputs as --grants`,
      );
      expect(result.stderr).toMatch(/Skipped 2 file\(s\) of ciem simulate .*ground-truth\.json/);
      const summary = JSON.parse(result.stdout) as {
        providers: Record<string, { read: number; normalized: number; dead_lettered: number }>;
        dead_letter_reasons: Record<string, number>;
        rightsizing?: { principals: number };
      };
      expect(summary.dead_letter_reasons).toEqual({ 'unsupported-provider': 1 });
      expect(summary.providers.unknown).toEqual({
        read: 1,
        normalized: 0,
        dead_lettered: 1,
        unmapped: 0,
      });
      for (const counts of Object.values(summary.providers)) {
        expect(counts.read).toBe(counts.normalized + counts.dead_lettered);
      }
      expect(summary.rightsizing?.principals).toBe(6);
      const dlq = await readFile(path.join(out, 'dlq.ndjson'), 'utf8');
      expect(dlq.trim().split('\n')).toHaveLength(1);
      expect(dlq).toContain('notes.json');
    });

    it('skips exports when grants are named', () => {
      const out = path.join(workDir, 'estate-named-out');
      const grants = path.join(estate, 'gcp', 'roles.json');
      const result = ciem(['run', estate, '--out', out, '--grants', grants]);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(
        `Skipped ${exportCount} IAM export file(s) among the inputs, because --grants names`,
      );
    });

    it('normalize skips exports and ground truth', () => {
      const result = ciem(['normalize', '--errors-only', estate]);
      expect(result.status).toBe(0);
      // Only the file of no known kind is rejected.
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toContain('notes.json');
      expect(result.stderr).toContain(`ciem: skipped ${exportCount} IAM export file(s), not logs`);
      expect(result.stderr).toContain('ground-truth.json');
    });

    it('fails when the inputs hold no log', () => {
      const result = ciem([
        'run',
        path.join(estate, 'gcp', 'roles.json'),
        '--out',
        path.join(workDir, 'no-logs-out'),
      ]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('CIEM_RUN_NO_LOGS');
    });

    it('entitlements skips logs in one line', () => {
      const result = ciem(['entitlements', estate]);
      expect(result.status).toBe(0);
      const lines = result.stderr.trim().split('\n');
      const logLines = lines.filter((line) => line.includes('activity logs, not IAM exports'));
      expect(logLines).toHaveLength(1);
      expect(logLines[0]).toMatch(
        /skipped \d+ file\(s\) .*… and \d+ more \(use ciem run for logs\)$/,
      );
      // Only the file of no known kind is reported as a problem.
      const problems = lines.filter((line) => line.includes('CIEM_ENTITLEMENTS_UNKNOWN_RECORD'));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('notes.json');
      expect(result.stdout).toMatch(/6 principals; documents read: aws \d+, azure 2, gcp \d+/);
    });
  });
});
