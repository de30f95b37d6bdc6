import { evaluateExportDocuments, matchesAzurePattern } from '@ciem/entitlements';
import type { CompactPrincipalEntitlements, ExportDocument } from '@ciem/entitlements';
import type { NormalizedEvent } from '@ciem/events';
import { readExportFiles } from '@ciem/entitlements-store';
import { runEmbedded } from '@ciem/pipeline';
import type { RunSummary } from '@ciem/pipeline';
import {
  analyzeRightsizing,
  azureOperationsFromExports,
  candidateRolesFromExports,
} from '@ciem/rightsizing';
import type { IamPolicyJson, RightsizingOptions, RightsizingResult } from '@ciem/rightsizing';
import { createDirectorySink, simulateEstate } from '@ciem/simulator';
import { UsageStore } from '@ciem/usage';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface TruthPrincipal {
  provider: 'aws' | 'azure' | 'gcp';
  id: string;
  profile: 'right-sized' | 'over-privileged' | 'dormant' | 'never-used';
  usedPermissionGroups: string[];
  unusedPermissionGroups: { group: string; permissions: string[] }[];
  unusedPermissions: string[];
  dormant?: { lastActiveDay: string; silentDays: number; wakeDay: string | null };
}

interface Estate {
  dir: string;
  grants: string[];
  logs: string[];
  truth: TruthPrincipal[];
  events: NormalizedEvent[];
  principals: CompactPrincipalEntitlements[];
  documents: ExportDocument[];
}

async function prepareEstate(workDir: string): Promise<Estate> {
  const dir = path.join(workDir, 'estate');
  await simulateEstate(
    { seed: 'rightsizing', start: Date.UTC(2026, 0, 5), principals: 120, days: 30 },
    createDirectorySink(dir, { gzip: true }),
  );
  const accounts = (await readdir(path.join(dir, 'aws'))).filter((name) => name !== 'cloudtrail');
  const grants = [
    ...accounts.map((account) => path.join(dir, 'aws', account, 'iam')),
    path.join(dir, 'azure', 'role-assignments.json'),
    path.join(dir, 'azure', 'role-definitions.json'),
    path.join(dir, 'gcp', 'iam-policies.ndjson'),
    path.join(dir, 'gcp', 'roles.json'),
  ];
  const logs = [
    path.join(dir, 'aws', 'cloudtrail'),
    path.join(dir, 'azure', 'activity'),
    path.join(dir, 'gcp', 'audit'),
  ];
  const truth = (
    JSON.parse(await readFile(path.join(dir, 'ground-truth.json'), 'utf8')) as {
      principals: TruthPrincipal[];
    }
  ).principals;
  const exports = await readExportFiles(grants);
  const evaluation = evaluateExportDocuments(exports.documents, { takenAt: 0 });
  expect(evaluation.problems).toEqual([]);
  return {
    dir,
    grants,
    logs,
    truth,
    events: [],
    principals: evaluation.snapshots.flatMap((snapshot) => [...snapshot.principals]),
    documents: exports.documents,
  };
}

function storeOf(events: readonly NormalizedEvent[], before = Infinity): UsageStore {
  const store = new UsageStore();
  for (const event of events) if (event.event_time < before) store.record(event);
  return store;
}

function analyze(
  estate: Estate,
  store: UsageStore,
  options: Omit<RightsizingOptions, 'candidateRoles'>,
): Map<string, RightsizingResult> {
  const azureOperations = azureOperationsFromExports(estate.documents);
  const results = analyzeRightsizing(
    {
      principals: estate.principals,
      usage: store.permissionUsage(),
      activity: store.principalActivity(),
    },
    {
      ...options,
      candidateRoles: candidateRolesFromExports(estate.documents),
      ...(azureOperations === undefined ? {} : { azureOperations }),
    },
  );
  return new Map(results.map((result) => [result.principal_id.toLowerCase(), result]));
}

