import type { Estate } from './estate/model.js';

/** Builds `estate/teams.json`: which team owns each account, subscription and project. */
export function buildTeams(estate: Estate): Record<string, unknown> {
  return {
    teams: [...estate.teams],
    aws: Object.fromEntries(
      estate.awsAccounts.map((a) => [a.id, { team: a.team, alias: a.alias }]),
    ),
    azure: {
      tenantId: estate.azureTenantId,
      subscriptions: Object.fromEntries(
        estate.azureSubscriptions.map((s) => [s.id, { team: s.team, displayName: s.displayName }]),
      ),
    },
    gcp: {
      organizationId: estate.gcpOrganizationId,
      projects: Object.fromEntries(
        estate.gcpProjects.map((p) => [
          p.id,
          { team: p.team, projectNumber: p.number, labels: { team: p.team } },
        ]),
      ),
    },
  };
}
