import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClickHouse } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import { runEmbedded } from '@ciem/pipeline';
import type { RunSummary } from '@ciem/pipeline';
import { createDirectorySink, simulateEstate } from '@ciem/simulator';
import { clickhouseUrl, kafkaBrokers, randomName, repoRoot } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// `ciem run --kafka --clickhouse` drives the same stages as the services against the real
// servers. The embedded run of the same files is the independent count: both must agree on
// what normalizes, and ClickHouse must hold exactly that, one row per event id.
describe('ciem run with --kafka and --clickhouse', () => {
  const database = randomName('ciem_cli_run');
  const prefix = `${randomName('clirun')}.`;
  let workDir: string;
  let logs: string[];
  let embedded: RunSummary;
  let distributed: RunSummary;
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-cli-run-'));
    const estateDir = path.join(workDir, 'estate');
    await simulateEstate(
      {
        seed: 'distributed-run',
        principals: 12,
        days: 2,
        eventsPerDay: 6,
        start: Date.UTC(2024, 4, 1),
      },
      createDirectorySink(estateDir),
    );
    logs = [
      path.join(estateDir, 'aws', 'cloudtrail'),
      path.join(estateDir, 'azure', 'activity'),
      path.join(estateDir, 'gcp', 'audit'),
    ];
    // One NDJSON line that is not JSON: it must reach dlq_events, not vanish.
    const broken = path.join(workDir, 'broken-cloudtrail.ndjson');
    await appendFile(broken, '{"eventVersion":"1.08","eventSource":\n');
    logs.push(broken);

    embedded = await runEmbedded({ inputs: logs, outputDir: path.join(workDir, 'embedded') });

    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'services', 'cli', 'src', 'main.ts'),
        'run',
        ...logs,
        '--kafka',
        kafkaBrokers.join(','),
        '--clickhouse',
        clickhouseUrl,
        '--database',
        database,
        '--topic-prefix',
        prefix,
        '--group',
        randomName('ciem-cli-run'),
        '--json',
      ],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024, timeout: 150_000 },
    );
    distributed = JSON.parse(stdout) as RunSummary;
    clickhouse = createClickHouse({ url: clickhouseUrl, database });
  }, 180_000);

  afterAll(async () => {
    await clickhouse?.command(`DROP DATABASE IF EXISTS ${database}`);
    await clickhouse?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('reads every simulated log file', async () => {
    const files = await Promise.all(
      logs.slice(0, 3).map((folder) => readdir(folder, { recursive: true })),
    );
    expect(files.flat().length).toBeGreaterThan(0);
    expect(distributed.files).toBe(embedded.files);
  });

  it('normalizes what the embedded run normalizes', () => {
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      expect(distributed.providers[provider]?.normalized, provider).toBe(
        embedded.providers[provider]?.normalized,
      );
      expect(distributed.providers[provider]?.normalized, provider).toBeGreaterThan(0);
    }
  });

  it('stores one row per normalized event', async () => {
    const rows = await clickhouse.query<{ provider: string; events: string }>(
      `SELECT provider, count() AS events FROM (SELECT provider, event_id FROM ${database}.events GROUP BY provider, event_id) GROUP BY provider`,
    );
    const stored = Object.fromEntries(rows.map((row) => [row.provider, Number(row.events)]));
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      expect(stored[provider], provider).toBe(embedded.providers[provider]?.normalized);
    }
  });

  it('dead-letters the broken line', async () => {
    const rows = await clickhouse.query<{ dead: string }>(
      `SELECT count() AS dead FROM ${database}.dlq_events`,
    );
    const deadLettered = Object.values(distributed.providers).reduce(
      (sum, counts) => sum + counts.dead_lettered,
      0,
    );
    expect(deadLettered).toBe(1);
    expect(Number(rows[0]?.dead)).toBe(1);
  });
});
