import type { RecommendationContext } from './analyze.js';
import { compareText } from './analyze.js';
import { recommendAwsPolicy } from './aws-policy.js';
import { recommendAzureRole } from './azure-role.js';
import { recommendGcpRoles } from './gcp-roles.js';
import type { Recommendation } from './types.js';

/**
 * Chooses the recommendation of a principal: `remove-principal` when it is inactive or was
 * never seen, `none` when nothing observable went unused, else the provider's
 * least-privilege replacement.
 */
export function recommend(context: RecommendationContext): Recommendation {
  const removable = context.unused.map((grant) => grant.permission).sort(compareText);
  if (context.status !== 'active') {
    return { kind: 'remove-principal', document: null, removes: removable };
  }
  if (removable.length === 0) return { kind: 'none', document: null, removes: [] };
  if (context.principal.provider === 'aws') return recommendAwsPolicy(context, removable);
  const recommendation =
    context.principal.provider === 'azure'
      ? recommendAzureRole(context, removable)
      : recommendGcpRoles(context, removable);
  return withConditionNote(context, recommendation);
}

/**
 * Adds a note when Azure or GCP permissions that the recommended role keeps are granted today
 * only under a role assignment or binding condition. A role definition carries no
 * condition, so the role must be assigned under the same conditions.
 */
function withConditionNote(
  context: RecommendationContext,
  recommendation: Recommendation,
): Recommendation {
  const conditional = [
    ...context.used.map((entry) => entry.granted),
    ...context.unobservable,
  ].filter((granted) => granted.conditional);
  if (conditional.length === 0) return recommendation;
  const permissions = [...new Set(conditional.map((granted) => granted.permission))].sort(
    compareText,
  );
  // Azure grants are also conditional where a deny assignment removes part of them.
  const where =
    context.principal.provider === 'azure'
      ? 'role assignments, or are partly denied by deny assignments'
      : 'IAM bindings';
  const note = `These permissions are granted today only under the conditions of ${where}: ${permissions.join(', ')}. Assign the recommended role under the same conditions, or it grants them more widely.`;
  return { ...recommendation, notes: [...(recommendation.notes ?? []), note] };
}
