import { gcpPredefinedRole } from '../catalog/gcp-roles.js';
import type { Estate } from '../estate/model.js';

/**
 * Builds Cloud Asset Inventory IAM policy lines (one per project), bindings sorted by role,
 * members sorted, as `gcloud asset export --content-type=iam-policy` writes them.
 */
export function buildIamPolicyLines(estate: Estate): string[] {
  return estate.gcpProjects.map((project) => {
    // Keyed by role and condition, because the same role may be bound with and without one.
    const bindings = new Map<string, Set<string>>();
    for (const principal of estate.principals) {
      if (principal.gcp?.projectId !== project.id) continue;
      for (const role of principal.gcp.roles) {
        const members = bindings.get(role) ?? new Set<string>();
        members.add(principal.gcp.member);
        bindings.set(role, members);
      }
      // Who may impersonate this service account: a project binding with a condition that
      // names the account, so the grant stays inside the project's line.
      for (const impersonator of principal.gcp.impersonators) {
        const key = `roles/iam.serviceAccountTokenCreator|${principal.gcp.email}`;
        const members = bindings.get(key) ?? new Set<string>();
        members.add(impersonator.gcp?.member ?? '');
        bindings.set(key, members);
      }
    }
    const sorted = [...bindings.entries()].sort(([a], [b]) => a.localeCompare(b));
    return JSON.stringify({
      name: `//cloudresourcemanager.googleapis.com/projects/${project.number}`,
      asset_type: 'cloudresourcemanager.googleapis.com/Project',
      iam_policy: {
        version: 3,
        bindings: sorted.map(([key, members]) => {
          const [role, serviceAccount] = key.split('|');
          const binding: Record<string, unknown> = { role, members: [...members].sort() };
          if (serviceAccount) {
            binding.condition = {
              title: `impersonate ${serviceAccount}`,
              expression: `resource.name == "projects/-/serviceAccounts/${serviceAccount}"`,
            };
          }
          return binding;
        }),
        etag: `BwY${project.number.slice(0, 8)}=`,
      },
      ancestors: [`projects/${project.number}`, `organizations/${estate.gcpOrganizationId}`],
      update_time: new Date(estate.start - 7 * 86_400_000).toISOString(),
    });
  });
}

/**
 * Builds Cloud Asset Inventory resource lines of the projects, as
 * `gcloud asset export --content-type=resource --asset-types=cloudresourcemanager.googleapis.com/Project`
 * writes them. They give each project's id beside its number: the IAM policy lines name
 * projects by number, while audit logs name them by id.
 */
export function buildProjectResourceLines(estate: Estate): string[] {
  const organization = `//cloudresourcemanager.googleapis.com/organizations/${estate.gcpOrganizationId}`;
  const created = new Date(estate.start - 365 * 86_400_000).toISOString();
  return estate.gcpProjects.map((project) =>
    JSON.stringify({
      name: `//cloudresourcemanager.googleapis.com/projects/${project.number}`,
      asset_type: 'cloudresourcemanager.googleapis.com/Project',
      resource: {
        version: 'v1',
        discovery_document_uri: 'https://cloudresourcemanager.googleapis.com/$discovery/rest',
        discovery_name: 'Project',
        parent: organization,
        data: {
          projectNumber: project.number,
          projectId: project.id,
          lifecycleState: 'ACTIVE',
          name: project.id,
          labels: { team: project.team },
          createTime: created,
          parent: { type: 'organization', id: estate.gcpOrganizationId },
        },
      },
      ancestors: [`projects/${project.number}`, `organizations/${estate.gcpOrganizationId}`],
      update_time: new Date(estate.start - 7 * 86_400_000).toISOString(),
    }),
  );
}

/** Builds the role definitions in use: predefined roles and every custom role. */
export function buildGcpRoles(estate: Estate): Array<Record<string, unknown>> {
  const predefined = new Set<string>();
  for (const principal of estate.principals) {
    for (const role of principal.gcp?.roles ?? [])
      if (role.startsWith('roles/')) predefined.add(role);
    if ((principal.gcp?.impersonators.length ?? 0) > 0)
      predefined.add('roles/iam.serviceAccountTokenCreator');
  }
  const out: Array<Record<string, unknown>> = [...predefined].sort().map((name) => {
    const role = gcpPredefinedRole(name);
    return {
      name: role.name,
      title: role.title,
      includedPermissions: [...role.includedPermissions],
      stage: role.stage,
      etag: 'AA==',
    };
  });
  for (const project of estate.gcpProjects) {
    for (const role of project.customRoles) {
      out.push({
        name: role.name,
        title: role.title,
        description: `Custom role for ${project.id}`,
        includedPermissions: role.includedPermissions,
        stage: 'GA',
        etag: 'BwYAAAAAAAA=',
      });
    }
  }
  return out;
}
