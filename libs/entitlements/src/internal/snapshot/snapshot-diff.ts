import type { CompactPrincipalEntitlements } from '../model/compact-entitlements.js';
import { iterateGrants } from '../model/compact-entitlements.js';
import type { EntitlementProvider, Finding, Grant } from '../model/entitlements.js';
import type { AnyPrincipalEntitlements } from '../model/snapshot-stream.js';

/** Snapshot-like input of `diffSnapshots`: the principals of one or more snapshots. */
export interface DiffInput {
  readonly principals: Iterable<AnyPrincipalEntitlements>;
}

/** What changed for one principal between two snapshots. */
export interface PrincipalDiff {
  readonly provider: EntitlementProvider;
  readonly principal_id: string;
  readonly principal_type: string;
  /** `added`: only in the later snapshot; `removed`: only in the earlier; else `changed`. */
  readonly change: 'added' | 'removed' | 'changed';
  readonly added_grants: Grant[];
  readonly removed_grants: Grant[];
  readonly added_findings: Finding[];
  readonly removed_findings: Finding[];
}

/** Difference between two snapshots. Principals without changes are left out. */
export interface SnapshotDiff {
  /** Sorted by provider, then principal id. */
  readonly principals: PrincipalDiff[];
  readonly added_principals: number;
  readonly removed_principals: number;
  readonly added_grants: number;
  readonly removed_grants: number;
}

function grantsOf(principal: AnyPrincipalEntitlements): Iterable<Grant> {
  return 'grant_groups' in principal
    ? iterateGrants(principal as CompactPrincipalEntitlements)
    : principal.grants;
}

/**
 * The identity of a grant: every field. A grant that only moved to another origin (`via`)
 * or gained a condition counts as removed and added.
 */
function grantKey(grant: Grant): string {
  return JSON.stringify([
    grant.permission,
    grant.resource,
    grant.conditional,
    grant.conditions ?? null,
    grant.via,
    grant.data_action ?? false,
  ]);
}

function findingKey(finding: Finding): string {
  return JSON.stringify([finding.kind, finding.severity, finding.path]);
}

function principalKey(principal: AnyPrincipalEntitlements): string {
  return `${principal.provider}\u0000${principal.principal_id}`;
}

function index(input: DiffInput): Map<string, AnyPrincipalEntitlements> {
  const byKey = new Map<string, AnyPrincipalEntitlements>();
  for (const principal of input.principals) byKey.set(principalKey(principal), principal);
  return byKey;
}

function keyed<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return map;
}

function minus<T>(left: Map<string, T>, right: Map<string, T>): T[] {
  const result: T[] = [];
  for (const [key, item] of left) if (!right.has(key)) result.push(item);
  return result;
}

/**
 * Compares two snapshots principal by principal (by provider and principal id): grants
 * and findings present only after are added, present only before are removed. Either side
 * may be several snapshots, or principals in compact or expanded form. Memory is two
 * principals' grants at a time beyond the two indexes of principals.
 */
export function diffSnapshots(before: DiffInput, after: DiffInput): SnapshotDiff {
  const earlier = index(before);
  const later = index(after);
  const keys = [...new Set([...earlier.keys(), ...later.keys()])].sort();

  const principals: PrincipalDiff[] = [];
  let addedPrincipals = 0;
  let removedPrincipals = 0;
  let addedGrants = 0;
  let removedGrants = 0;
  for (const key of keys) {
    const old = earlier.get(key);
    const current = later.get(key);
    const any = (current ?? old) as AnyPrincipalEntitlements;
    const oldGrants = keyed(old === undefined ? [] : grantsOf(old), grantKey);
    const newGrants = keyed(current === undefined ? [] : grantsOf(current), grantKey);
    const oldFindings = keyed(old?.findings ?? [], findingKey);
    const newFindings = keyed(current?.findings ?? [], findingKey);

    const diff: PrincipalDiff = {
      provider: any.provider,
      principal_id: any.principal_id,
      principal_type: any.principal_type,
      change: changeOf(old, current),
      added_grants: minus(newGrants, oldGrants),
      removed_grants: minus(oldGrants, newGrants),
      added_findings: minus(newFindings, oldFindings),
      removed_findings: minus(oldFindings, newFindings),
    };
    const unchanged =
      diff.change === 'changed' &&
      diff.added_grants.length === 0 &&
      diff.removed_grants.length === 0 &&
      diff.added_findings.length === 0 &&
      diff.removed_findings.length === 0;
    if (unchanged) continue;
    if (diff.change === 'added') addedPrincipals += 1;
    if (diff.change === 'removed') removedPrincipals += 1;
    addedGrants += diff.added_grants.length;
    removedGrants += diff.removed_grants.length;
    principals.push(diff);
  }
  return {
    principals,
    added_principals: addedPrincipals,
    removed_principals: removedPrincipals,
    added_grants: addedGrants,
    removed_grants: removedGrants,
  };
}

/** Returns whether a principal was added, removed or changed between two snapshots. */
function changeOf(old: unknown, current: unknown): 'added' | 'removed' | 'changed' {
  if (old === undefined) return 'added';
  if (current === undefined) return 'removed';
  return 'changed';
}
