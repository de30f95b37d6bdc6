import { normalizeAzurePermission } from '@ciem/permission-map';
import type { PermissionSet, PermissionSetCache } from '../model/permission-set.js';
import type { AzureOperation } from './azure-export.js';
import type { AzurePermissionBlock, AzureRoleDefinition } from './azure-records.js';

/**
 * Azure RBAC action evaluation. Each permission block of a role grants `actions` minus
 * `notActions` and `dataActions` minus `notDataActions`, and a role grants the union of its
 * blocks (Azure RBAC documentation, "Understand Azure role definitions"). `*` matches any
 * run of characters, `/` included, and operation names compare case-insensitively, so
 * `*\/read`, `Microsoft.Storage/*` and `*` are patterns over the whole operation name.
 */

/** True when an Azure operation name contains a wildcard. */
export function isAzurePattern(permission: string): boolean {
  return permission.includes('*');
}

const matcherCache = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let regExp = matcherCache.get(pattern);
  if (regExp === undefined) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regExp = new RegExp(`^${source}$`);
    // The cache only grows with distinct patterns, which roles repeat; bound it anyway.
    if (matcherCache.size > 50_000) matcherCache.clear();
    matcherCache.set(pattern, regExp);
  }
  return regExp;
}

/**
 * True when the operation (or a pattern, read literally) matches the pattern. Both are
 * compared in canonical lower case (`normalizeAzurePermission`).
 */
export function matchesAzurePattern(pattern: string, operation: string): boolean {
  const canonicalPattern = normalizeAzurePermission(pattern);
  const canonicalOperation = normalizeAzurePermission(operation);
  if (!isAzurePattern(canonicalPattern)) return canonicalPattern === canonicalOperation;
  return patternRegExp(canonicalPattern).test(canonicalOperation);
}

function literalPrefix(pattern: string): string {
  const star = pattern.indexOf('*');
  return star < 0 ? pattern : pattern.slice(0, star);
}

/**
 * True when two patterns may match a common operation. The test compares the literal text
 * before each pattern's first `*`, so it can report an overlap that does not exist, never
 * the other way round.
 */
export function azurePatternsMayOverlap(first: string, second: string): boolean {
  const a = literalPrefix(normalizeAzurePermission(first));
  const b = literalPrefix(normalizeAzurePermission(second));
  return a.startsWith(b) || b.startsWith(a);
}

/**
 * Known Azure operations that wildcards expand to, control-plane and data-plane apart, in
 * canonical lower case.
 */
export interface AzureOperationCatalog {
  readonly actions: readonly string[];
  readonly dataActions: readonly string[];
  /** Where the names came from. */
  readonly source: 'provider-operations' | 'role-definitions';
}

function sortedUnique(names: Iterable<string>): string[] {
  return [...new Set(names)].sort();
}

/** Builds a catalog from `az provider operation list` operations. */
export function azureCatalogFromOperations(
  operations: readonly AzureOperation[],
): AzureOperationCatalog {
  return {
    actions: sortedUnique(operations.filter((op) => !op.isDataAction).map((op) => op.name)),
    dataActions: sortedUnique(operations.filter((op) => op.isDataAction).map((op) => op.name)),
    source: 'provider-operations',
  };
}

/**
 * Builds a catalog from the operations that role definitions name without a wildcard. It
 * knows only operations some role lists, so it is as complete as the definitions given.
 */
export function azureCatalogFromRoleDefinitions(
  definitions: readonly AzureRoleDefinition[],
): AzureOperationCatalog {
  const actions: string[] = [];
  const dataActions: string[] = [];
  for (const definition of definitions) {
    for (const block of definition.permissions) {
      for (const name of [...block.actions, ...block.notActions]) {
        if (!isAzurePattern(name)) actions.push(normalizeAzurePermission(name));
      }
      for (const name of [...block.dataActions, ...block.notDataActions]) {
        if (!isAzurePattern(name)) dataActions.push(normalizeAzurePermission(name));
      }
    }
  }
  return {
    actions: sortedUnique(actions),
    dataActions: sortedUnique(dataActions),
    source: 'role-definitions',
  };
}

/**
 * A wildcard kept as it is, because no catalog was given or the catalog has no operation
 * it matches. `excluded` lists the `notActions` (or `notDataActions`) that may remove part
 * of it.
 */
export interface AzureKeptPattern {
  readonly pattern: string;
  readonly excluded: readonly string[];
  readonly dataAction: boolean;
}

/** The effective permissions of one role definition. */
export interface AzureRolePermissions {
  /** Concrete control-plane operations, and patterns without exclusions. */
  readonly actions: PermissionSet;
  /** Concrete data-plane operations, and patterns without exclusions. */
  readonly dataActions: PermissionSet;
  /** Patterns that `notActions` may cut into; each becomes its own conditional grant. */
  readonly partialPatterns: readonly AzureKeptPattern[];
  /** Number of wildcards kept as patterns, with or without exclusions. */
  readonly patternCount: number;
}

