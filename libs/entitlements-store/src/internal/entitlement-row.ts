import type { AnyPrincipalEntitlements, Grant, SnapshotHeader } from '@ciem/entitlements';
import { iterateGrants } from '@ciem/entitlements';

/** One row of the ClickHouse `entitlements` table (schemas/clickhouse/0004_entitlements.sql). */
export interface EntitlementRow {
  provider: string;
  account_id: string;
  taken_at_ms: number;
  /** Unix seconds. */
  snapshot_time: number;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  admin: 0 | 1;
  permission: string;
  resource: string;
  conditional: 0 | 1;
  conditions: string;
  via: string;
  data_action: 0 | 1;
  /** Unix seconds. */
  written_at: number;
}

/** Columns of `EntitlementRow`, in table order. */
export const ENTITLEMENT_COLUMNS: readonly string[] = [
  'provider',
  'account_id',
  'taken_at_ms',
  'snapshot_time',
  'principal_id',
  'principal_type',
  'principal_name',
  'admin',
  'permission',
  'resource',
  'conditional',
  'conditions',
  'via',
  'data_action',
  'written_at',
];

function grantsOf(principal: AnyPrincipalEntitlements): Iterable<Grant> {
  return 'grant_groups' in principal ? iterateGrants(principal) : principal.grants;
}

/**
 * Yields the rows of one principal, one per grant, without building its grant list.
 * `writtenAtMs` becomes the row version: rewriting a snapshot later keeps the later copy.
 */
export function* toEntitlementRows(
  header: SnapshotHeader,
  principal: AnyPrincipalEntitlements,
  writtenAtMs: number,
): IterableIterator<EntitlementRow> {
  const admin = principal.findings.some((finding) => finding.kind === 'admin-equivalent') ? 1 : 0;
  for (const grant of grantsOf(principal)) {
    yield {
      provider: header.provider,
      account_id: principal.account_id || header.account_id,
      taken_at_ms: header.taken_at,
      snapshot_time: Math.floor(header.taken_at / 1000),
      principal_id: principal.principal_id,
      principal_type: principal.principal_type,
      principal_name: principal.principal_name,
      admin,
      permission: grant.permission,
      resource: grant.resource,
      conditional: grant.conditional ? 1 : 0,
      conditions: grant.conditions ?? '',
      via: grant.via,
      data_action: grant.data_action === true ? 1 : 0,
      written_at: Math.floor(writtenAtMs / 1000),
    };
  }
}
