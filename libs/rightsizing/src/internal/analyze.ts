import { matchesAzurePattern } from '@ciem/entitlements';
import type { PermissionVisibility } from '@ciem/permission-map';
import type { PermissionUsage, PrincipalActivity } from '@ciem/usage';
import {
  RISK_ORDER,
  classifyRisk,
  permissionsInFindingPath,
  serviceOf,
  visibilityOf,
} from './classify.js';
import type { AnalyzedPrincipal, GrantedPermission } from './granted.js';
import { dataEventLogsOfGrant } from './data-event-logs.js';
import { grantedPermissions } from './granted.js';
import { azureWildcardReads } from './azure-wildcard-reads.js';
import type { AzureWildcardReads } from './azure-wildcard-reads.js';
import { teamOf } from './ownership.js';
import { recommend } from './recommend.js';
import { observedDays, round, scoreInputs, scoreOf } from './score.js';
import type {
  AnalysisWindow,
  Confidence,
  PermissionRisk,
  PrincipalStatus,
  RightsizingOptions,
  RightsizingResult,
  UnobservablePermission,
  UnusedPermission,
  UsedPermission,
} from './types.js';
import type { UsageIndex, WindowUse } from './usage-index.js';
import { indexUsage, principalKey } from './usage-index.js';

const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_DAYS = 90;
/** The `UsageStore` default; a row with this many resources may have dropped some. */
const DEFAULT_MAX_RESOURCES = 20;

/** Inputs of `analyzeRightsizing`: granted permissions and observed use. */
export interface RightsizingInput {
  /** Compact principals from an entitlements evaluation, or serializable snapshots. */
  principals: Iterable<AnalyzedPrincipal>;
  /** Usage rows: `UsageStore.permissionUsage()` or ClickHouse `permission_usage` rows. */
  usage: Iterable<PermissionUsage>;
  /** Per-principal activity (`UsageStore.principalActivity()`), which includes unmapped calls. */
  activity?: Iterable<PrincipalActivity>;
}

/** A granted permission with the use found for it, handed to the recommenders. */
export interface MatchedUse {
  granted: GrantedPermission;
  uses: WindowUse[];
}

/** Inputs of the per-provider recommenders. */
export interface RecommendationContext {
  principal: AnalyzedPrincipal;
  status: PrincipalStatus;
  /** Granted permissions with allowed use, exact or through a pattern. */
  used: MatchedUse[];
  /** Granted permissions whose use the data cannot show; recommendations keep them. */
  unobservable: GrantedPermission[];
  /** Granted, observable, unused permissions, as granted. */
  unused: GrantedPermission[];
  options: RightsizingOptions;
}

/** State shared by the principals of one analysis. */
interface AnalysisContext {
  classifications: Map<string, Classification>;
  /** `d` or `c`, then an Azure pattern, to the catalog operations it matches. */
  expansions: Map<string, string[]>;
  /** Azure operations known from the options and seen in the usage, lower-cased. */
  azureCatalog: { actions: string[]; dataActions: string[] };
}

interface Classification {
  visibility: PermissionVisibility;
  risk: PermissionRisk;
  service: string;
  /** The logs that must be enabled for a data event to show (`dataEventLogsOfGrant`). */
  dataEventLogs: string[];
}

/**
 * Analyzes every principal: compares its granted permissions with its allowed use in the
 * window, classifies what went unused, scores it and proposes a least-privilege
 * replacement. Pure: the window end comes from `options.windowEnd`. Results keep the order
 * of `input.principals`.
 */
export function analyzeRightsizing(
  input: RightsizingInput,
  options: RightsizingOptions,
): RightsizingResult[] {
  const days = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const end = options.windowEnd;
  const start = end - days * DAY_MS;
  const index = indexUsage(input.usage, input.activity ?? [], start, end, DEFAULT_MAX_RESOURCES);
  const known = options.azureOperations;
  const context: AnalysisContext = {
    classifications: new Map(),
    expansions: new Map(),
    azureCatalog: {
      actions: [...new Set([...(known?.actions ?? []), ...index.azureOperations.actions])],
      dataActions: [
        ...new Set([...(known?.dataActions ?? []), ...index.azureOperations.dataActions]),
      ],
    },
  };
  const results: RightsizingResult[] = [];
  for (const principal of input.principals) {
    results.push(analyzePrincipal(principal, index, context, { start, end, days }, options));
  }
  return results;
}

