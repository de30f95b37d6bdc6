import type { GrantGroup } from '../model/compact-entitlements.js';
import type { PermissionSet, PermissionSetCache } from '../model/permission-set.js';
import type { AwsPolicyKind, CompiledStatement } from './compiled-policy.js';
import { coversResource, overlapsResource } from './resource-pattern.js';

/**
 * A statement that narrows a grant without removing it: a Deny whose resource or condition
 * only partly covers the grant, or a boundary or SCP Allow that only partly covers it.
 * Kept in the grant's `conditions` under `LimitedBy`.
 */
interface Limit {
  readonly kind: AwsPolicyKind;
  readonly effect: 'Allow' | 'Deny';
  readonly via: string;
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly condition?: Readonly<Record<string, unknown>>;
}

/** A grant group during evaluation, before its conditions are serialized. */
export interface WorkingGroup {
  readonly permissions: PermissionSet;
  readonly resource: string;
  readonly notResources?: readonly string[];
  readonly condition?: Readonly<Record<string, unknown>>;
  readonly limits: readonly Limit[];
  readonly via: string;
}

/** Turns the Allow statements of identity policies into working groups, one per resource. */
export function allowGroups(statements: readonly CompiledStatement[]): WorkingGroup[] {
  const groups: WorkingGroup[] = [];
  for (const statement of statements) {
    if (statement.permissions.id === 0) continue;
    if (statement.resources === undefined) {
      groups.push({
        permissions: statement.permissions,
        resource: '*',
        notResources: statement.notResources,
        condition: statement.condition,
        limits: [],
        via: statement.via,
      });
      continue;
    }
    for (const resource of statement.resources) {
      groups.push({
        permissions: statement.permissions,
        resource,
        condition: statement.condition,
        limits: [],
        via: statement.via,
      });
    }
  }
  return groups;
}

type Coverage = 'full' | 'partial' | 'none';

/** Classifies how much of a group's resources a statement's Resource or NotResource reaches. */
function coverage(group: WorkingGroup, statement: CompiledStatement): Coverage {
  if (statement.resources !== undefined) {
    if (statement.resources.some((pattern) => coversResource(pattern, group.resource))) {
      return 'full';
    }
    if (statement.resources.some((pattern) => overlapsResource(pattern, group.resource))) {
      return 'partial';
    }
    return 'none';
  }
  const excluded = statement.notResources ?? [];
  if (excluded.some((pattern) => coversResource(pattern, group.resource))) return 'none';
  if (excluded.some((pattern) => overlapsResource(pattern, group.resource))) return 'partial';
  return 'full';
}

function limitOf(statement: CompiledStatement): Limit {
  return {
    kind: statement.kind,
    effect: statement.effect,
    via: statement.via,
    resources: statement.resources,
    notResources: statement.notResources,
    condition: statement.condition,
  };
}

/**
 * Applies explicit denies (AWS "Policy evaluation logic": an explicit Deny in any policy
 * overrides any Allow). The rule for partial matches:
 *
 * - a Deny without Condition whose resources cover the whole grant removes its actions;
 * - a Deny with a Condition, or whose resources cover only part of the grant (a narrower
 *   pattern, a partial overlap, a NotResource that excludes part of it), keeps the grant
 *   but splits the denied actions into a group marked conditional, with the Deny recorded
 *   under `LimitedBy`;
 * - a Deny whose resources do not overlap the grant changes nothing.
 */
export function applyDenies(
  cache: PermissionSetCache,
  groups: readonly WorkingGroup[],
  denies: readonly CompiledStatement[],
): WorkingGroup[] {
  let current = [...groups];
  for (const deny of denies) {
    const next: WorkingGroup[] = [];
    for (const group of current) {
      const denied = cache.intersection(group.permissions, deny.permissions);
      const reach = denied.size === 0 ? 'none' : coverage(group, deny);
      if (reach === 'none') {
        next.push(group);
        continue;
      }
      const kept = cache.difference(group.permissions, deny.permissions);
      if (kept.size > 0) next.push({ ...group, permissions: kept });
      if (reach === 'full' && deny.condition === undefined) continue;
      next.push({ ...group, permissions: denied, limits: [...group.limits, limitOf(deny)] });
    }
    current = next;
  }
  return current;
}

