import { azureScopeLevel } from '@ciem/entitlements';
import type { RecommendationContext } from './analyze.js';
import { compareText } from './analyze.js';
import { validCustomRoleScopes } from './azure-assignable-scopes.js';
import { DEFAULT_MAX_EXTRA_PERMISSIONS, azureRoleAllows, prepareRoles } from './candidate-roles.js';
import type {
  AzureRoleDefinitionJson,
  CandidateRole,
  Recommendation,
  RecommendationAlternative,
} from './types.js';

interface KeptOperation {
  operation: string;
  data: boolean;
}

function keptOperations(context: RecommendationContext): KeptOperation[] {
  const kept = new Map<string, KeptOperation>();
  const add = (operation: string, data: boolean): void => {
    const lower = operation.toLowerCase();
    kept.set(`${data ? 'd' : 'c'}${lower}`, { operation: lower, data });
  };
  for (const entry of context.used) {
    // A wildcard grant is replaced by the operations it was used for.
    if (entry.granted.pattern) {
      for (const use of entry.uses) add(use.permission, entry.granted.data_action);
    } else {
      add(entry.granted.permission, entry.granted.data_action);
    }
  }
  for (const grant of context.unobservable) add(grant.permission, grant.data_action);
  return [...kept.values()];
}

/**
 * Returns the scope a custom role must list to be assignable at `scope`. AssignableScopes
 * take management groups, subscriptions and resource groups, and a role assignable at a
 * resource group or subscription can be assigned to any resource in it ("Understand Azure
 * role definitions", AssignableScopes). So a resource scope gives its resource group, or
 * its subscription for a resource outside resource groups.
 */
function assignableScopeOf(scope: string): string {
  if (azureScopeLevel(scope) !== 'resource') return scope;
  const segments = scope.split('/');
  // A resource id reads `/subscriptions/<id>/resourceGroups/<name>/providers/...`.
  if (segments[1]?.toLowerCase() !== 'subscriptions' || segments[2] === undefined) return scope;
  if (segments[3]?.toLowerCase() === 'resourcegroups' && segments[4] !== undefined) {
    return segments.slice(0, 5).join('/');
  }
  return segments.slice(0, 3).join('/');
}

/** Collects the scopes of the grants that the recommended role replaces, as assignable scopes. */
function grantScopes(context: RecommendationContext): string[] {
  const scopes = new Set<string>();
  for (const entry of context.used) {
    for (const scope of entry.granted.resources) scopes.add(assignableScopeOf(scope));
  }
  for (const grant of context.unobservable) {
    for (const scope of grant.resources) scopes.add(assignableScopeOf(scope));
  }
  return [...scopes].sort(compareText);
}

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBSCRIPTION_OF_RESOURCE = /^\/subscriptions\/([^/]+)/i;

/**
 * Returns the subscriptions, lower-cased, where the principal used the kept operations: the
 * usage rows' accounts, which are subscription ids for Azure, and the subscriptions of the
 * resources they name.
 */
function usedSubscriptions(context: RecommendationContext): string[] {
  const subscriptions = new Set<string>();
  for (const entry of context.used) {
    for (const use of entry.uses) {
      for (const account of use.accounts) {
        if (SUBSCRIPTION_ID.test(account)) subscriptions.add(account.toLowerCase());
      }
      for (const resource of use.resources) {
        const id = SUBSCRIPTION_OF_RESOURCE.exec(resource)?.[1];
        if (id !== undefined && SUBSCRIPTION_ID.test(id)) subscriptions.add(id.toLowerCase());
      }
    }
  }
  return [...subscriptions].sort(compareText);
}

