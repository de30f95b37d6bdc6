import type { Attack } from './attacks.js';
import type { Estate, Principal } from './estate/model.js';
import { permissionsOf } from './catalog/types.js';
import { AWS_GROUPS } from './catalog/aws-catalog.js';
import { AZURE_GROUPS } from './catalog/azure-catalog.js';
import { GCP_GROUPS } from './catalog/gcp-catalog.js';

const ALL_GROUPS = [...AWS_GROUPS, ...AZURE_GROUPS, ...GCP_GROUPS];
const DAY_MS = 86_400_000;

/**
 * Builds `ground-truth.json`. For each principal it lists the profile and the permission
 * groups and permissions that were granted but never used. For each planted attack it lists
 * the principal, the time window and the event ids. Groups a planted attack used count as used
 * groups, but only the permissions of the calls it made count as used permissions.
 */
export function buildGroundTruth(
  estate: Estate,
  attacks: readonly Attack[],
): Record<string, unknown> {
  const attackGroups = new Map<string, Set<string>>();
  const attackPermissions = new Map<string, Set<string>>();
  for (const attack of attacks) {
    const set = attackGroups.get(attack.principal.key) ?? new Set<string>();
    const permissions = attackPermissions.get(attack.principal.key) ?? new Set<string>();
    for (const step of attack.steps) {
      if (step.denied) continue;
      for (const group of ALL_GROUPS) if (group.calls.includes(step.call)) set.add(group.id);
      for (const permission of step.call.permissions) permissions.add(permission);
    }
    attackGroups.set(attack.principal.key, set);
    attackPermissions.set(attack.principal.key, permissions);
  }
  const iso = (day: number): string =>
    new Date(estate.start + day * DAY_MS).toISOString().slice(0, 10);
  return {
    seed: estate.seed,
    start: new Date(estate.start).toISOString(),
    days: estate.days,
    principals: estate.principals.map((principal) =>
      principalTruth(principal, { attackGroups, attackPermissions }, iso, estate.days),
    ),
    attacks: attacks.map((attack) => {
      const times = attack.events.map((e) => e.time).sort();
      return {
        kind: attack.kind,
        provider: attack.provider,
        principal: attack.principal.id,
        description: attack.description,
        start: times[0] ?? null,
        end: times[times.length - 1] ?? null,
        ...(attack.countries ? { countries: attack.countries } : {}),
        events: attack.events,
      };
    }),
  };
}

function principalTruth(
  principal: Principal,
  attacked: {
    attackGroups: ReadonlyMap<string, Set<string>>;
    attackPermissions: ReadonlyMap<string, Set<string>>;
  },
  iso: (day: number) => string,
  days: number,
): Record<string, unknown> {
  const used = new Set(principal.usedGroups.map((g) => g.id));
  for (const id of attacked.attackGroups.get(principal.key) ?? []) used.add(id);
  const neverActive = principal.profile === 'never-used';
  const unused = principal.coveredGroupIds
    .filter((id) => neverActive || !used.has(id))
    .map((id) => {
      const group = ALL_GROUPS.find((g) => g.id === id);
      return { group: id, permissions: group ? permissionsOf([group]) : [] };
    });

  const granted = new Set<string>();
  for (const group of ALL_GROUPS) {
    if (group.provider !== principal.provider) continue;
    for (const call of group.calls)
      if (principal.isAllowed(call)) for (const p of call.permissions) granted.add(p);
  }
  // `planDay` makes every call of a regularly used group on the first active day. A planted
  // attack uses only the permissions of its own allowed calls.
  const usedPermissions = new Set(neverActive ? [] : permissionsOf(principal.usedGroups));
  for (const permission of attacked.attackPermissions.get(principal.key) ?? [])
    usedPermissions.add(permission);
  const unusedPermissions = [...granted].filter((p) => !usedPermissions.has(p)).sort();
  // The profile was planned from whole groups; at permission level a principal with nothing
  // unused is right-sized and one with unused permissions is over-privileged.

  let profile = principal.profile;
  if (profile === 'over-privileged' && unusedPermissions.length === 0) profile = 'right-sized';
  if (profile === 'right-sized' && unusedPermissions.length > 0) profile = 'over-privileged';
  const truth: Record<string, unknown> = {
    provider: principal.provider,
    id: principal.id,
    name: principal.name,
    type: principal.type,
    archetype: principal.archetype,
    team: principal.team,
    scope: principal.home,
    profile,
    usedPermissionGroups: neverActive ? [] : [...used].sort(),
    unusedPermissionGroups: unused,
    unusedPermissions,
  };

  if (principal.profile === 'dormant') {
    const { lastDay, wakeDay } = principal.window;
    truth.dormant = {
      lastActiveDay: iso(lastDay),
      silentDays: (wakeDay ?? days) - lastDay - 1,
      wakeDay: wakeDay === undefined ? null : iso(wakeDay),
    };
  }
  return truth;
}
