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
  if (context.principal.provider === 'azure') return recommendAzureRole(context, removable);
  return recommendGcpRoles(context, removable);
}
