import type { ResolvedOptions } from '../options.js';
import { Prng } from '../prng.js';
import { buildAwsAccounts, buildAwsPrincipals } from './aws-estate.js';
import { buildAzurePrincipals, buildAzureSubscriptions } from './azure-estate.js';
import { TEAMS } from './common.js';
import { buildGcpPrincipals, buildGcpProjects } from './gcp-estate.js';
import type { Estate, Principal } from './model.js';

/** Share of principals per provider when all three are simulated. */
const SHARES = { aws: 0.45, azure: 0.25, gcp: 0.3 } as const;

/** Builds the estate: scopes, principals and their grants, from the options alone. */
export function buildEstate(options: ResolvedOptions): Estate {
  const rng = new Prng(options.seed, 'estate');
  const teams = [...TEAMS];
  const counts = splitPrincipals(options);
  const usedNames = new Set<string>();
  const context = { seed: options.seed, days: options.days, start: options.start, usedNames };

  const awsAccounts =
    counts.aws > 0 ? buildAwsAccounts(rng, clamp(Math.ceil(counts.aws / 12), 2, 8), teams) : [];
  const azureTenantId = rng.uuid();
  const azureSubscriptions =
    counts.azure > 0
      ? buildAzureSubscriptions(rng, clamp(Math.ceil(counts.azure / 10), 1, 6), teams)
      : [];
  const gcpOrganizationId = String(rng.between(100_000_000_000, 999_999_999_999));
  const gcpProjects =
    counts.gcp > 0 ? buildGcpProjects(rng, clamp(Math.ceil(counts.gcp / 9), 1, 8), teams) : [];

  const principals: Principal[] = [
    ...buildAwsPrincipals(context, awsAccounts, counts.aws, teams),
    ...buildAzurePrincipals(context, azureSubscriptions, counts.azure, teams),
    ...buildGcpPrincipals(context, gcpProjects, counts.gcp, teams),
  ];
  // A principal planned as right-sized whose grants still cover a group it never uses is
  // over-privileged; correct the label so the ground truth stays true.
  for (const principal of principals) {
    const used = new Set(principal.usedGroups.map((g) => g.id));
    if (
      principal.profile === 'right-sized' &&
      principal.coveredGroupIds.some((id) => !used.has(id))
    ) {
      principal.profile = 'over-privileged';
    }
  }
  return {
    seed: options.seed,
    start: options.start,
    days: options.days,
    teams,
    awsAccounts,
    azureTenantId,
    azureSubscriptions,
    gcpOrganizationId,
    gcpProjects,
    principals,
  };
}

function splitPrincipals(options: ResolvedOptions): { aws: number; azure: number; gcp: number } {
  const chosen = options.providers;
  const total = chosen.reduce((sum, p) => sum + SHARES[p], 0);
  const counts = { aws: 0, azure: 0, gcp: 0 };
  let assigned = 0;
  for (const provider of chosen) {
    counts[provider] = Math.floor((options.principals * SHARES[provider]) / total);
    assigned += counts[provider];
  }
  // Hand the remainder out in provider order so the total is exact.
  for (let i = 0; assigned < options.principals; i++, assigned++)
    counts[chosen[i % chosen.length] as keyof typeof counts]++;
  return counts;
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
