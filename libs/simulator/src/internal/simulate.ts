import { planAttacks, indexAttackSteps } from './attacks.js';
import { useAwsAccounts, writeAwsDay } from './activity/aws-activity.js';
import { writeAzureDay } from './activity/azure-activity.js';
import type { GeneratorContext } from './activity/context.js';
import { writeGcpDay } from './activity/gcp-activity.js';
import { DAY_MS } from './activity/schedule.js';
import type { Provider } from './catalog/types.js';
import { buildEstate } from './estate/build.js';
import { buildAuthorizationDetails } from './grants/aws-authorization-details.js';
import { buildRoleAssignments, buildRoleDefinitions } from './grants/azure-rbac.js';
import { buildGcpRoles, buildIamPolicyLines, buildProjectResourceLines } from './grants/gcp-iam.js';
import { buildGroundTruth } from './ground-truth.js';
import { resolveOptions } from './options.js';
import type { SimulateOptions } from './options.js';
import { BufferedFile, writeJsonFile } from './sink.js';
import type { EstateSink, WriteStats } from './sink.js';
import { buildTeams } from './teams.js';

/** Totals of one run. `bytes` counts UTF-8 bytes handed to the sink, before any compression. */
export interface SimulationSummary {
  files: number;
  bytes: number;
  events: Record<Provider, number>;
  principals: Record<Provider, number>;
  attacks: number;
  plantedEvents: number;
}

/**
 * Generates a multi-cloud estate (grants, activity logs, ground truth) into `sink`.
 * Activity is streamed day by day, scope by scope, principal by principal, so memory stays
 * flat however many events are written. The same options always write the same bytes.
 */
export async function simulateEstate(
  options: SimulateOptions,
  sink: EstateSink,
): Promise<SimulationSummary> {
  const resolved = resolveOptions(options);
  const estate = buildEstate(resolved);
  const attacks = planAttacks(estate);
  const stats: WriteStats = { files: 0, bytes: 0 };
  const context: GeneratorContext = {
    seed: resolved.seed,
    estate,
    sink,
    stats,
    eventsPerDay: resolved.eventsPerDay,
    attacks,
    attackSteps: indexAttackSteps(attacks),
    events: { aws: 0, azure: 0, gcp: 0 },
  };

  await writeJsonFile(sink, 'estate/teams.json', buildTeams(estate), stats);
  for (const account of estate.awsAccounts) {
    await writeJsonFile(
      sink,
      `aws/${account.id}/iam/authorization-details.json`,
      buildAuthorizationDetails(estate, account),
      stats,
    );
  }
  if (estate.azureSubscriptions.length > 0) {
    await writeJsonFile(sink, 'azure/role-assignments.json', buildRoleAssignments(estate), stats);
    await writeJsonFile(sink, 'azure/role-definitions.json', buildRoleDefinitions(estate), stats);
  }
  if (estate.gcpProjects.length > 0) {
    const policies = new BufferedFile(sink, 'gcp/iam-policies.ndjson', stats);
    for (const line of buildIamPolicyLines(estate)) await policies.write(`${line}\n`);
    await policies.close();
    const resources = new BufferedFile(sink, 'gcp/resources.ndjson', stats);
    for (const line of buildProjectResourceLines(estate)) await resources.write(`${line}\n`);
    await resources.close();
    await writeJsonFile(sink, 'gcp/roles.json', buildGcpRoles(estate), stats);
  }

  useAwsAccounts(estate.awsAccounts);
  for (let day = 0; day < estate.days; day++) {
    const dayStart = estate.start + day * DAY_MS;
    for (const account of estate.awsAccounts) await writeAwsDay(context, account, day, dayStart);
    for (const subscription of estate.azureSubscriptions)
      await writeAzureDay(context, subscription, day, dayStart);
    for (const project of estate.gcpProjects) await writeGcpDay(context, project, day, dayStart);
  }

  await writeJsonFile(sink, 'ground-truth.json', buildGroundTruth(estate, attacks), stats);
  const principals = { aws: 0, azure: 0, gcp: 0 };
  for (const principal of estate.principals) principals[principal.provider]++;
  return {
    files: stats.files,
    bytes: stats.bytes,
    events: context.events,
    principals,
    attacks: attacks.length,
    plantedEvents: attacks.reduce((sum, a) => sum + a.events.length, 0),
  };
}
