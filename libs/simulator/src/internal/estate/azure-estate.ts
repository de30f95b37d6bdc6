import { AZURE_GROUPS } from '../catalog/azure-catalog.js';
import { azureBuiltInRole, isOperationAllowed } from '../catalog/azure-roles.js';
import type { AzureRole } from '../catalog/azure-roles.js';
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
import type { AzureSubscription, Principal } from './model.js';

interface AzureArchetype {
  readonly name: string;
  readonly type: 'User' | 'ServicePrincipal' | 'ManagedIdentity';
  readonly uses: readonly string[];
  readonly broadRoles: readonly string[];
}

const ARCHETYPES: readonly AzureArchetype[] = [
  {
    name: 'iam-admin',
    type: 'User',
    uses: ['authorization-write', 'deployments'],
    broadRoles: ['Owner'],
  },
  {
    name: 'developer',
    type: 'User',
    uses: ['vm-operate', 'web-deploy', 'deployments', 'storage-keys'],
    broadRoles: ['Contributor'],
  },
  {
    name: 'pipeline',
    type: 'ServicePrincipal',
    uses: ['deployments', 'web-deploy', 'storage-manage'],
    broadRoles: ['Contributor'],
  },
  {
    name: 'operator',
    type: 'User',
    uses: ['vm-operate', 'vm-manage', 'network-manage', 'monitoring-manage'],
    broadRoles: ['Owner'],
  },
  {
    name: 'vm-identity',
    type: 'ManagedIdentity',
    uses: ['storage-keys'],
    broadRoles: ['Storage Account Contributor', 'Storage Blob Data Contributor'],
  },
  {
    name: 'cluster-user',
    type: 'User',
    uses: ['aks-access', 'vm-operate'],
    broadRoles: ['Contributor', 'Azure Kubernetes Service Cluster User Role'],
  },
  {
    name: 'network-engineer',
    type: 'User',
    uses: ['network-manage'],
    broadRoles: ['Network Contributor', 'Virtual Machine Contributor'],
  },
];

const LOCATIONS = ['eastus', 'westeurope', 'northeurope', 'westus2', 'uksouth'];

export function buildAzureSubscriptions(
  rng: Prng,
  count: number,
  teams: readonly string[],
): AzureSubscription[] {
  const subscriptions: AzureSubscription[] = [];
  for (let i = 0; i < count; i++) {
    const team = teams[(i + 2) % teams.length] as string;
    const env = i === 0 ? 'prod' : i === 1 ? 'dev' : `env${i}`;
    subscriptions.push({
      id: rng.uuid(),
      displayName: `${team}-${env}`,
      team,
      locations: [
        LOCATIONS[i % LOCATIONS.length] as string,
        LOCATIONS[(i + 1) % LOCATIONS.length] as string,
      ],
      resourceGroups: ['app', 'data', 'network', 'shared'].map((rg) => `rg-${team}-${env}-${rg}`),
      customRoles: [],
    });
  }
  return subscriptions;
}

interface BuildContext {
  readonly seed: string;
  readonly days: number;
  readonly usedNames: Set<string>;
}

export function buildAzurePrincipals(
  context: BuildContext,
  subscriptions: AzureSubscription[],
  count: number,
  teams: readonly string[],
): Principal[] {
  const principals: Principal[] = [];
  for (let i = 0; i < count; i++) {
    const rng = new Prng(context.seed, 'azure-principal', i);
    const archetype = ARCHETYPES[i % ARCHETYPES.length] as AzureArchetype;
    const subscription = subscriptions[
      Math.floor(i / ARCHETYPES.length) % subscriptions.length
    ] as AzureSubscription;
    const profile = profileFor(i + 3);
    const teamIndex = (i * 3 + 2) % teams.length;
    const team = teams[teamIndex] as string;
    const human = archetype.type === 'User';
    const person = human ? personName(rng, context.usedNames) : undefined;
    const name = person ?? `${team}-${archetype.name}-${rng.hex(4)}`;
    const usedGroups = archetype.uses.map((id) => groupById(`azure:${id}`));
    const broad = profile !== 'right-sized' && (profile !== 'dormant' || i % 2 === 0);
    const resourceGroup = subscription.resourceGroups[
      i % subscription.resourceGroups.length
    ] as string;

    const roles: AzureRole[] = [];
    if (broad) {
      for (const roleName of archetype.broadRoles) roles.push(azureBuiltInRole(roleName));
    } else {
      const actions = [...new Set(usedGroups.flatMap((g) => g.calls.map((c) => c.name)))].sort();
      const custom: AzureRole = {
        roleName: `${name} least privilege`,
        name: rng.uuid(),
        description: `Only the operations ${name} performs.`,
        roleType: 'CustomRole',
        permissions: [{ actions, notActions: [], dataActions: [], notDataActions: [] }],
      };
      subscription.customRoles.push(custom);
      roles.push(custom);
    }
    // Subscription-wide roles for people and pipelines, resource-group roles for identities.
    const scope =
      archetype.type === 'ManagedIdentity'
        ? `/subscriptions/${subscription.id}/resourceGroups/${resourceGroup}`
        : `/subscriptions/${subscription.id}`;
    const assignments = roles.map((role) => ({ id: rng.uuid(), role, scope }));

    const isAllowed = (call: ApiCall): boolean => isOperationAllowed(roles, call.name);
    const { covered, denied } = coverageOf(AZURE_GROUPS, isAllowed, isAllowed);
    const objectId = rng.uuid();
    const appId = human ? undefined : rng.uuid();
    const managedIdentityResourceId =
      archetype.type === 'ManagedIdentity'
        ? `/subscriptions/${subscription.id}/resourcegroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`
        : undefined;

    principals.push({
      provider: 'azure',
      key: `azure:${objectId}`,
      id: objectId,
      name,
      type: archetype.type,
      archetype: archetype.name,
      team,
      home: subscription.id,
      human,
      profile,
      window: activityWindowFor(profile, context.days, i),
      rate: Math.min(8, rng.pareto(0.6, 1.6)),
      utcOffsetHours: human ? rng.pick([-5, 0, 1, 2, 5.5]) : 0,
      ips: human ? humanIps(rng, teamIndex) : workloadIps(rng),
      userAgents: [],
      regions: subscription.locations,
      usedGroups,
      coveredGroupIds: covered,
      deniedCalls: denied,
      isAllowed,
      azure: {
        objectId,
        principalType: human ? 'User' : 'ServicePrincipal',
        appId,
        upn: person ? `${person}@example.com` : undefined,
        displayName: name,
        managedIdentityResourceId,
        subscriptionId: subscription.id,
        resourceGroup,
        assignments,
      },
    });
  }
  return principals;
}

function groupById(id: string): PermissionGroup {
  const group = AZURE_GROUPS.find((g) => g.id === id);
  if (!group) throw new Error(`unknown Azure permission group ${id}`);
  return group;
}
