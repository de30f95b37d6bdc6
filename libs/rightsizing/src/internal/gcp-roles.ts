import type { RecommendationContext } from './analyze.js';
import { compareText } from './analyze.js';
import { DEFAULT_MAX_EXTRA_PERMISSIONS, prepareRoles } from './candidate-roles.js';
import type { PreparedRoles } from './candidate-roles.js';
import type {
  GcpCustomRoleJson,
  GcpRoleSetJson,
  Recommendation,
  RecommendationAlternative,
} from './types.js';

interface RoleCover {
  roles: string[];
  /** Permissions the roles grant beyond the covered set, sorted. */
  extras: string[];
  /** Every permission the roles grant. */
  granted: Set<string>;
}

/**
 * Picks predefined roles by greedy set cover: each step takes the role that covers the most
 * permissions still uncovered, and on a tie the smaller role, then the first name. Greedy
 * cover is within a factor of ln(n) of the smallest set, so the result is approximate.
 * Returns `undefined` when some permission is in no role.
 */
export function coverWithRoles(
  needed: ReadonlySet<string>,
  roles: PreparedRoles,
): RoleCover | undefined {
  const uncovered = new Set(needed);
  const chosen: string[] = [];
  const granted = new Set<string>();
  while (uncovered.size > 0) {
    const candidates = new Set<{ name: string; permissions: Set<string> }>();
    for (const permission of uncovered) {
      for (const role of roles.gcpByPermission.get(permission) ?? []) candidates.add(role);
    }
    let best: { name: string; permissions: Set<string> } | undefined;
    let bestGain = 0;
    for (const role of candidates) {
      let gain = 0;
      for (const permission of uncovered) if (role.permissions.has(permission)) gain += 1;
      const better =
        gain > bestGain ||
        (gain === bestGain &&
          best !== undefined &&
          (role.permissions.size < best.permissions.size ||
            (role.permissions.size === best.permissions.size && role.name < best.name)));
      if (better) {
        best = role;
        bestGain = gain;
      }
    }
    if (best === undefined || bestGain === 0) return undefined;
    chosen.push(best.name);
    for (const permission of best.permissions) {
      granted.add(permission);
      uncovered.delete(permission);
    }
  }
  const extras = [...granted].filter((permission) => !needed.has(permission)).sort(compareText);
  return { roles: chosen.sort(compareText), extras, granted };
}

/**
 * Builds the GCP recommendation: the predefined roles that cover the used and the granted
 * unobservable permissions (greedy set cover over the roles of the export), and a custom
 * role of exactly those permissions. The predefined set is preferred when it adds at most
 * `maxExtraPermissions` unused permissions; the other choice is reported as an alternative.
 */
export function recommendGcpRoles(
  context: RecommendationContext,
  removable: string[],
): Recommendation {
  const needed = new Set<string>();
  for (const entry of context.used) {
    if (entry.granted.pattern) for (const use of entry.uses) needed.add(use.permission);
    else needed.add(entry.granted.permission);
  }
  for (const grant of context.unobservable) needed.add(grant.permission);

  const name = context.principal.principal_name || context.principal.principal_id;
  const custom: GcpCustomRoleJson = {
    title: `Least privilege for ${name}`.slice(0, 100),
    description:
      `Permissions ${name} used in the analysis window, and granted permissions whose use the logs cannot show.`.slice(
        0,
        256,
      ),
    stage: 'GA',
    includedPermissions: [...needed].sort(compareText),
  };
  const cover = coverWithRoles(needed, prepareRoles(context.options.candidateRoles ?? []));
  if (cover === undefined) {
    return { kind: 'gcp-custom-role', document: custom, removes: removable };
  }

  const roleSet: GcpRoleSetJson = {
    roles: cover.roles,
    extra_permissions: cover.extras.length,
    approximate: true,
  };
  const maxExtra = context.options.maxExtraPermissions ?? DEFAULT_MAX_EXTRA_PERMISSIONS;
  if (cover.extras.length <= maxExtra) {
    const alternative: RecommendationAlternative = {
      kind: 'gcp-custom-role',
      document: custom,
      extra_permissions: [],
    };
    return {
      kind: 'gcp-predefined-roles',
      document: roleSet,
      removes: removable.filter((permission) => !cover.granted.has(permission)),
      alternatives: [alternative],
    };
  }
  const alternative: RecommendationAlternative = {
    kind: 'gcp-predefined-roles',
    document: roleSet,
    extra_permissions: cover.extras,
  };
  return {
    kind: 'gcp-custom-role',
    document: custom,
    removes: removable,
    alternatives: [alternative],
  };
}
