import type { PermissionUsage, PrincipalActivity } from '@ciem/usage';
import { dataEventLogOfUse } from './data-event-logs.js';
import type { RightsizingProvider } from './types.js';

/** Allowed use of one permission by one principal in the window, merged over usage rows. */
export interface WindowUse {
  /** The permission as the usage data spells it. */
  permission: string;
  count: number;
  last_used: number;
  resources: Set<string>;
  /** The rows kept fewer resources than were touched, so `resources` may be incomplete. */
  resources_truncated: boolean;
  /** Accounts (AWS account, Azure subscription, GCP project) of the rows, as they spell them. */
  accounts: Set<string>;
}

/** Coverage of one account (AWS account, Azure subscription, GCP project) in the usage data. */
export interface AccountCoverage {
  /** Earliest event of any principal of the account. */
  earliest: number;
  /** Latest event of any principal of the account. */
  latest: number;
  /** Some event of the account falls in the window. */
  has_data_in_window: boolean;
}

/** Usage rows and activity indexed for the analysis, built in one pass over each. */
export interface UsageIndex {
  /** Key `provider\0principal id (lower case)` to permission key (lower case) to use. */
  readonly uses: Map<string, Map<string, WindowUse>>;
  /** Key `provider\0principal id (lower case)` to the principal's last event. */
  readonly lastActivity: Map<string, number>;
  /** Key `provider\0account id`. */
  readonly accounts: Map<string, AccountCoverage>;
  /** Keys `provider\0account id\0<dataEventLogOfUse>` of the logs where some data event was seen. */
  readonly dataEventServices: Set<string>;
  /** Azure operations seen in any row (lower case): data actions and control actions apart. */
  readonly azureOperations: { actions: Set<string>; dataActions: Set<string> };
  /** First and last event over all rows and activity; `undefined` without any. */
  readonly span: { earliest: number; latest: number } | undefined;
}

/** Returns the key of a principal in the index. */
export function principalKey(provider: RightsizingProvider, principalId: string): string {
  return `${provider}\u0000${principalId.toLowerCase()}`;
}

function touchAccount(
  accounts: Map<string, AccountCoverage>,
  key: string,
  firstSeen: number,
  lastSeen: number,
  windowStart: number,
  windowEnd: number,
): void {
  const inWindow = lastSeen >= windowStart && firstSeen < windowEnd;
  const coverage = accounts.get(key);
  if (coverage === undefined) {
    accounts.set(key, { earliest: firstSeen, latest: lastSeen, has_data_in_window: inWindow });
    return;
  }
  if (firstSeen < coverage.earliest) coverage.earliest = firstSeen;
  if (lastSeen > coverage.latest) coverage.latest = lastSeen;
  if (inWindow) coverage.has_data_in_window = true;
}

/**
 * Indexes usage rows and principal activity for a window `[start, end)`. Rows may repeat a
 * (principal, permission) pair, as ClickHouse `permission_usage` rows do per day: their
 * counts add up and their resources merge. A row counts as use in the window when it has
 * allowed calls and its `[first_seen, last_seen]` range meets the window.
 *
 * NOTE: a row aggregated over a longer time than the window (the in-memory `UsageStore`
 * keeps one row per pair) counts whole when it meets the window, so `count` may include
 * calls before the window start.
 */