/**
 * Intersects grants with a limiting policy's Allow statements (a permissions boundary or
 * the SCPs of one level): an action stays only where some limiting Allow also allows it
 * (AWS "Policy evaluation logic": the effective permissions are the intersection). Where the
 * limiting Allow has a Condition or reaches only part of the grant's resources, the grant
 * stays and is marked conditional with the limit recorded under `LimitedBy`. A limiting
 * Allow on narrower patterns narrows the grant to each of those patterns.
 */
export function intersectGroups(
  cache: PermissionSetCache,
  groups: readonly WorkingGroup[],
  limits: readonly CompiledStatement[],
): WorkingGroup[] {
  const result: WorkingGroup[] = [];
  for (const group of groups) {
    for (const limit of limits) {
      const allowed = cache.intersection(group.permissions, limit.permissions);
      if (allowed.size === 0) continue;
      const reach = coverage(group, limit);
      if (reach === 'none') continue;
      if (reach === 'full' && limit.condition === undefined) {
        result.push({ ...group, permissions: allowed });
        continue;
      }
      // Each limiting pattern inside the grant's pattern becomes a grant of its own. A limiting
      // pattern that only overlaps the grant, a NotResource or a Condition leaves it limited.
      const narrower =
        limit.resources !== undefined &&
        limit.condition === undefined &&
        group.notResources === undefined
          ? limit.resources.filter((pattern) => coversResource(group.resource, pattern))
          : [];
      for (const pattern of narrower) {
        result.push({ ...group, permissions: allowed, resource: pattern });
      }
      const overlapsOutside =
        limit.resources === undefined ||
        limit.resources.some(
          (pattern) => !narrower.includes(pattern) && overlapsResource(pattern, group.resource),
        );
      if (narrower.length === 0 || overlapsOutside) {
        result.push({ ...group, permissions: allowed, limits: [...group.limits, limitOf(limit)] });
      }
    }
  }
  return result;
}

function isConditional(group: WorkingGroup): boolean {
  return (
    group.condition !== undefined || group.notResources !== undefined || group.limits.length > 0
  );
}

function conditionsJson(group: WorkingGroup): string | undefined {
  if (!isConditional(group)) return undefined;
  const body: Record<string, unknown> = {};
  if (group.condition !== undefined) body['Condition'] = group.condition;
  if (group.notResources !== undefined) body['NotResource'] = group.notResources;
  if (group.limits.length > 0) {
    body['LimitedBy'] = group.limits.map((limit) => ({
      kind: limit.kind,
      effect: limit.effect,
      via: limit.via,
      ...(limit.resources === undefined ? {} : { Resource: limit.resources }),
      ...(limit.notResources === undefined ? {} : { NotResource: limit.notResources }),
      ...(limit.condition === undefined ? {} : { Condition: limit.condition }),
    }));
  }
  return JSON.stringify(body);
}

/**
 * Serializes working groups into grant groups. Actions a principal has unconditionally on
 * a resource are dropped from conditional groups on the same resource, and identical groups
 * (same set, resource, origin and conditions) are kept once.
 */
export function finishGroups(
  cache: PermissionSetCache,
  groups: readonly WorkingGroup[],
): GrantGroup[] {
  const unconditionalByResource = new Map<string, PermissionSet[]>();
  for (const group of groups) {
    if (isConditional(group)) continue;
    const list = unconditionalByResource.get(group.resource) ?? [];
    list.push(group.permissions);
    unconditionalByResource.set(group.resource, list);
  }
  const held = new Map<string, PermissionSet>();
  for (const [resource, sets] of unconditionalByResource) held.set(resource, cache.union(sets));

  const seen = new Set<string>();
  const result: GrantGroup[] = [];
  for (const group of groups) {
    const conditional = isConditional(group);
    const unconditional = held.get(group.resource);
    const permissions =
      conditional && unconditional !== undefined
        ? cache.difference(group.permissions, unconditional)
        : group.permissions;
    if (permissions.size === 0) continue;
    const conditions = conditionsJson(group);
    const key = `${permissions.id}\u0000${group.resource}\u0000${group.via}\u0000${conditions ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(
      conditions === undefined
        ? { permissions, resource: group.resource, conditional, via: group.via }
        : { permissions, resource: group.resource, conditional, conditions, via: group.via },
    );
  }
  return result;
}
