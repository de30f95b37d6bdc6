import type { RecommendationContext } from './analyze.js';
import { compareText } from './analyze.js';
import { DEFAULT_MAX_EXTRA_PERMISSIONS, prepareRoles } from './candidate-roles.js';
import type { PreparedRoles } from './candidate-roles.js';
import { customRoleSupportNotes, splitByCustomRoleSupport } from './gcp-custom-role-support.js';
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

function overlapSize(first: ReadonlySet<string>, second: ReadonlySet<string>): number {
  const [small, large] = first.size <= second.size ? [first, second] : [second, first];
  let count = 0;
  for (const item of small) if (large.has(item)) count += 1;
  return count;
}

/**
 * Picks predefined roles by greedy weighted set cover. Each step takes the role that adds the
 * fewest permissions beyond `needed` per permission it newly covers, so a basic role such as
 * `roles/editor` loses to the narrow roles that together cover the same use. Ties go to the
 * role that covers more, then the smaller role, then the first name. The greedy choice is a
 * heuristic, so the result may hold more extras than the best cover. Returns `undefined`
 * when some permission is in no role.
 */
export function coverWithRoles(
  needed: ReadonlySet<string>,
  roles: PreparedRoles,
): RoleCover | undefined {
  const uncovered = new Set(needed);
  const chosen: string[] = [];
  const granted = new Set<string>();
  const grantedExtras = new Set<string>();
  while (uncovered.size > 0) {
    const candidates = new Set<{ name: string; permissions: Set<string> }>();
    for (const permission of uncovered) {
      for (const role of roles.gcpByPermission.get(permission) ?? []) candidates.add(role);
    }
    let best: { name: string; permissions: Set<string> } | undefined;
    let bestGain = 0;
    let bestExtras = 0;
    for (const role of candidates) {
      // Counts over the small sets only, because a basic role has thousands of permissions.
      let gain = 0;
      for (const permission of uncovered) if (role.permissions.has(permission)) gain += 1;
      if (gain === 0) continue;
      let inNeeded = 0;
      for (const permission of needed) if (role.permissions.has(permission)) inNeeded += 1;
      const extras =
        role.permissions.size - inNeeded - overlapSize(role.permissions, grantedExtras);
      // Compares extras per covered permission by cross-multiplying, so no division is needed.
      const ratio = extras * bestGain - bestExtras * gain;
      const better =
        best === undefined ||
        ratio < 0 ||
        (ratio === 0 &&
          (gain > bestGain ||
            (gain === bestGain &&
              (role.permissions.size < best.permissions.size ||
                (role.permissions.size === best.permissions.size && role.name < best.name)))));
      if (better) {
        best = role;
        bestGain = gain;
        bestExtras = extras;
      }
    }
    if (best === undefined) return undefined;
    chosen.push(best.name);
    for (const permission of best.permissions) {
      granted.add(permission);
      uncovered.delete(permission);
      if (!needed.has(permission)) grantedExtras.add(permission);
    }
  }
  const extras = [...granted].filter((permission) => !needed.has(permission)).sort(compareText);
  return { roles: chosen.sort(compareText), extras, granted };
}

/** A custom role with the predefined roles that grant what it cannot include. */
interface CustomRoleOption {
  document: GcpCustomRoleJson;
  /** Predefined roles for the `NOT_SUPPORTED` permissions; absent when there are none. */
  companion?: GcpRoleSetJson;
  /** Permissions the companion roles grant beyond the needed ones, sorted. */
  extras: string[];
  /** Every permission the companion roles grant. */
  granted: Set<string>;
  notes: string[];
}

