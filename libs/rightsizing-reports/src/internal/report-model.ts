import { createHash } from 'node:crypto';
import { serviceOf, summaryWindow } from '@ciem/rightsizing';
import type {
  PermissionRisk,
  RecommendationKind,
  RightsizingResult,
  SummaryWindow,
  UnobservableReason,
} from '@ciem/rightsizing';
import type { GroupingLimits, ServicePermission } from './service-groups.js';

/** Scope of a report: the principals of one account or of one team. */
export interface ReportScope {
  kind: 'account' | 'team';
  /** Account id, or team name (`(none)` for principals without a team). */
  key: string;
}

/** Team name the reports use for principals whose `team` is `null`. */
export const NO_TEAM = '(none)';

/** Risk classes that count as high risk in the reports' removal list, highest first. */
export const HIGH_RISKS: readonly PermissionRisk[] = [
  'escalation',
  'permissions-management',
  'write',
];

/** Options of `buildReportModel` and `renderReports`. */
export interface ReportOptions {
  /** Time the report was produced, in milliseconds since the Unix epoch. */
  generatedAt: number;
  /** Principals listed in "top principals by score"; 10 by default. */
  topPrincipals?: number;
  /** Principals listed in "biggest high-risk removals"; 10 by default. */
  topRemovals?: number;
  /**
   * How much of a long permission list the HTML and Markdown reports name: they group
   * permissions by service with counts; the CSV and JSON reports keep every permission.
   */
  grouping?: GroupingLimits;
}

/** Headline numbers of a report. */
export interface ReportHeadline {
  principals: number;
  active: number;
  inactive: number;
  never_used: number;
  /** Principals whose recommendation removes at least one permission or the principal. */
  with_removals: number;
  /** Sum over principals of the permissions their recommendation removes. */
  removable_permissions: number;
  /** Removable permissions whose risk is in `HIGH_RISKS`. */
  high_risk_removable: number;
  /** Granted permissions whose use the data cannot show, over all principals. */
  unobservable_permissions: number;
  /** Mean score, rounded to one decimal; 0 without principals. */
  mean_score: number;
  max_score: number;
}

/** One principal's high-risk removals. */
export interface HighRiskRemoval {
  principal_id: string;
  principal_name: string;
  account_id: string;
  score: number;
  /** Removed permissions with a risk in `HIGH_RISKS`, highest risk first. */
  permissions: Array<{ permission: string; risk: PermissionRisk; service: string }>;
}

/** One principal's unobservable permissions, shown apart from the removable ones. */
export interface UnobservableEntry {
  principal_id: string;
  account_id: string;
  permissions: Array<{ permission: string; reason: UnobservableReason; service: string }>;
}

/** Everything a report shows, before it is rendered into a format. */
export interface ReportModel {
  scope: ReportScope;
  generated_at: number;
  /** The configured window and the span of the logs seen; `null` without results. */
  window: SummaryWindow | null;
  /** Limits of the grouped permission lists of the HTML and Markdown reports. */
  grouping: GroupingLimits;
  headline: ReportHeadline;
  /** Number of principals per score bucket: [0,10), [10,20), … [90,100]. */
  score_histogram: number[];
  /** Principals sorted by score, highest first, then by principal id. */
  top_principals: RightsizingResult[];
  high_risk_removals: HighRiskRemoval[];
  unobservable: UnobservableEntry[];
  /** Every principal of the scope, sorted by score (highest first), then principal id. */
  principals: RightsizingResult[];
}

/** Recommendation kinds whose document is shown per principal. */
export const DOCUMENT_KINDS: ReadonlySet<RecommendationKind> = new Set([
  'aws-policy',
  'azure-custom-role',
  'azure-builtin-role',
  'gcp-predefined-roles',
  'gcp-custom-role',
]);

/** Team of a result as the reports name it. */
export function teamOf(result: RightsizingResult): string {
  return result.team ?? NO_TEAM;
}

function byScore(a: RightsizingResult, b: RightsizingResult): number {
  return b.score - a.score || a.principal_id.localeCompare(b.principal_id);
}

function riskRank(risk: PermissionRisk): number {
  const rank = HIGH_RISKS.indexOf(risk);
  return rank === -1 ? HIGH_RISKS.length : rank;
}

/**
 * Returns the permissions a result's recommendation removes, with their services, highest
 * risk first (the order of `unused`).
 */
export function removedPermissionsOf(result: RightsizingResult): ServicePermission[] {
  const removed = new Set(result.recommendation.removes);
  const listed = result.unused
    .filter((entry) => removed.has(entry.permission))
    .map((entry) => ({ permission: entry.permission, service: entry.service }));
  const known = new Set(listed.map((entry) => entry.permission));
  for (const permission of result.recommendation.removes) {
    if (!known.has(permission)) {
      listed.push({ permission, service: serviceOf(result.provider, permission) });
    }
  }
  return listed;
}

