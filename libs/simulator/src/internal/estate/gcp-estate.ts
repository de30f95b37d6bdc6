import { GCP_GROUPS } from '../catalog/gcp-catalog.js';
import { gcpPredefinedRole } from '../catalog/gcp-roles.js';
import type { ApiCall, PermissionGroup } from '../catalog/types.js';
import { Prng } from '../prng.js';
import {
  activityWindowFor,
  coverageOf,
  humanIps,
  personName,
  profileFor,
  workloadIps,
} from './common.js';
import type { GcpProject, Principal } from './model.js';

interface GcpArchetype {
  readonly name: string;
  readonly serviceAccount: boolean;
  readonly uses: readonly string[];
  readonly broadRoles: readonly string[];
  /** Service accounts that admins impersonate instead of holding the roles themselves. */
  readonly impersonated?: boolean;
}

const ARCHETYPES: readonly GcpArchetype[] = [
  {
    name: 'admin',
    serviceAccount: false,
    uses: ['iam-read', 'iam-admin', 'compute-read', 'logging-admin', 'impersonate'],
    broadRoles: ['roles/owner', 'roles/iam.serviceAccountTokenCreator'],
  },
  {
    name: 'app',
    serviceAccount: true,
    uses: ['storage-read', 'pubsub', 'secrets'],
    broadRoles: [
      'roles/editor',
      'roles/storage.objectViewer',
      'roles/secretmanager.secretAccessor',
    ],
  },
  {
    name: 'developer',
    serviceAccount: false,
    uses: ['storage-read', 'storage-write', 'compute-read', 'run-deploy', 'pubsub'],
    broadRoles: ['roles/editor', 'roles/storage.objectAdmin'],
  },
  {
    name: 'ops',
    serviceAccount: true,
    impersonated: true,
    uses: ['compute-read', 'compute-write'],
    broadRoles: ['roles/compute.instanceAdmin.v1', 'roles/iam.serviceAccountAdmin'],
  },
  {
    name: 'data-scientist',
    serviceAccount: false,
    uses: ['bigquery', 'storage-read'],
    broadRoles: ['roles/bigquery.dataViewer', 'roles/bigquery.jobUser', 'roles/storage.admin'],
  },
  {
    name: 'deployer',
    serviceAccount: true,
    uses: ['run-deploy', 'storage-write', 'storage-read'],
    broadRoles: ['roles/editor', 'roles/storage.admin'],
  },
];

const ZONES = ['us-central1-a', 'us-east1-b', 'europe-west1-d', 'europe-west4-a', 'asia-east1-b'];