function customRoleOption(
  context: RecommendationContext,
  needed: ReadonlySet<string>,
  roles: PreparedRoles,
): CustomRoleOption {
  const name = context.principal.principal_name || context.principal.principal_id;
  const split = splitByCustomRoleSupport(needed, context.options.gcpCustomRoleSupport);
  const document: GcpCustomRoleJson = {
    title: `Least privilege for ${name}`.slice(0, 100),
    description:
      `Permissions ${name} used in the analysis window, and granted permissions whose use the logs cannot show.`.slice(
        0,
        256,
      ),
    stage: 'GA',
    includedPermissions: split.included,
  };
  const notes = customRoleSupportNotes(split);
  if (split.notSupported.length === 0) return { document, extras: [], granted: new Set(), notes };

  const unsupported = split.notSupported.join(', ');
  const cover = coverWithRoles(new Set(split.notSupported), roles);
  if (cover === undefined) {
    notes.push(
      `These permissions have customRolesSupportLevel NOT_SUPPORTED, so the custom role leaves them out, and no predefined role of the export grants them all: ${unsupported}. Keep the bindings that grant them today, or find a predefined role that does.`,
    );
    return { document, extras: [], granted: new Set(), notes };
  }
  const extras = [...cover.granted].filter((permission) => !needed.has(permission));
  notes.push(
    split.included.length === 0
      ? `These permissions have customRolesSupportLevel NOT_SUPPORTED, so the custom role leaves them out and has no permission left: ${unsupported}. Grant them with the predefined roles ${cover.roles.join(', ')} alone, and create no custom role.`
      : `These permissions have customRolesSupportLevel NOT_SUPPORTED, so the custom role leaves them out: ${unsupported}. Grant them with the predefined roles ${cover.roles.join(', ')} together with the custom role.`,
  );
  return {
    document,
    companion: { roles: cover.roles, extra_permissions: extras.length, approximate: true },
    extras: extras.sort(compareText),
    granted: cover.granted,
    notes,
  };
}

/**
 * Builds the GCP recommendation: the predefined roles that cover the used and the granted
 * unobservable permissions (greedy set cover over the roles of the export), and a custom
 * role of exactly those permissions. A permission that custom roles do not support
 * (`options.gcpCustomRoleSupport`) is left out of the custom role and covered by predefined
 * roles given with it in `additional_documents`. The predefined set is preferred when it adds
 * at most `maxExtraPermissions` unused permissions; the other choice is reported as an
 * alternative. A role the export does not define is kept as it is, and a note names it.
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
  const undefinedRoles: string[] = [];
  for (const grant of context.unobservable) {
    if (grant.pattern) undefinedRoles.push(grant.permission);
    else needed.add(grant.permission);
  }

  const roles = prepareRoles(context.options.candidateRoles ?? []);
  const custom = customRoleOption(context, needed, roles);
  const notes = [...custom.notes];
  if (undefinedRoles.length > 0) {
    notes.push(
      `The export does not define ${undefinedRoles.sort(compareText).join(', ')}, so its permissions, and whether their use is logged, are unknown and it could not be assessed. Keep its binding next to the recommended roles, and export its definition (gcloud iam roles describe) to assess it.`,
    );
  }
  const withNotes = (recommendation: Recommendation): Recommendation =>
    notes.length === 0 ? recommendation : { ...recommendation, notes };
  const customRemoves = removable.filter((permission) => !custom.granted.has(permission));
  const companion =
    custom.companion === undefined ? {} : { additional_documents: [custom.companion] };

  const cover = coverWithRoles(needed, roles);
  if (cover === undefined) {
    return withNotes({
      kind: 'gcp-custom-role',
      document: custom.document,
      ...companion,
      removes: customRemoves,
    });
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
      document: custom.document,
      ...companion,
      extra_permissions: custom.extras,
    };
    return withNotes({
      kind: 'gcp-predefined-roles',
      document: roleSet,
      removes: removable.filter((permission) => !cover.granted.has(permission)),
      alternatives: [alternative],
    });
  }
  const alternative: RecommendationAlternative = {
    kind: 'gcp-predefined-roles',
    document: roleSet,
    extra_permissions: cover.extras,
  };
  return withNotes({
    kind: 'gcp-custom-role',
    document: custom.document,
    ...companion,
    removes: customRemoves,
    alternatives: [alternative],
  });
}
