import type { ApiCall, PermissionGroup } from '../catalog/types.js';
import type { Prng } from '../prng.js';
import type { ActivityWindow, Profile } from './model.js';

export const TEAMS = ['payments', 'platform', 'data', 'identity', 'web', 'security'] as const;

const FIRST_NAMES = [
  'alex',
  'maria',
  'chen',
  'priya',
  'samir',
  'jonas',
  'aiko',
  'lucas',
  'fatima',
  'noah',
  'elena',
  'omar',
  'ingrid',
  'kwame',
  'sofia',
  'ravi',
  'hana',
  'mateo',
  'zoe',
  'ivan',
];
const LAST_NAMES = [
  'novak',
  'garcia',
  'wang',
  'sharma',
  'haddad',
  'berg',
  'tanaka',
  'silva',
  'okafor',
  'smith',
  'rossi',
  'kim',
  'larsen',
  'mensah',
  'costa',
  'iyer',
  'sato',
  'lopez',
  'meyer',
  'petrov',
];

/** Returns a unique `first.last` person name. */
export function personName(rng: Prng, used: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`;
    const name = attempt < 20 ? base : `${base}${attempt}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

/**
 * Profiles cycle in a fixed pattern, so even a small estate contains each of them. Each
 * provider starts the pattern at a different index.
 */
const PROFILE_PATTERN: readonly Profile[] = [
  'over-privileged',
  'right-sized',
  'over-privileged',
  'dormant',
  'right-sized',
  'over-privileged',
  'never-used',
  'over-privileged',
  'right-sized',
  'over-privileged',
];

export function profileFor(index: number): Profile {
  return PROFILE_PATTERN[index % PROFILE_PATTERN.length] as Profile;
}

/**
 * Chooses the days a principal is active. Dormant principals are active for the first
 * third of the period and then silent for at least half of it. Every other dormant one
 * wakes up on the last day, if that still leaves half the period silent. Never-used
 * principals have an empty window.
 * NOTE: with fewer than 3 days a dormant principal is silent for less than a day or not at all.
 */
export function activityWindowFor(profile: Profile, days: number, index: number): ActivityWindow {
  if (profile === 'never-used') return { firstDay: days, lastDay: -1, wakeDay: undefined };
  if (profile !== 'dormant') return { firstDay: 0, lastDay: days - 1, wakeDay: undefined };
  const lastDay = Math.max(0, Math.floor(days / 3) - 1);
  const wakes = index % 2 === 0 && days - lastDay - 2 >= Math.ceil(days / 2);
  return { firstDay: 0, lastDay, wakeDay: wakes ? days - 1 : undefined };
}

/** Returns the groups every call of which `isAllowed`, and the calls no permission of which is. */
export function coverageOf(
  groups: readonly PermissionGroup[],
  isAllowed: (call: ApiCall) => boolean,
  isAnyAllowed: (call: ApiCall) => boolean,
): { covered: string[]; denied: ApiCall[] } {
  const covered: string[] = [];
  const denied: ApiCall[] = [];
  for (const group of groups) {
    if (group.calls.every(isAllowed)) covered.push(group.id);
    for (const call of group.calls) if (!isAnyAllowed(call)) denied.push(call);
  }
  return { covered, denied };
}

/** Public-looking source addresses. All are documentation ranges (RFC 5737). */
export const OFFICE_NETWORKS = ['203.0.113.', '198.51.100.'];
export const HOME_NETWORK = '192.0.2.';
/** Workload egress addresses; invented, and only ever written into files. */
export const WORKLOAD_NETWORKS = ['198.18.7.', '198.19.44.'];

/**
 * Attacker addresses for planted key misuse, with the country each is meant to stand for.
 * Invented strings, never contacted.
 */
export const FOREIGN_ADDRESSES: ReadonlyArray<{ ip: string; country: string }> = [
  { ip: '45.83.64.17', country: 'NL' },
  { ip: '91.204.14.203', country: 'RU' },
  { ip: '102.129.143.9', country: 'ZA' },
  { ip: '154.47.20.66', country: 'SG' },
  { ip: '177.54.144.23', country: 'BR' },
  { ip: '185.107.56.141', country: 'DE' },
  { ip: '196.196.53.88', country: 'NG' },
  { ip: '212.102.35.5', country: 'FR' },
  { ip: '223.165.4.250', country: 'KR' },
  { ip: '37.120.213.74', country: 'RO' },
];

export function humanIps(rng: Prng, teamIndex: number): string[] {
  const office = `${OFFICE_NETWORKS[teamIndex % OFFICE_NETWORKS.length]}${10 + teamIndex * 7}`;
  return [office, office, `${HOME_NETWORK}${rng.between(20, 250)}`];
}

export function workloadIps(rng: Prng): string[] {
  const net = rng.pick(WORKLOAD_NETWORKS);
  return [`${net}${rng.between(2, 250)}`, `${net}${rng.between(2, 250)}`];
}