export function buildGcpProjects(rng: Prng, count: number, teams: readonly string[]): GcpProject[] {
  const projects: GcpProject[] = [];
  for (let i = 0; i < count; i++) {
    const team = teams[(i + 4) % teams.length] as string;
    const id = `${team}-${i === 0 ? 'prod' : i === 1 ? 'dev' : `env${i}`}-${rng.chars(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    projects.push({
      id,
      number: String(rng.between(1, 9)) + rng.chars(11, '0123456789'),
      team,
      zones: [ZONES[i % ZONES.length] as string, ZONES[(i + 2) % ZONES.length] as string],
      customRoles: [],
      buckets: ['assets', 'exports', 'tmp'].map((b) => `${id}-${b}`),
    });
  }
  return projects;
}

interface BuildContext {
  readonly seed: string;
  readonly days: number;
  readonly usedNames: Set<string>;
}

export function buildGcpPrincipals(
  context: BuildContext,
  projects: GcpProject[],
  count: number,
  teams: readonly string[],
): Principal[] {
  const principals: Principal[] = [];
  for (let i = 0; i < count; i++) {
    const rng = new Prng(context.seed, 'gcp-principal', i);
    const archetype = ARCHETYPES[i % ARCHETYPES.length] as GcpArchetype;
    const project = projects[Math.floor(i / ARCHETYPES.length) % projects.length] as GcpProject;
    const profile = profileFor(i + 5);
    const teamIndex = (i * 7 + 4) % teams.length;
    const team = teams[teamIndex] as string;
    const human = !archetype.serviceAccount;
    const person = human ? personName(rng, context.usedNames) : undefined;
    const name = person ?? `${archetype.name}-${rng.chars(4, 'abcdefghijklmnopqrstuvwxyz')}`;
    const email = person
      ? `${person}@example.com`
      : `${name}@${project.id}.iam.gserviceaccount.com`;
    const member = person ? `user:${email}` : `serviceAccount:${email}`;
    const usedGroups = archetype.uses.map((id) => groupById(`gcp:${id}`));
    const broad = profile !== 'right-sized' && (profile !== 'dormant' || i % 2 === 0);

    const roles: string[] = [];
    const granted = new Set<string>();
    if (broad) {
      for (const roleName of archetype.broadRoles) {
        roles.push(roleName);
        for (const p of gcpPredefinedRole(roleName).includedPermissions) granted.add(p);
      }
    } else {
      const roleId = `${archetype.name.replace(/-/g, '_')}_${rng.chars(4, 'abcdefghijklmnopqrstuvwxyz')}`;
      const includedPermissions = [
        ...new Set(usedGroups.flatMap((g) => g.calls.flatMap((c) => [...c.permissions]))),
      ].sort();
      const roleName = `projects/${project.id}/roles/${roleId}`;
      project.customRoles.push({
        name: roleName,
        title: `${archetype.name} least privilege`,
        includedPermissions,
      });
      roles.push(roleName);
      for (const p of includedPermissions) granted.add(p);
    }

    const isAllowed = (call: ApiCall): boolean => call.permissions.every((p) => granted.has(p));
    const isAnyAllowed = (call: ApiCall): boolean => call.permissions.some((p) => granted.has(p));
    const { covered, denied } = coverageOf(GCP_GROUPS, isAllowed, isAnyAllowed);
    const impersonators = archetype.impersonated
      ? principals.filter((p) => p.archetype === 'admin' && p.home === project.id)
      : [];

    principals.push({
      provider: 'gcp',
      key: `gcp:${member}`,
      id: member,
      name: email,
      type: human ? 'user' : 'serviceAccount',
      archetype: archetype.name,
      team,
      home: project.id,
      human,
      profile,
      window: activityWindowFor(profile, context.days, i),
      rate: Math.min(8, rng.pareto(0.6, 1.6)),
      utcOffsetHours: human ? rng.pick([-8, -5, 0, 1, 9]) : 0,
      ips: human ? humanIps(rng, teamIndex) : workloadIps(rng),
      userAgents: human ? HUMAN_AGENTS : WORKLOAD_AGENTS,
      regions: project.zones,
      usedGroups,
      coveredGroupIds: covered,
      deniedCalls: denied,
      isAllowed,
      gcp: { email, member, projectId: project.id, roles, impersonators },
    });
  }
  return principals;
}

function groupById(id: string): PermissionGroup {
  const group = GCP_GROUPS.find((g) => g.id === id);
  if (!group) throw new Error(`unknown GCP permission group ${id}`);
  return group;
}

const HUMAN_AGENTS = [
  'google-cloud-sdk gcloud/467.0.0 command/gcloud.compute.instances.list invocation-id/0f3c9a1e environment/None environment-version/None client-os/LINUX client-os-ver/6.5.0 client-pltf-arch/x86_64 interactive/True from-script/False python/3.11.8 term/xterm-256color (Linux 6.5.0-26-generic),gzip(gfe)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36,gzip(gfe)',
];

const WORKLOAD_AGENTS = [
  'gl-python/3.11.8 grpc/1.62.1 gax/2.17.2 gapic/2.16.0 gccl/2.16.0',
  'google-api-go-client/0.5 Terraform/1.7.5 (+https://www.terraform.io) Terraform-Plugin-SDK/2.33.0 terraform-provider-google/5.22.0,gzip(gfe)',
  'grpc-java-netty/1.62.2,gzip(gfe)',
];