interface SideResult {
  names: Set<string>;
  partial: AzureKeptPattern[];
  patterns: number;
}

/**
 * Returns the catalog operations a pattern matches. The catalog is sorted, so only the
 * range that starts with the pattern's literal prefix is tested.
 */
function expandPattern(pattern: string, catalog: readonly string[]): string[] {
  const prefix = literalPrefix(pattern);
  let low = 0;
  let high = catalog.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((catalog[middle] as string) < prefix) low = middle + 1;
    else high = middle;
  }
  const regExp = patternRegExp(pattern);
  const matched: string[] = [];
  for (let index = low; index < catalog.length; index += 1) {
    const operation = catalog[index] as string;
    if (!operation.startsWith(prefix)) break;
    if (regExp.test(operation)) matched.push(operation);
  }
  return matched;
}

/** Evaluates one side (control or data plane) of one permission block. */
function evaluateSide(
  granted: readonly string[],
  removed: readonly string[],
  catalog: readonly string[] | undefined,
  dataAction: boolean,
  expansions: Map<string, readonly string[]>,
  into: SideResult,
): void {
  const notActions = removed.map(normalizeAzurePermission);
  const isRemoved = (operation: string): boolean =>
    notActions.some((notAction) => matchesAzurePattern(notAction, operation));

  for (const raw of granted) {
    const action = normalizeAzurePermission(raw);
    if (!isAzurePattern(action)) {
      if (!isRemoved(action)) into.names.add(action);
      continue;
    }
    const key = `${dataAction ? 'data' : 'control'}:${action}`;
    let expansion = expansions.get(key);
    if (expansion === undefined) {
      expansion = catalog === undefined ? [] : expandPattern(action, catalog);
      expansions.set(key, expansion);
    }
    if (expansion.length > 0) {
      for (const operation of expansion) if (!isRemoved(operation)) into.names.add(operation);
      continue;
    }
    // No catalog operation matches: keep the wildcard itself, unless a notAction covers it.
    if (isRemoved(action)) continue;
    into.patterns += 1;
    const excluded = notActions.filter((notAction) => azurePatternsMayOverlap(notAction, action));
    if (excluded.length === 0) into.names.add(action);
    else into.partial.push({ pattern: action, excluded, dataAction });
  }
}

/**
 * Evaluates a role definition into interned permission sets. Wildcards expand against the
 * catalog when one is given; a wildcard the catalog cannot expand stays as a pattern, and
 * when `notActions` may cut into it, it is returned apart in `partialPatterns`.
 * `expansions` memoizes catalog lookups across roles of one evaluation.
 */
export function evaluateAzureRole(
  definition: AzureRoleDefinition,
  catalog: AzureOperationCatalog | undefined,
  cache: PermissionSetCache,
  expansions: Map<string, readonly string[]>,
): AzureRolePermissions {
  const control: SideResult = { names: new Set(), partial: [], patterns: 0 };
  const data: SideResult = { names: new Set(), partial: [], patterns: 0 };
  for (const block of definition.permissions) {
    evaluateSide(block.actions, block.notActions, catalog?.actions, false, expansions, control);
    evaluateSide(
      block.dataActions,
      block.notDataActions,
      catalog?.dataActions,
      true,
      expansions,
      data,
    );
  }
  // Keyed by the definition's permission blocks rather than by the expanded names, which
  // for `*` run to thousands of operations. Roles with equal blocks share one set.
  const catalogTag =
    catalog === undefined
      ? 'none'
      : `${catalog.source}:${catalog.actions.length}:${catalog.dataActions.length}`;
  const blocks = JSON.stringify(definition.permissions);
  const intern = (side: string, names: Set<string>): PermissionSet =>
    names.size === 0
      ? cache.empty
      : cache.intern(`azure:${side}:${catalogTag}:${blocks}`, () =>
          [...names].map((name) => cache.table.intern(name)),
        );
  return {
    actions: intern('actions', control.names),
    dataActions: intern('data-actions', data.names),
    partialPatterns: [...control.partial, ...data.partial],
    patternCount: control.patterns + data.patterns,
  };
}

/**
 * True when a permission block grants the operation: some action matches it and no
 * notAction does. Works on the definition itself, so it needs no catalog.
 */
export function azureBlockGrants(
  block: AzurePermissionBlock,
  operation: string,
  dataAction = false,
): boolean {
  const granted = dataAction ? block.dataActions : block.actions;
  const removed = dataAction ? block.notDataActions : block.notActions;
  return (
    granted.some((action) => matchesAzurePattern(action, operation)) &&
    !removed.some((notAction) => matchesAzurePattern(notAction, operation))
  );
}

/** True when any block of the role grants the operation (see `azureBlockGrants`). */
export function azureRoleGrants(
  definition: AzureRoleDefinition,
  operation: string,
  dataAction = false,
): boolean {
  return definition.permissions.some((block) => azureBlockGrants(block, operation, dataAction));
}
