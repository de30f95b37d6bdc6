import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { matchesAzurePattern } from '@ciem/entitlements';
import { resolveInputs } from '@ciem/pipeline';
import { createDirectorySink, simulateEstate } from '@ciem/simulator';
import { clickhouseUrl, kafkaBrokers, repoRoot, startChildService, waitFor } from '@ciem/testing';
import type { ChildService } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedOutcome, total } from '../e2e/support/expected.js';
import type { PipelineContext } from '../e2e/support/pipeline-context.js';
import { startPipeline } from '../e2e/support/pipeline-context.js';
import { eventRowsByProvider } from '../e2e/support/store.js';

const DAY_MS = 86_400_000;
const DAYS = 21;
const START = Date.UTC(2026, 10, 14);
const LAST_DAY = new Date(START + (DAYS - 1) * DAY_MS).toISOString().slice(0, 10);

interface TruthPrincipal {
  provider: 'aws' | 'azure' | 'gcp';
  id: string;
  profile: 'right-sized' | 'over-privileged' | 'dormant' | 'never-used';
  unusedPermissions: string[];
}

interface RecommendationRow {
  provider: string;
  principal_id: string;
  status: string;
  recommendation_kind: string;
  removes: string[];
  unused_permissions: string[];
  unobservable_permissions: string[];
}

/** Copies the grant exports of the estate into one folder per provider, apart from the logs. */
async function copyGrants(estateDir: string, grantsDir: string): Promise<Record<string, string>> {
  const folders = {
    aws: path.join(grantsDir, 'aws'),
    azure: path.join(grantsDir, 'azure'),
    gcp: path.join(grantsDir, 'gcp'),
  };
  for (const folder of Object.values(folders)) await mkdir(folder, { recursive: true });
  const accounts = (await readdir(path.join(estateDir, 'aws'))).filter((n) => n !== 'cloudtrail');
  for (const account of accounts) {
    await copyFile(
      path.join(estateDir, 'aws', account, 'iam', 'authorization-details.json'),
      path.join(folders.aws, `${account}.json`),
    );
  }
  for (const name of ['role-assignments.json', 'role-definitions.json']) {
    await copyFile(path.join(estateDir, 'azure', name), path.join(folders.azure, name));
  }
  for (const name of ['iam-policies.ndjson', 'roles.json']) {
    await copyFile(path.join(estateDir, 'gcp', name), path.join(folders.gcp, name));
  }
  return folders;
}

/** Runs a service in once mode and fails with its output when it does not exit 0. */
async function runOnce(service: string, env: Record<string, string>): Promise<ChildService> {
  const child = startChildService(path.join(repoRoot, 'services', service, 'src', 'main.ts'), {
    CIEM_PROBE_PORT: '0',
    CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
    CIEM_CLICKHOUSE_URL: clickhouseUrl,
    CIEM_KAFKA_TOPICS_PARTITIONS: '1',
    ...env,
  });
  const code = await child.exited;
  const tail = [
    ...child.lines.slice(-10).map((line) => JSON.stringify(line).slice(0, 400)),
    ...child.otherOutput.slice(-10),
  ].join('\n');
  expect(code, `${service} exit code; last output:\n${tail}`).toBe(0);
  return child;
}

/** Returns true when `removes` names `permission` or an Azure pattern covering it. */
function removesPermission(row: RecommendationRow, permission: string): boolean {
  const lower = permission.toLowerCase();
  return row.removes.some(
    (removed) =>
      removed.toLowerCase() === lower ||
      (row.provider === 'azure' && matchesAzurePattern(removed, lower)),
  );
}

