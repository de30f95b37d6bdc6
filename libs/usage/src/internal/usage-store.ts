import type { NormalizedEvent, Provider, PrincipalType, Visibility } from '@ciem/events';
import { countsAsUse } from './counting-rule.js';

/** Use of one permission by one principal over the observed window. */
export interface PermissionUsage {
  provider: Provider;
  account_id: string;
  principal_id: string;
  permission: string;
  visibility: Visibility;
  /** Calls that succeeded or failed for a reason other than authorization. */
  allowed_count: number;
  /** Calls the provider denied: the principal tried, but the grant did not cover it. */
  denied_count: number;
  /** Epoch milliseconds UTC. */
  first_seen: number;
  /** Epoch milliseconds UTC. */
  last_seen: number;
  /** Up to {@link UsageStoreOptions.maxResourcesPerPermission} distinct resources. */
  resources: string[];
}

/** What the store knows of one principal as a whole. */
export interface PrincipalActivity {
  provider: Provider;
  account_id: string;
  principal_id: string;
  principal_type: PrincipalType;
  principal_name: string | null;
  event_count: number;
  /** Events whose call the platform could not map to a permission. */
  unmapped_count: number;
  first_seen: number;
  last_seen: number;
}

/** Limits that keep the store's memory proportional to principals × permissions. */
export interface UsageStoreOptions {
  /** Distinct resources kept per principal and permission; later ones are counted, not kept. */
  maxResourcesPerPermission?: number;
}

/**
 * In-memory permission usage, the embedded mode's counterpart of ClickHouse
 * `permission_usage`. Memory grows with distinct (principal, permission) pairs, not with
 * events, so a 5 GB input with a fixed estate stays flat.
 */
export class UsageStore {
  private readonly usage = new Map<string, PermissionUsage>();
  private readonly principals = new Map<string, PrincipalActivity>();
  private readonly maxResources: number;

  constructor(options: UsageStoreOptions = {}) {
    this.maxResources = options.maxResourcesPerPermission ?? 20;
  }

  /** Adds one event; an event whose phase does not count (`countsAsUse`) updates only activity. */
  record(event: NormalizedEvent): void {
    this.recordActivity(event);
    if (!countsAsUse(event)) return;
    const denied = event.outcome === 'denied';
    for (const permission of event.action.permissions) {
      const key = `${event.provider}\u0000${event.account_id}\u0000${event.principal.id}\u0000${permission}`;
      let entry = this.usage.get(key);
      if (entry === undefined) {
        entry = {
          provider: event.provider,
          account_id: event.account_id,
          principal_id: event.principal.id,
          permission,
          visibility: event.action.visibility,
          allowed_count: 0,
          denied_count: 0,
          first_seen: event.event_time,
          last_seen: event.event_time,
          resources: [],
        };
        this.usage.set(key, entry);
      }
      if (denied) entry.denied_count += 1;
      else entry.allowed_count += 1;
      if (event.event_time < entry.first_seen) entry.first_seen = event.event_time;
      if (event.event_time > entry.last_seen) entry.last_seen = event.event_time;
      for (const resource of event.resources) {
        if (entry.resources.length >= this.maxResources) break;
        if (!entry.resources.includes(resource.id)) entry.resources.push(resource.id);
      }
    }
  }

  private recordActivity(event: NormalizedEvent): void {
    const key = `${event.provider}\u0000${event.account_id}\u0000${event.principal.id}`;
    let activity = this.principals.get(key);
    if (activity === undefined) {
      activity = {
        provider: event.provider,
        account_id: event.account_id,
        principal_id: event.principal.id,
        principal_type: event.principal.type,
        principal_name: event.principal.name,
        event_count: 0,
        unmapped_count: 0,
        first_seen: event.event_time,
        last_seen: event.event_time,
      };
      this.principals.set(key, activity);
    }
    activity.event_count += 1;
    if (event.action.mapping === 'unmapped') activity.unmapped_count += 1;
    if (activity.principal_name === null && event.principal.name !== null) {
      activity.principal_name = event.principal.name;
    }
    if (event.event_time < activity.first_seen) activity.first_seen = event.event_time;
    if (event.event_time > activity.last_seen) activity.last_seen = event.event_time;
  }

  /** Usage rows sorted by provider, account, principal and permission. */
  permissionUsage(): PermissionUsage[] {
    return [...this.usage.values()].sort(
      (a, b) =>
        a.provider.localeCompare(b.provider) ||
        a.account_id.localeCompare(b.account_id) ||
        a.principal_id.localeCompare(b.principal_id) ||
        a.permission.localeCompare(b.permission),
    );
  }

  /** One row per principal seen, sorted like {@link permissionUsage}. */
  principalActivity(): PrincipalActivity[] {
    return [...this.principals.values()].sort(
      (a, b) =>
        a.provider.localeCompare(b.provider) ||
        a.account_id.localeCompare(b.account_id) ||
        a.principal_id.localeCompare(b.principal_id),
    );
  }

  /** Distinct permissions used (allowed at least once) per provider. */
  usedPermissionCount(): number {
    const distinct = new Set<string>();
    for (const entry of this.usage.values()) {
      if (entry.allowed_count > 0) distinct.add(`${entry.provider}\u0000${entry.permission}`);
    }
    return distinct.size;
  }
}
