import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@ciem/testing';
import { describe, expect, it } from 'vitest';

// promtool ships with Prometheus. `bash deploy/local/promtool.sh install` (run by the test
// command) extracts it from Debian's `prometheus` package into .var/promtool/bin; CIEM_PROMTOOL
// or PATH can name another copy. Without any of them these checks are skipped.
function findPromtool(): string | undefined {
  const candidates = [
    process.env.CIEM_PROMTOOL,
    path.join(repoRoot, '.var', 'promtool', 'bin', 'promtool'),
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'promtool')),
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there; try the next one.
    }
  }
  return undefined;
}

const promtool = findPromtool();
const prometheusDir = path.join(repoRoot, 'deploy', 'prometheus');

/** Runs promtool and returns its standard output and error, failing on a nonzero exit. */
function run(args: string[]): string {
  const result = spawnSync(promtool as string, args, { cwd: prometheusDir, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0)
    throw new Error(`promtool ${args.join(' ')} exited ${result.status}:\n${output}`);
  return output;
}

const title =
  promtool === undefined
    ? 'promtool (skipped: run bash deploy/local/promtool.sh install, or set CIEM_PROMTOOL)'
    : 'promtool';

describe.skipIf(promtool === undefined)(title, () => {
  it('accepts the configuration', () => {
    const output = run(['check', 'config', 'prometheus.yml']);
    expect(output).toContain('SUCCESS');
    // promtool 2.42 reports lint problems such as duplicate rules as FAILED on standard error
    // and still exits 0.
    expect(output).not.toContain('FAILED');
  });

  it('passes the rule unit tests', () => {
    expect(run(['test', 'rules', 'tests/ciem.rules.test.yml'])).toContain('SUCCESS');
  });
});
