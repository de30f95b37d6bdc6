import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/ciem.js', import.meta.url));
const pipelineFixtures = fileURLToPath(
  new URL('../../../libs/pipeline/src/internal/fixtures', import.meta.url),
);

function ciem(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ciem command', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-cli-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('prints help and exits 0', () => {
    const result = ciem(['--help']);
    expect(result.status).toBe(0);
    for (const command of ['normalize', 'run', 'simulate'])
      expect(result.stdout).toContain(command);
  });

  it('exits 2 on a bad option value', () => {
    const result = ciem(['simulate', '--days', 'many']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('expected a whole number of 1 or more, received "many"');
  });

  it('exits 1 when an input is missing', () => {
    const result = ciem([
      'run',
      path.join(workDir, 'absent.json'),
      '--out',
      path.join(workDir, 'out'),
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CIEM_RUN_INPUT_NOT_FOUND');
  });

  it('fails fast on missing grants', async () => {
    const out = path.join(workDir, 'no-grants-out');
    const result = ciem([
      'run',
      pipelineFixtures,
      '--grants',
      path.join(workDir, 'absent.json'),
      '--out',
      out,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CIEM_RUN_GRANTS_NOT_FOUND');
    // Nothing was read, so the output folder was never made.
    await expect(readFile(path.join(out, 'summary.json'))).rejects.toThrow();
  });

  it('explains grants taking the inputs', () => {
    const result = ciem(['run', '--grants', pipelineFixtures, pipelineFixtures]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('name the log inputs before --grants');
  });

  it('runs the pipeline and prints a summary', async () => {
    const out = path.join(workDir, 'run');
    const result = ciem(['run', pipelineFixtures, '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^aws\s+4\s+4\s+0\s+0$/m);
    expect(result.stdout).toContain(path.join(out, 'events.ndjson'));
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as {
      providers: Record<string, { read: number }>;
    };
    expect(summary.providers.gcp?.read).toBe(1);
  });

  it('prints normalized events as NDJSON', () => {
    const result = ciem(['normalize', path.join(pipelineFixtures, 'gcp-audit.json')]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]!) as { event_id: string; action: { permissions: string[] } };
    expect(event.event_id).toBe('gcp-insert-0001');
    expect(event.action.permissions).toEqual(['compute.instances.create']);
  });

  it('ends quietly when the reader stops', async () => {
    const estate = path.join(workDir, 'pipe-estate');
    expect(ciem(['simulate', '--out', estate, '--principals', '6', '--days', '2']).status).toBe(0);
    // The reader closes the pipe after the first chunk, as `ciem normalize ... | head` does.
    const child = spawn(process.execPath, [bin, 'normalize', path.join(estate, 'aws')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(status).toBe(0);
    expect(stderr).not.toContain('EPIPE');
  });

  it('writes the same estate for the same seed', async () => {
    const first = path.join(workDir, 'estate-a');
    const second = path.join(workDir, 'estate-b');
    const options = ['--seed', '7', '--principals', '6', '--days', '2'];
    expect(ciem(['simulate', '--out', first, ...options]).status).toBe(0);
    expect(ciem(['simulate', '--out', second, ...options]).status).toBe(0);
    const truthA = await readFile(path.join(first, 'ground-truth.json'), 'utf8');
    const truthB = await readFile(path.join(second, 'ground-truth.json'), 'utf8');
    expect(truthA).toBe(truthB);
  });
});