/** Returns true when `removes` names a planted permission or a wildcard covering it. */
function removesPermission(result: RightsizingResult, permission: string): boolean {
  const lower = permission.toLowerCase();
  return result.recommendation.removes.some((removed) => {
    if (removed.toLowerCase() === lower) return true;
    return result.provider === 'azure' && matchesAzurePattern(removed, lower);
  });
}

function isUnobservable(result: RightsizingResult, permission: string): boolean {
  return result.unobservable.some(
    (entry) => entry.permission.toLowerCase() === permission.toLowerCase(),
  );
}

function awsGrantsOf(policies: readonly IamPolicyJson[]): Map<string, string[]> {
  const inline = policies.map((policy, index) => ({
    PolicyName: `recommended-${index + 1}`,
    PolicyDocument: policy,
  }));
  const details = {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'check',
        UserId: 'AIDACHECK',
        Arn: 'arn:aws:iam::000000000000:user/check',
        CreateDate: '2024-01-01T00:00:00+00:00',
        UserPolicyList: inline,
        GroupList: [],
        AttachedManagedPolicies: [],
        Tags: [],
      },
    ],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
  };
  const evaluation = evaluateExportDocuments([{ source: 'recommended.json', value: details }], {
    takenAt: 0,
  });
  expect(evaluation.problems).toEqual([]);
  const grants = new Map<string, string[]>();
  for (const principal of evaluation.snapshots.flatMap((snapshot) => snapshot.principals)) {
    for (const group of principal.grant_groups) {
      for (const name of group.permissions.names()) {
        grants.set(name, [...(grants.get(name) ?? []), group.resource]);
      }
    }
  }
  return grants;
}

function arnMatches(pattern: string, arn: string): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);
}