export function indexUsage(
  usage: Iterable<PermissionUsage>,
  activity: Iterable<PrincipalActivity>,
  windowStart: number,
  windowEnd: number,
  maxResourcesPerPermission: number,
): UsageIndex {
  const uses = new Map<string, Map<string, WindowUse>>();
  const lastActivity = new Map<string, number>();
  const accounts = new Map<string, AccountCoverage>();
  const dataEventServices = new Set<string>();
  const azureOperations = { actions: new Set<string>(), dataActions: new Set<string>() };

  // Rows usually come grouped by principal (sorted, or per day), so the per-principal state
  // of the previous row is reused while the principal and account stay the same.
  let lastProvider = '';
  let lastPrincipalId = '';
  let lastAccountId = '';
  let principal = '';
  let accountKey = '';
  let coverage: AccountCoverage | undefined;
  let byPermission: Map<string, WindowUse> | undefined;
  let latest = -Infinity;
  const lowerCase = new Map<string, string>();
  const flushLatest = (): void => {
    if (principal === '') return;
    const previous = lastActivity.get(principal);
    if (previous === undefined || latest > previous) lastActivity.set(principal, latest);
  };

  for (const row of usage) {
    const provider = row.provider;
    if (provider !== lastProvider || row.principal_id !== lastPrincipalId) {
      flushLatest();
      principal = principalKey(provider, row.principal_id);
      latest = -Infinity;
      byPermission = uses.get(principal);
      lastPrincipalId = row.principal_id;
    }
    if (provider !== lastProvider || row.account_id !== lastAccountId) {
      accountKey = `${provider}\u0000${row.account_id}`;
      touchAccount(accounts, accountKey, row.first_seen, row.last_seen, windowStart, windowEnd);
      coverage = accounts.get(accountKey);
      lastAccountId = row.account_id;
    } else if (coverage !== undefined) {
      if (row.first_seen < coverage.earliest) coverage.earliest = row.first_seen;
      if (row.last_seen > coverage.latest) coverage.latest = row.last_seen;
      if (row.last_seen >= windowStart && row.first_seen < windowEnd) {
        coverage.has_data_in_window = true;
      }
    }
    lastProvider = provider;
    if (row.last_seen > latest) latest = row.last_seen;

    let permissionKey = lowerCase.get(row.permission);
    if (permissionKey === undefined) {
      permissionKey = row.permission.toLowerCase();
      lowerCase.set(row.permission, permissionKey);
    }
    if (provider === 'azure') {
      const names =
        row.visibility === 'data-event' ? azureOperations.dataActions : azureOperations.actions;
      names.add(permissionKey);
    }
    if (row.visibility === 'data-event') {
      const log = dataEventLogOfUse(provider, row.permission);
      if (log !== undefined) dataEventServices.add(`${accountKey}\u0000${log}`);
    }
    if (row.allowed_count <= 0 || row.last_seen < windowStart || row.first_seen >= windowEnd) {
      continue;
    }

    if (byPermission === undefined) {
      byPermission = new Map();
      uses.set(principal, byPermission);
    }
    let use = byPermission.get(permissionKey);
    if (use === undefined) {
      use = {
        permission: row.permission,
        count: 0,
        last_used: row.last_seen,
        resources: new Set(),
        resources_truncated: false,
        accounts: new Set(),
      };
      byPermission.set(permissionKey, use);
    }
    use.count += row.allowed_count;
    use.accounts.add(row.account_id);
    if (row.last_seen > use.last_used) use.last_used = row.last_seen;
    for (const resource of row.resources) use.resources.add(resource);
    if (row.resources.length >= maxResourcesPerPermission) use.resources_truncated = true;
  }
  flushLatest();

  for (const row of activity) {
    const principal = principalKey(row.provider, row.principal_id);
    const previous = lastActivity.get(principal);
    if (previous === undefined || row.last_seen > previous) {
      lastActivity.set(principal, row.last_seen);
    }
    touchAccount(
      accounts,
      `${row.provider}\u0000${row.account_id}`,
      row.first_seen,
      row.last_seen,
      windowStart,
      windowEnd,
    );
  }

  let span: { earliest: number; latest: number } | undefined;
  for (const coverage of accounts.values()) {
    if (span === undefined) span = { earliest: coverage.earliest, latest: coverage.latest };
    else {
      span.earliest = Math.min(span.earliest, coverage.earliest);
      span.latest = Math.max(span.latest, coverage.latest);
    }
  }
  return { uses, lastActivity, accounts, dataEventServices, azureOperations, span };
}