function customRole(
  context: RecommendationContext,
  kept: readonly KeptOperation[],
  scopes: readonly string[],
): { document: AzureRoleDefinitionJson; notes: string[] } {
  const valid = validCustomRoleScopes(
    scopes,
    kept.some((op) => op.data),
    usedSubscriptions(context),
  );
  const name = context.principal.principal_name || context.principal.principal_id;
  const document: AzureRoleDefinitionJson = {
    // "Azure custom roles", properties: a Name has at most 512 characters today and had at
    // most 128 before 2022, so a name cut at 128 is valid under both.
    Name: `Least privilege for ${name}`.slice(0, 128),
    IsCustom: true,
    Description: `Operations ${name} used in the analysis window, and granted operations whose use the logs cannot show.`,
    Actions: kept
      .filter((op) => !op.data)
      .map((op) => op.operation)
      .sort(compareText),
    NotActions: [],
    DataActions: kept
      .filter((op) => op.data)
      .map((op) => op.operation)
      .sort(compareText),
    NotDataActions: [],
    AssignableScopes: valid.scopes,
  };
  return { document, notes: valid.notes };
}

function builtinRole(role: CandidateRole, scopes: readonly string[]): AzureRoleDefinitionJson {
  return {
    Name: role.name,
    ...(role.id === undefined ? {} : { Id: role.id }),
    IsCustom: false,
    Description: `Built-in role ${role.name}`,
    Actions: [...role.actions],
    NotActions: [...role.not_actions],
    DataActions: [...role.data_actions],
    NotDataActions: [...role.not_data_actions],
    AssignableScopes: [...scopes],
  };
}

/**
 * Builds the Azure recommendation: a custom role of the used operations (wildcard grants
 * replaced by the operations they were used for) and the granted unobservable ones, and the
 * built-in role that covers the same operations with the fewest extra operations. Extras
 * are counted over the operations the candidate roles and the grants name exactly. The
 * built-in role is preferred when it adds at most `maxExtraPermissions`.
 */
export function recommendAzureRole(
  context: RecommendationContext,
  removable: string[],
): Recommendation {
  const kept = keptOperations(context);
  const scopes = grantScopes(context);
  const { document: custom, notes } = customRole(context, kept, scopes);
  const withNotes = (recommendation: Recommendation): Recommendation =>
    notes.length === 0 ? recommendation : { ...recommendation, notes };
  const roles = prepareRoles(context.options.candidateRoles ?? []);

  let best: { role: CandidateRole; extras: string[] } | undefined;
  for (const role of roles.azure) {
    if (!kept.every((op) => azureRoleAllows(role, op.operation, op.data))) continue;
    const keptKeys = new Set(kept.map((op) => `${op.data ? 'd' : 'c'}${op.operation}`));
    const allowed = new Set(roles.azureAllowed.get(role.name) ?? []);
    for (const grant of context.unused) {
      if (!grant.pattern && azureRoleAllows(role, grant.permission, grant.data_action)) {
        allowed.add(`${grant.data_action ? 'd' : 'c'}${grant.permission}`);
      }
    }
    const extras = [...allowed].filter((key) => !keptKeys.has(key)).map((key) => key.slice(1));
    if (best === undefined || extras.length < best.extras.length)
      best = { role, extras: extras.sort(compareText) };
  }

  if (best === undefined) {
    return withNotes({ kind: 'azure-custom-role', document: custom, removes: removable });
  }
  // A built-in role is assignable at every scope, so it keeps the scopes of the grants.
  const builtin = builtinRole(best.role, scopes);
  const customAlternative: RecommendationAlternative = {
    kind: 'azure-custom-role',
    document: custom,
    extra_permissions: [],
  };
  const builtinAlternative: RecommendationAlternative = {
    kind: 'azure-builtin-role',
    document: builtin,
    extra_permissions: best.extras,
  };
  const maxExtra = context.options.maxExtraPermissions ?? DEFAULT_MAX_EXTRA_PERMISSIONS;
  if (best.extras.length <= maxExtra) {
    const role = best.role;
    const stillGranted = new Set(
      context.unused
        .filter((grant) => azureRoleAllows(role, grant.permission, grant.data_action))
        .map((grant) => grant.permission),
    );
    return withNotes({
      kind: 'azure-builtin-role',
      document: builtin,
      removes: removable.filter((permission) => !stillGranted.has(permission)),
      alternatives: [customAlternative],
    });
  }
  return withNotes({
    kind: 'azure-custom-role',
    document: custom,
    removes: removable,
    alternatives: [builtinAlternative],
  });
}