describe('right-sizing of a simulated estate', () => {
  let workDir: string;
  let estate: Estate;
  let summary: RunSummary;
  let results: Map<string, RightsizingResult>;
  let lastEvent: number;
  const eventsByPrincipal = new Map<string, NormalizedEvent[]>();

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ciem-rightsizing-'));
    estate = await prepareEstate(workDir);
    const outputDir = path.join(workDir, 'out');
    summary = await runEmbedded({ inputs: estate.logs, outputDir, grants: estate.grants });
    const text = await readFile(path.join(outputDir, 'events.ndjson'), 'utf8');
    estate.events = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as NormalizedEvent);
    lastEvent = 0;
    for (const event of estate.events) {
      if (event.event_time > lastEvent) lastEvent = event.event_time;
      const key = event.principal.id.toLowerCase();
      eventsByPrincipal.set(key, [...(eventsByPrincipal.get(key) ?? []), event]);
    }
    // A GCP predefined role set or an Azure built-in role may grant some unused permissions
    // again (up to `maxExtraPermissions`, 10 by default), and then `removes` leaves them out.
    // With 0 only exact roles are proposed, so `removes` lists every unused permission.
    results = analyze(estate, storeOf(estate.events), {
      windowEnd: lastEvent + 1,
      maxExtraPermissions: 0,
    });
  }, 170_000);

  afterAll(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('ciem run writes recommendations', async () => {
    expect(summary.rightsizing?.principals).toBe(estate.principals.length);
    expect(summary.rightsizing?.export_problems).toBe(0);
    expect(summary.rightsizing?.top.length).toBe(10);
    const lines = (await readFile(summary.outputs.recommendations ?? '', 'utf8'))
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBe(estate.principals.length);
    const fromRun = lines.map((line) => JSON.parse(line) as RightsizingResult);
    for (const result of fromRun) {
      expect(result.status, result.principal_id).toBe(
        results.get(result.principal_id.toLowerCase())?.status,
      );
    }
  });

  it('every principal has a result', () => {
    for (const principal of estate.truth) {
      expect(results.has(principal.id.toLowerCase()), principal.id).toBe(true);
    }
  });

  it('flags every over-privileged principal', () => {
    const planted = estate.truth.filter((principal) => principal.profile === 'over-privileged');
    expect(planted.length).toBeGreaterThan(0);
    for (const principal of planted) {
      const result = results.get(principal.id.toLowerCase());
      expect(result?.recommendation.removes.length, principal.id).toBeGreaterThan(0);
      for (const group of principal.unusedPermissionGroups) {
        for (const permission of group.permissions) {
          if (result === undefined || isUnobservable(result, permission)) continue;
          expect(removesPermission(result, permission), `${principal.id} ${permission}`).toBe(true);
        }
      }
    }
  });

  it('removes never-used principals', () => {
    const planted = estate.truth.filter((principal) => principal.profile === 'never-used');
    expect(planted.length).toBeGreaterThan(0);
    for (const principal of planted) {
      const result = results.get(principal.id.toLowerCase());
      expect(result?.status, principal.id).toBe('never-used');
      expect(result?.recommendation.kind, principal.id).toBe('remove-principal');
    }
  });

  it('dormant principals inactive before waking', () => {
    const planted = estate.truth.filter((principal) => principal.dormant !== undefined);
    expect(planted.length).toBeGreaterThan(0);
    const analyses = new Map<string, Map<string, RightsizingResult>>();
    for (const principal of planted) {
      const dormant = principal.dormant;
      if (dormant === undefined) continue;
      // Judged at the start of the wake day (or after the last event) with a window inside
      // the silent days, the principal is inactive and its removal is recommended.
      const cutoff = dormant.wakeDay === null ? lastEvent + 1 : Date.parse(dormant.wakeDay);
      // Principals that share a wake day and silence share one analysis.
      const key = `${cutoff}:${dormant.silentDays}`;
      const before =
        analyses.get(key) ??
        analyze(estate, storeOf(estate.events, cutoff), {
          windowEnd: cutoff,
          windowDays: dormant.silentDays - 1,
        });
      analyses.set(key, before);
      const result = before.get(principal.id.toLowerCase());
      expect(result?.status, principal.id).toBe('inactive');
      expect(result?.recommendation.kind, principal.id).toBe('remove-principal');
      // Over the whole data a principal that woke up is active again.
      const whole = results.get(principal.id.toLowerCase());
      expect(whole?.status, principal.id).toBe(dormant.wakeDay === null ? 'inactive' : 'active');
    }
  });

  it('right-sized principals keep their grants', () => {
    // The simulator makes every call of a right-sized principal's grants, so nothing it
    // holds is unused and no removal is expected.
    const planted = estate.truth.filter((principal) => principal.profile === 'right-sized');
    expect(planted.length).toBeGreaterThan(0);
    for (const principal of planted) {
      expect(principal.unusedPermissions, principal.id).toEqual([]);
      const result = results.get(principal.id.toLowerCase());
      expect(result?.recommendation.removes, principal.id).toEqual([]);
    }
  });

  it('AWS policies allow exactly the observed use', () => {
    const aws = [...results.values()].filter(
      (result) => result.recommendation.kind === 'aws-policy',
    );
    expect(aws.length).toBeGreaterThan(0);
    for (const result of aws) {
      const policies = [
        result.recommendation.document,
        ...(result.recommendation.additional_documents ?? []),
      ] as IamPolicyJson[];
      const grants = awsGrantsOf(policies);
      for (const used of result.used) {
        expect(grants.has(used.permission), `${result.principal_id} ${used.permission}`).toBe(true);
      }
      for (const removed of result.recommendation.removes) {
        expect(grants.has(removed), `${result.principal_id} ${removed}`).toBe(false);
      }
      for (const kept of result.unobservable) {
        expect(grants.has(kept.permission), `${result.principal_id} ${kept.permission}`).toBe(true);
      }
      // Every resource an allowed call named is covered by the policy.
      for (const event of eventsByPrincipal.get(result.principal_id.toLowerCase()) ?? []) {
        if (event.outcome === 'denied') continue;
        if (event.event_time < result.window.start) continue;
        for (const permission of event.action.permissions) {
          const patterns = grants.get(permission) ?? [];
          for (const resource of event.resources) {
            if (!resource.id.startsWith('arn:')) continue;
            expect(
              patterns.some((pattern) => arnMatches(pattern, resource.id)),
              `${result.principal_id} ${permission} on ${resource.id}`,
            ).toBe(true);
          }
        }
      }
    }
  });
});
