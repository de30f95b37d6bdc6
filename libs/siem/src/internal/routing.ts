import { ALERT_SEVERITIES } from '@ciem/events';
import type { Alert, AlertSeverity } from '@ciem/events';

/**
 * One routing rule of a destination. An alert matches when its severity is at least
 * `minSeverity` and, where a list is given, its provider and account match an entry.
 */
export interface RouteRule {
  minSeverity: AlertSeverity;
  /** Providers (`aws`, `azure`, `gcp`), or null for any. */
  providers: readonly string[] | null;
  /**
   * Account ids, or null for any. An entry may contain `*`, which matches any run of
   * characters (`1234*` matches every account id that starts with 1234).
   */
  accounts: readonly string[] | null;
}

/** A rule that lets every alert through. */
export const ROUTE_ALL: RouteRule = Object.freeze({
  minSeverity: 'info',
  providers: null,
  accounts: null,
});

const severityRank = new Map<string, number>(ALERT_SEVERITIES.map((name, index) => [name, index]));

/** Returns the rank of a severity, 0 for `info`; an unknown severity ranks above `critical`. */
export function severityRankOf(severity: string): number {
  return severityRank.get(severity) ?? ALERT_SEVERITIES.length;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Returns true when `value` equals `pattern`, or matches it where `pattern` contains `*`. */
export function matchesPattern(pattern: string, value: string): boolean {
  return pattern.includes('*') ? globToRegExp(pattern).test(value) : pattern === value;
}

/** Returns true when `alert` matches `rule`. */
export function matchesRule(rule: RouteRule, alert: Alert): boolean {
  if (severityRankOf(alert.severity) < severityRankOf(rule.minSeverity)) return false;
  if (rule.providers !== null && !rule.providers.includes(alert.provider)) return false;
  if (rule.accounts !== null && !rule.accounts.some((p) => matchesPattern(p, alert.account_id))) {
    return false;
  }
  return true;
}

/** Returns true when `alert` matches any of `rules`; an empty list matches nothing. */
export function isRouted(rules: readonly RouteRule[], alert: Alert): boolean {
  return rules.some((rule) => matchesRule(rule, alert));
}