function classify(
  cache: Map<string, Classification>,
  principal: AnalyzedPrincipal,
  granted: GrantedPermission,
  escalationPaths: ReadonlySet<string>,
): Classification {
  const provider = principal.provider;
  const key = `${provider}\u0000${granted.data_action ? 'd' : 'c'}\u0000${granted.permission}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = {
      visibility: visibilityOf(provider, granted.permission, granted.data_action),
      risk: classifyRisk(provider, granted.permission, new Set()),
      service: serviceOf(provider, granted.permission),
      dataEventLogs: dataEventLogsOfGrant(provider, granted.permission),
    };
    cache.set(key, entry);
  }
  if (escalationPaths.has(granted.permission.toLowerCase())) {
    return { ...entry, risk: 'escalation' };
  }
  return entry;
}

function matchesPattern(principal: AnalyzedPrincipal, pattern: string, used: string): boolean {
  // A GCP role the export did not define may contain any permission.
  if (principal.provider === 'gcp') return true;
  return matchesAzurePattern(pattern, used);
}

function observedWindow(
  index: UsageIndex,
  principal: AnalyzedPrincipal,
  ownData: boolean,
  window: { start: number; end: number; days: number },
): { window: AnalysisWindow; hasData: boolean } {
  const account = index.accounts.get(`${principal.provider}\u0000${principal.account_id}`);
  const hasData = ownData || account?.has_data_in_window === true;
  // A principal with events of its own whose account id the usage spells another way (a
  // GCP project number in the grants, the project id in the logs) is judged by the span
  // of all the data.
  // NOTE: such a principal's account counts as without data when the principal itself has
  // none, so a never-used GCP principal gets confidence 0 until project ids and numbers join.
  const coverage = account ?? (ownData ? index.span : undefined);
  const daysObserved =
    coverage !== undefined && hasData
      ? observedDays(window, coverage.earliest, coverage.latest)
      : 0;
  return {
    window: {
      ...window,
      days_observed: daysObserved,
      first_event: coverage?.earliest ?? null,
      last_event: coverage?.latest ?? null,
    },
    hasData,
  };
}

function analyzePrincipal(
  principal: AnalyzedPrincipal,
  index: UsageIndex,
  context: AnalysisContext,
  window: { start: number; end: number; days: number },
  options: RightsizingOptions,
): RightsizingResult {
  const classifications = context.classifications;
  const provider = principal.provider;
  const key = principalKey(provider, principal.principal_id);
  const uses = index.uses.get(key) ?? new Map<string, WindowUse>();
  const lastActivity = index.lastActivity.get(key) ?? null;
  const granted = grantedPermissions(principal);
  const escalationPaths = new Set<string>();
  for (const finding of principal.findings) {
    for (const name of permissionsInFindingPath(finding.path)) escalationPaths.add(name);
  }

  // Exact matches first, then the uses no exact grant explains go to the patterns.
  const matched: MatchedUse[] = [];
  const unexplained = new Map(uses);
  const patterns: GrantedPermission[] = [];
  for (const [permissionKey, grant] of granted) {
    if (grant.pattern) {
      patterns.push(grant);
      continue;
    }
    const use = uses.get(permissionKey);
    if (use !== undefined) {
      matched.push({ granted: grant, uses: [use] });
      unexplained.delete(permissionKey);
    }
  }
  const unmatchedGrants: GrantedPermission[] = [];
  for (const grant of patterns) {
    const patternUses = [...unexplained.values()].filter((use) =>
      matchesPattern(principal, grant.permission, use.permission),
    );
    if (patternUses.length > 0) matched.push({ granted: grant, uses: patternUses });
    else unmatchedGrants.push(grant);
  }
  const matchedKeys = new Set(matched.map((entry) => entry.granted.permission.toLowerCase()));
  for (const [permissionKey, grant] of granted) {
    if (!grant.pattern && !matchedKeys.has(permissionKey)) unmatchedGrants.push(grant);
  }
  // The read patterns of Azure wildcards count in the unobservable share once per wildcard.
  let wildcardReads: AzureWildcardReads = { reads: [], wildcards: 0 };
  if (provider === 'azure') {
    const expanded = unusedOperationsOfPatterns(matched, granted, uses, context);
    unmatchedGrants.push(...expanded);
    wildcardReads = azureWildcardReads(granted, new Set(expanded.map((grant) => grant.permission)));
    unmatchedGrants.push(...wildcardReads.reads);
  }

  const used: UsedPermission[] = matched.map(({ granted: grant, uses: list }) => {
    const entry: UsedPermission = {
      permission: grant.permission,
      last_used: Math.max(...list.map((use) => use.last_used)),
      count: list.reduce((sum, use) => sum + use.count, 0),
    };
    if (grant.pattern) {
      entry.partially_used = true;
      entry.matched = list.map((use) => use.permission).sort();
    }
    return entry;
  });
  used.sort((a, b) => compareText(a.permission, b.permission));

  const unused: UnusedPermission[] = [];
  const unusedGrants: GrantedPermission[] = [];
  const unobservable: UnobservablePermission[] = [];
  const unobservableGrants: GrantedPermission[] = [];
  const observableRisks: PermissionRisk[] = [];
  const unusedRisks: PermissionRisk[] = [];
  const usedServices = new Set<string>();
  const grantedServices = new Set<string>();

  for (const { granted: grant } of matched) {
    const info = classify(classifications, principal, grant, escalationPaths);
    observableRisks.push(info.risk);
    usedServices.add(info.service);
    grantedServices.add(info.service);
  }
  for (const grant of unmatchedGrants) {
    if (provider === 'gcp' && grant.pattern) {
      // A role without a definition in the export may hold permissions whose use is never
      // logged, so no use in the window does not show that it is unused.
      unobservable.push({ permission: grant.permission, reason: 'role-not-defined' });
      unobservableGrants.push(grant);
      continue;
    }
    const info = classify(classifications, principal, grant, escalationPaths);
    grantedServices.add(info.service);
    if (info.visibility === 'not-logged') {
      unobservable.push({ permission: grant.permission, reason: 'not-logged' });
      unobservableGrants.push(grant);
      continue;
    }
    const accountKey = `${provider}\u0000${principal.account_id}`;
    const logged = info.dataEventLogs.every((log) =>
      index.dataEventServices.has(`${accountKey}\u0000${log}`),
    );
    if (info.visibility === 'data-event' && !logged) {
      unobservable.push({ permission: grant.permission, reason: 'data-event-not-enabled' });
      unobservableGrants.push(grant);
      continue;
    }
    unused.push({ permission: grant.permission, risk: info.risk, service: info.service });
    unusedGrants.push(grant);
    observableRisks.push(info.risk);
    unusedRisks.push(info.risk);
  }
  unused.sort(
    (a, b) =>
      RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) ||
      compareText(a.permission, b.permission),
  );
  unobservable.sort((a, b) => compareText(a.permission, b.permission));

  const ownDataInWindow = lastActivity !== null && lastActivity >= window.start;
  const { window: analysisWindow, hasData } = observedWindow(
    index,
    principal,
    ownDataInWindow,
    window,
  );
  const status: PrincipalStatus =
    lastActivity === null
      ? 'never-used'
      : used.length > 0 || ownDataInWindow
        ? 'active'
        : 'inactive';

  const inputs = scoreInputs(
    observableRisks,
    unusedRisks,
    lastActivity,
    window.start,
    window.end,
    window.days,
  );
  const grantedCount = granted.size;
  const unobservableGrantCount =
    unobservable.length - wildcardReads.reads.length + wildcardReads.wildcards;
  const unobservableShare =
    grantedCount === 0 ? 0 : Math.min(1, unobservableGrantCount / grantedCount);
  const coverage = window.days === 0 ? 0 : analysisWindow.days_observed / window.days;
  const confidence: Confidence = {
    value: hasData ? round(coverage * (1 - 0.5 * unobservableShare), 2) : 0,
    inputs: {
      window_coverage: round(coverage, 4),
      unobservable_share: round(unobservableShare, 4),
      account_has_data: hasData,
    },
  };

  const recommendation = recommend({
    principal,
    status,
    used: matched,
    unobservable: unobservableGrants,
    unused: unusedGrants,
    options,
  });

  return {
    provider,
    account_id: principal.account_id,
    principal_id: principal.principal_id,
    principal_type: principal.principal_type,
    principal_name: principal.principal_name,
    team: teamOf(principal, options.ownership),
    status,
    last_activity: lastActivity,
    window: analysisWindow,
    used,
    unused,
    unobservable,
    unused_services: [...grantedServices].filter((service) => !usedServices.has(service)).sort(),
    score: scoreOf(inputs),
    score_inputs: inputs,
    recommendation,
    confidence,
    findings: principal.findings.map((finding) => ({ ...finding, path: [...finding.path] })),
  };
}

/**
 * Expands the Azure wildcard grants that were partly used into the known operations they
 * match that went unused, so those show as unused and removable one by one. Known are the
 * operations of `options.azureOperations` and those any principal used. Operations granted
 * by name elsewhere are left to their own grant, and operations the role's `notActions`
 * exclude are skipped.
 */
function unusedOperationsOfPatterns(
  matched: readonly MatchedUse[],
  granted: ReadonlyMap<string, GrantedPermission>,
  uses: ReadonlyMap<string, WindowUse>,
  context: AnalysisContext,
): GrantedPermission[] {
  const catalog = context.azureCatalog;
  const expanded = new Map<string, GrantedPermission>();
  for (const { granted: grant } of matched) {
    if (!grant.pattern) continue;
    const key = `${grant.data_action ? 'd' : 'c'}${grant.permission}`;
    let operations = context.expansions.get(key);
    if (operations === undefined) {
      const names = grant.data_action ? catalog.dataActions : catalog.actions;
      operations = names.filter((name) => matchesAzurePattern(grant.permission, name));
      context.expansions.set(key, operations);
    }
    for (const operation of operations) {
      const lower = operation.toLowerCase();
      if (grant.excluded.some((excluded) => matchesAzurePattern(excluded, lower))) continue;
      if (uses.has(lower) || granted.has(lower) || expanded.has(lower)) continue;
      expanded.set(lower, { ...grant, permission: lower, pattern: false, excluded: [] });
    }
  }
  return [...expanded.values()];
}

/** Compares by UTF-16 code units, the order IAM documents and the tests use. */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