/** Returns the high-risk permissions that a result's recommendation removes. */
export function highRiskRemovalsOf(
  result: RightsizingResult,
): Array<{ permission: string; risk: PermissionRisk; service: string }> {
  const removed = new Set(result.recommendation.removes);
  return result.unused
    .filter((entry) => removed.has(entry.permission) && HIGH_RISKS.includes(entry.risk))
    .map((entry) => ({ permission: entry.permission, risk: entry.risk, service: entry.service }))
    .sort(
      (a, b) => riskRank(a.risk) - riskRank(b.risk) || a.permission.localeCompare(b.permission),
    );
}

function hasRemovals(result: RightsizingResult): boolean {
  return (
    result.recommendation.removes.length > 0 || result.recommendation.kind === 'remove-principal'
  );
}

/** Builds the model of one report from the results of its scope. */
export function buildReportModel(
  scope: ReportScope,
  results: readonly RightsizingResult[],
  options: ReportOptions,
): ReportModel {
  const principals = [...results].sort(byScore);
  const histogram = new Array<number>(10).fill(0);
  let scoreSum = 0;
  const headline: ReportHeadline = {
    principals: principals.length,
    active: 0,
    inactive: 0,
    never_used: 0,
    with_removals: 0,
    removable_permissions: 0,
    high_risk_removable: 0,
    unobservable_permissions: 0,
    mean_score: 0,
    max_score: 0,
  };
  const removals: HighRiskRemoval[] = [];
  const unobservable: UnobservableEntry[] = [];

  for (const result of principals) {
    if (result.status === 'active') headline.active += 1;
    else if (result.status === 'inactive') headline.inactive += 1;
    else headline.never_used += 1;
    if (hasRemovals(result)) headline.with_removals += 1;
    headline.removable_permissions += result.recommendation.removes.length;
    headline.unobservable_permissions += result.unobservable.length;
    headline.max_score = Math.max(headline.max_score, result.score);
    scoreSum += result.score;
    const bucket = Math.min(9, Math.max(0, Math.floor(result.score / 10)));
    histogram[bucket] = (histogram[bucket] ?? 0) + 1;

    const highRisk = highRiskRemovalsOf(result);
    headline.high_risk_removable += highRisk.length;
    if (highRisk.length > 0) {
      removals.push({
        principal_id: result.principal_id,
        principal_name: result.principal_name,
        account_id: result.account_id,
        score: result.score,
        permissions: highRisk,
      });
    }
    if (result.unobservable.length > 0) {
      unobservable.push({
        principal_id: result.principal_id,
        account_id: result.account_id,
        permissions: result.unobservable.map((entry) => ({
          permission: entry.permission,
          reason: entry.reason,
          service: serviceOf(result.provider, entry.permission),
        })),
      });
    }
  }
  if (principals.length > 0) {
    headline.mean_score = Math.round((scoreSum / principals.length) * 10) / 10;
  }
  removals.sort(
    (a, b) =>
      b.permissions.length - a.permissions.length ||
      b.score - a.score ||
      a.principal_id.localeCompare(b.principal_id),
  );
  return {
    scope,
    generated_at: options.generatedAt,
    window: principals.length === 0 ? null : summaryWindow(principals),
    grouping: options.grouping ?? {},
    headline,
    score_histogram: histogram,
    top_principals: principals.slice(0, options.topPrincipals ?? 10),
    high_risk_removals: removals.slice(0, options.topRemovals ?? 10),
    unobservable,
    principals,
  };
}

/** Splits results into the scopes of one kind, sorted by key. */
export function groupResults(
  results: readonly RightsizingResult[],
  kind: ReportScope['kind'],
): Array<{ scope: ReportScope; results: RightsizingResult[] }> {
  const groups = new Map<string, RightsizingResult[]>();
  for (const result of results) {
    const key = kind === 'account' ? result.account_id : teamOf(result);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [result]);
    else group.push(result);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => ({ scope: { kind, key }, results: group }));
}

/**
 * Returns the file name stem of a scope's reports, the same on every run: `account-<id>` or
 * `team-<name>`. Characters outside `A-Za-z0-9._-` become `_`, and then the first 8 hex
 * digits of the key's SHA-256 are appended so that two keys never share a name.
 */
export function reportBaseName(scope: ReportScope): string {
  const safe = scope.key.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  if (safe === scope.key && safe.length > 0 && safe.length <= 100) return `${scope.kind}-${safe}`;
  const digest = createHash('sha256').update(scope.key).digest('hex').slice(0, 8);
  return `${scope.kind}-${safe.slice(0, 100)}-${digest}`;
}
