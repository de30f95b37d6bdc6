import type { AnalyzedPrincipal } from './granted.js';
import type { OwnershipOptions } from './types.js';

const DEFAULT_TAG_KEYS: readonly string[] = ['team', 'owner'];

/**
 * Returns the team that owns a principal: the value of the first of `tagKeys` among its tags
 * or labels (keys compared case-insensitively), else the team of its account in
 * `accountTeams`, else `null`.
 */
export function teamOf(
  principal: Pick<AnalyzedPrincipal, 'account_id' | 'tags'>,
  ownership: OwnershipOptions = {},
): string | null {
  const tagKeys = ownership.tagKeys ?? DEFAULT_TAG_KEYS;
  const tags = new Map<string, string>();
  for (const [key, value] of Object.entries(principal.tags)) tags.set(key.toLowerCase(), value);
  for (const key of tagKeys) {
    const value = tags.get(key.toLowerCase());
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return ownership.accountTeams?.[principal.account_id] ?? null;
}
