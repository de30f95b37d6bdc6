/**
 * Test helpers that seed ClickHouse the way the platform fills it: entitlement rows as the
 * entitlements service writes them with their role catalog, and events through the `events` table, whose
 * materialized view fills `permission_usage`.
 */
import type { ClickHouse } from '@ciem/clickhouse';
import { roleCatalogFromExports } from '@ciem/entitlements';
import type { AnyPrincipalEntitlements, ExportDocument, SnapshotHeader } from '@ciem/entitlements';
import { ENTITLEMENT_COLUMNS, toEntitlementRows, writeRoleCatalog } from '@ciem/entitlements-store';
import { EVENT_COLUMNS, toEventRow } from '@ciem/event-store';
import type { NormalizedEvent, Outcome, Provider } from '@ciem/events';

/** Inserts the rows of one entitlements snapshot. */
export async function seedSnapshot(
  client: Pick<ClickHouse, 'insert'>,
  database: string,
  header: SnapshotHeader,
  principals: readonly AnyPrincipalEntitlements[],
): Promise<void> {
  const rows = principals.flatMap((principal) => [
    ...toEntitlementRows(header, principal, header.taken_at + 1_000),
  ]);
  await client.insert(`${database}.entitlements`, rows, { columns: ENTITLEMENT_COLUMNS });
}

/**
 * Writes the role catalog of IAM export documents for one snapshot, as the entitlements
 * service does after the snapshot's rows.
 */
export async function seedRoleCatalog(
  client: Pick<ClickHouse, 'insert'>,
  database: string,
  header: SnapshotHeader,
  documents: readonly ExportDocument[],
): Promise<void> {
  await writeRoleCatalog(
    { client, database, maxRows: 1_000 },
    header,
    roleCatalogFromExports(documents),
    header.taken_at + 1_000,
  );
}

/** Fields of a test event; `testEvent` fills the rest of the `NormalizedEvent` with nulls. */
export interface TestEvent {
  id: string;
  provider: Provider;
  account: string;
  principal: string;
  permission: string;
  /** Milliseconds since the Unix epoch. */
  time: number;
  outcome?: Outcome;
  resource?: string;
}

/** Builds a `NormalizedEvent` of one permission use. */
export function testEvent(event: TestEvent): NormalizedEvent {
  const [service = '', operation = ''] = event.permission.split(':');
  return {
    schema_version: 1,
    event_id: event.id,
    provider: event.provider,
    event_time: event.time,
    ingest_time: event.time,
    log_type: null,
    account_id: event.account,
    tenant_id: null,
    region: null,
    principal: { id: event.principal, type: 'role', name: null },
    session: null,
    actor: null,
    access_key_id: null,
    mfa: null,
    action: {
      service,
      operation,
      permissions: [event.permission],
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: null,
    category: 'management',
    resources: event.resource === undefined ? [] : [{ id: event.resource, type: null }],
    outcome: event.outcome ?? 'success',
    error_code: null,
    error_message: null,
    source_ip: null,
    user_agent: null,
    via_service: null,
    vpc_endpoint: null,
    phase: null,
    correlation_id: null,
    raw_ref: `test:${event.id}`,
  };
}

/** Inserts events into `events`; the materialized view adds them to `permission_usage`. */
export async function seedEvents(
  client: Pick<ClickHouse, 'insert'>,
  database: string,
  events: readonly TestEvent[],
): Promise<void> {
  await client.insert(
    `${database}.events`,
    events.map((event) => toEventRow(testEvent(event))),
    { columns: EVENT_COLUMNS },
  );
}
