import { runEmbedded } from '@ciem/pipeline';
import type { RunSummary } from '@ciem/pipeline';
import { createDirectorySink, simulateEstate } from '@ciem/simulator';
import { hasSharedDatasets, sharedDatasetsDir, sharedDatasetsSkipReason } from '@ciem/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function printCounts(title: string, summary: RunSummary): void {
  const rows = Object.entries(summary.providers).map(
    ([provider, counts]) =>
      `  ${provider.padEnd(8)} read ${counts.read}, normalized ${counts.normalized}, dead-lettered ${counts.dead_lettered}`,
  );
  console.log(`${title}\n${rows.join('\n')}`);
}

function expectBalanced(summary: RunSummary): void {
  for (const [provider, counts] of Object.entries(summary.providers)) {
    expect(counts.read, `${provider}: read = normalized + dead-lettered`).toBe(
      counts.normalized + counts.dead_lettered,
    );
  }
}

async function countLines(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  return text === '' ? 0 : text.split('\n').filter((line) => line !== '').length;
}

describe('ciem run over a simulated estate', () => {
  let workDir: string;
  let summary: RunSummary;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-sim-run-'));
    const estateDir = path.join(workDir, 'estate');
    await simulateEstate(
      {
        seed: 'embedded-run',
        principals: 1000,
        days: 30,
        eventsPerDay: 4,
        start: Date.UTC(2024, 2, 1),
      },
      createDirectorySink(estateDir),
    );
    summary = await runEmbedded({
      inputs: [
        path.join(estateDir, 'aws', 'cloudtrail'),
        path.join(estateDir, 'azure', 'activity'),
        path.join(estateDir, 'gcp', 'audit'),
      ],
      outputDir: path.join(workDir, 'out'),
    });
    printCounts('simulated estate, 1,000 principals, 30 days:', summary);
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('balances counts for every provider', () => {
    expectBalanced(summary);
    expect(Object.keys(summary.providers).sort()).toEqual(['aws', 'azure', 'gcp']);
  });

  it('normalizes every simulated record', () => {
    for (const counts of Object.values(summary.providers)) {
      expect(counts.read).toBeGreaterThan(0);
      expect(counts.dead_lettered).toBe(0);
      expect(counts.unmapped).toBe(0);
    }
  });

  it('writes one output line per counted record', async () => {
    const normalized = Object.values(summary.providers).reduce(
      (sum, counts) => sum + counts.normalized,
      0,
    );
    const deadLettered = Object.values(summary.providers).reduce(
      (sum, counts) => sum + counts.dead_lettered,
      0,
    );
    expect(await countLines(summary.outputs.events!)).toBe(normalized);
    expect(await countLines(summary.outputs.dead_letters!)).toBe(deadLettered);
  });
});

describe.skipIf(!hasSharedDatasets)('ciem run over the shared datasets', () => {
  let workDir: string;
  let summary: RunSummary;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-shared-run-'));
    summary = await runEmbedded({
      inputs: ['aws', 'azure', 'gcp'].map((provider) => path.join(sharedDatasetsDir, provider)),
      outputDir: workDir,
    });
    printCounts('shared datasets:', summary);
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('balances counts for every provider', () => {
    expectBalanced(summary);
  });

  it('dead-letters records only for known reasons', async () => {
    // Public samples include rule-test fragments with no time or source, a CloudTrail digest
    // file, non-audit GCP payloads and an API-spec example wrapper: each is a reason a real
    // reader must report, not hide.
    const lines = (await readFile(summary.outputs.dead_letters!, 'utf8'))
      .split('\n')
      .filter(Boolean);
    for (const line of lines) {
      const entry = JSON.parse(line) as { reason: string; message: string; raw_ref: string };
      expect([
        'missing-field',
        'wrong-type',
        'not-an-event',
        'unsupported-provider',
        'invalid-json',
      ]).toContain(entry.reason);
      expect(entry.message.length).toBeGreaterThan(0);
      expect(entry.raw_ref.length).toBeGreaterThan(0);
    }
  });
});

if (!hasSharedDatasets) console.log(sharedDatasetsSkipReason);