/** Lays rows out as a plain text table, one column per key of the first row. */
function formatTable(table: ReadonlyArray<Record<string, string | number>>): string {
  const keys = Object.keys(table[0] ?? {});
  const cells = [keys, ...table.map((row) => keys.map((key) => String(row[key])))];
  const widths = keys.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  return cells
    .map((line) => line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '))
    .join('\n');
}

describe('right-sizing through the distributed services', () => {
  let workDir: string;
  let context: PipelineContext | undefined;
  let truth: TruthPrincipal[];
  const rows = new Map<string, RecommendationRow>();

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-rightsizing-distributed-'));
    const estateDir = path.join(workDir, 'estate');
    // Fixed dates keep the run the same on every day; the analyzer's window then ends with
    // the last simulated day through CIEM_RIGHTSIZING_WINDOW_END. With this start, no
    // principal uses some of the Azure writes that Contributor's `*` grants, which is the
    // case where the service must know the operations the assigned roles name.
    await simulateEstate(
      { seed: 'rightsizing-distributed', start: START, principals: 40, days: DAYS },
      createDirectorySink(estateDir, { gzip: true }),
    );
    truth = (
      JSON.parse(await readFile(path.join(estateDir, 'ground-truth.json'), 'utf8')) as {
        principals: TruthPrincipal[];
      }
    ).principals;
    const grants = await copyGrants(estateDir, path.join(workDir, 'grants'));

    context = await startPipeline();
    const files = await resolveInputs(
      ['aws/cloudtrail', 'azure/activity', 'gcp/audit'].map((dir) => path.join(estateDir, dir)),
    );
    const expected = await expectedOutcome(files);
    expect(total(expected.deadLettered)).toBe(0);
    await context.publish(files);
    const pipeline = context;
    await waitFor(
      async () =>
        total(await eventRowsByProvider(pipeline.clickhouse, pipeline.database)) >=
        total(expected.rows),
      { timeoutMs: 90_000, intervalMs: 500, what: 'every simulated event in ClickHouse' },
    );
    expect(await eventRowsByProvider(pipeline.clickhouse, pipeline.database)).toEqual(
      expected.rows,
    );

    const shared = {
      CIEM_KAFKA_TOPIC_PREFIX: context.prefix,
      CIEM_CLICKHOUSE_DATABASE: context.database,
    };
    await runOnce('entitlements', {
      ...shared,
      CIEM_ENTITLEMENTS_SCHEDULE: 'once',
      CIEM_ENTITLEMENTS_AWS_SOURCE: 'files',
      CIEM_ENTITLEMENTS_AWS_DIR: grants.aws ?? '',
      CIEM_ENTITLEMENTS_AZURE_SOURCE: 'files',
      CIEM_ENTITLEMENTS_AZURE_DIR: grants.azure ?? '',
      CIEM_ENTITLEMENTS_GCP_SOURCE: 'files',
      CIEM_ENTITLEMENTS_GCP_DIR: grants.gcp ?? '',
    });
    await runOnce('analyzer-rightsizing', {
      ...shared,
      CIEM_RIGHTSIZING_MODE: 'once',
      CIEM_RIGHTSIZING_WINDOW_DAYS: String(DAYS + 7),
      CIEM_RIGHTSIZING_WINDOW_END: LAST_DAY,
      // A GCP predefined role set or an Azure built-in role from the role catalog may grant
      // some unused permissions again (up to 10 by default), and then `removes` leaves them
      // out. With 0 only exact roles are proposed, so `removes` lists every unused permission.
      CIEM_RIGHTSIZING_MAX_EXTRA_PERMISSIONS: '0',
    });

    const found = await context.clickhouse.query<RecommendationRow>(
      `SELECT provider, principal_id, status, recommendation_kind, removes, unused_permissions,
              unobservable_permissions
       FROM ${context.database}.recommendations FINAL`,
    );
    for (const row of found) rows.set(row.principal_id.toLowerCase(), row);
  }, 170_000);

  afterAll(async () => {
    await context?.close();
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('recommendations match the ground truth', () => {
    const table: Array<Record<string, string | number>> = [];
    const problems: string[] = [];
    for (const principal of truth) {
      const row = rows.get(principal.id.toLowerCase());
      const observable = principal.unusedPermissions.filter(
        (permission) =>
          !row?.unobservable_permissions.some((p) => p.toLowerCase() === permission.toLowerCase()),
      );
      const covered = row === undefined ? [] : observable.filter((p) => removesPermission(row, p));
      table.push({
        profile: principal.profile,
        principal: principal.id.length > 60 ? `…${principal.id.slice(-59)}` : principal.id,
        status: row?.status ?? '(missing)',
        kind: row?.recommendation_kind ?? '',
        planted: observable.length,
        removed: covered.length,
        removes: row?.removes.length ?? 0,
      });
      if (row === undefined) {
        problems.push(`${principal.id}: no recommendation row`);
        continue;
      }
      if (principal.profile === 'over-privileged') {
        if (row.removes.length === 0) problems.push(`${principal.id}: over-privileged, no removal`);
        for (const permission of observable.filter((p) => !covered.includes(p))) {
          problems.push(`${principal.id}: unused ${permission} not removed`);
        }
      }
      if (principal.profile === 'never-used') {
        if (row.status !== 'never-used') problems.push(`${principal.id}: status ${row.status}`);
        if (row.recommendation_kind !== 'remove-principal') {
          problems.push(`${principal.id}: recommendation ${row.recommendation_kind}`);
        }
      }
      if (principal.profile === 'right-sized' && row.removes.length > 0) {
        problems.push(`${principal.id}: right-sized, removes ${row.removes.join(' ')}`);
      }
    }
    console.log(formatTable(table));
    for (const profile of ['right-sized', 'over-privileged', 'never-used']) {
      expect(
        truth.some((principal) => principal.profile === profile),
        profile,
      ).toBe(true);
    }
    expect(problems).toEqual([]);
  });
});
