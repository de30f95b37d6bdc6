/** A permission with the service it belongs to, as the grouping reads it. */
export interface ServicePermission {
  permission: string;
  service: string;
}

/** The permissions of one service in a list: how many, and the first few by name. */
export interface ServiceGroup {
  service: string;
  count: number;
  /** The first permissions of the service in the order given, at most the per-service limit. */
  shown: string[];
  /** Permissions of the service not named: `count - shown.length`. */
  more: number;
}

/** A long permission list in the short form the HTML and Markdown reports print. */
export interface GroupedPermissions {
  total: number;
  /** The services in the order asked for, at most the service limit. */
  groups: ServiceGroup[];
  /** Services left out of `groups`, and how many permissions they hold. */
  more_services: number;
  more_services_permissions: number;
}

/** Limits of the short form; the CSV and JSON reports always keep every permission. */
export interface GroupingLimits {
  /** Permissions named per service; 5 by default. */
  permissionsPerService?: number;
  /** Services listed; 25 by default. */
  services?: number;
}

/** Default of {@link GroupingLimits.permissionsPerService}. */
export const DEFAULT_PERMISSIONS_PER_SERVICE = 5;
/** Default of {@link GroupingLimits.services}. */
export const DEFAULT_SERVICES_LISTED = 25;

/**
 * Groups permissions by service for the HTML and Markdown reports, so an admin principal with
 * twenty thousand unused actions reads as a few lines: each service with its count and its
 * first few permissions, and the services beyond the limit as one count. Services come with
 * the most permissions first (`order` `count`) or in the order of their first permission
 * (`first`, so a list sorted by risk starts with the service of the riskiest). Permissions
 * keep the order given within their service.
 */
export function groupByService(
  entries: Iterable<ServicePermission>,
  limits: GroupingLimits = {},
  order: 'count' | 'first' = 'count',
): GroupedPermissions {
  const perService = limits.permissionsPerService ?? DEFAULT_PERMISSIONS_PER_SERVICE;
  const serviceLimit = limits.services ?? DEFAULT_SERVICES_LISTED;
  const byService = new Map<string, ServiceGroup>();
  let total = 0;
  for (const entry of entries) {
    total += 1;
    let group = byService.get(entry.service);
    if (group === undefined) {
      group = { service: entry.service, count: 0, shown: [], more: 0 };
      byService.set(entry.service, group);
    }
    group.count += 1;
    if (group.shown.length < perService) group.shown.push(entry.permission);
    else group.more += 1;
  }
  const sorted = [...byService.values()];
  if (order === 'count') {
    sorted.sort((a, b) => b.count - a.count || compareCodeUnits(a.service, b.service));
  }
  const listed = sorted.slice(0, serviceLimit);
  const rest = sorted.slice(serviceLimit);
  return {
    total,
    groups: listed,
    more_services: rest.length,
    more_services_permissions: rest.reduce((sum, group) => sum + group.count, 0),
  };
}

/** Orders two names by UTF-16 code units, as `<` does, so the order is the same everywhere. */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
