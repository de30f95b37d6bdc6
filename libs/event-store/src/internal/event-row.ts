import type { RowBinaryType } from '@ciem/clickhouse';
import type { NormalizedEvent } from '@ciem/events';
import { InputError, describeValue } from '@ciem/errors';
import { EventStoreErrorCodes } from './errors.js';
import { wellFormed } from './well-formed.js';

/**
 * One row of the ClickHouse `events` table (schemas/clickhouse/0001_events.sql): the
 * `NormalizedEvent` of schemas/avro/normalized-event.avsc flattened into snake_case columns.
 * Times are whole seconds for the `DateTime('UTC')` columns, milliseconds in `*_ms`.
 * Avro nulls become `''` (text), `0` (`session_issued_at_ms`) or `-1` (`mfa`, `read_only`).
 */
export interface EventRow {
  event_id: string;
  provider: string;
  event_time: number;
  event_time_ms: number;
  ingest_time: number;
  schema_version: number;
  log_type: string;
  account_id: string;
  tenant_id: string;
  region: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  session_id: string;
  session_name: string;
  session_source_identity: string;
  session_issued_at_ms: number;
  session_chain: string[];
  actor: string;
  access_key_id: string;
  /** -1 unknown, 0 no, 1 yes. */
  mfa: number;
  service: string;
  operation: string;
  permissions: string[];
  mapping: string;
  visibility: string;
  /** -1 unknown, 0 no, 1 yes. */
  read_only: number;
  category: string;
  resources: string[];
  resource_types: string[];
  outcome: string;
  error_code: string;
  error_message: string;
  source_ip: string;
  user_agent: string;
  via_service: string;
  vpc_endpoint: string;
  /** Operation phase in lower case (Azure phases, GCP `completed`), `''` when the event has none. */
  phase: string;
  correlation_id: string;
  raw_ref: string;
}

/** Columns of `EventRow`, in table order; the batch writer sends exactly these. */
export const EVENT_COLUMNS: readonly (keyof EventRow)[] = [
  'event_id',
  'provider',
  'event_time',
  'event_time_ms',
  'ingest_time',
  'schema_version',
  'log_type',
  'account_id',
  'tenant_id',
  'region',
  'principal_id',
  'principal_type',
  'principal_name',
  'session_id',
  'session_name',
  'session_source_identity',
  'session_issued_at_ms',
  'session_chain',
  'actor',
  'access_key_id',
  'mfa',
  'service',
  'operation',
  'permissions',
  'mapping',
  'visibility',
  'read_only',
  'category',
  'resources',
  'resource_types',
  'outcome',
  'error_code',
  'error_message',
  'source_ip',
  'user_agent',
  'via_service',
  'vpc_endpoint',
  'phase',
  'correlation_id',
  'raw_ref',
];

/**
 * The type of each `events` column as RowBinary writes it, from 0001_events.sql:
 * `LowCardinality(String)` columns are `String` here, because RowBinary reads the same bytes
 * for both. The writer sends rows as RowBinary with these types.
 */
export const EVENT_COLUMN_TYPES: Readonly<Record<keyof EventRow, RowBinaryType>> = {
  event_id: 'String',
  provider: 'String',
  event_time: 'DateTime',
  event_time_ms: 'UInt64',
  ingest_time: 'DateTime',
  schema_version: 'UInt16',
  log_type: 'String',
  account_id: 'String',
  tenant_id: 'String',
  region: 'String',
  principal_id: 'String',
  principal_type: 'String',
  principal_name: 'String',
  session_id: 'String',
  session_name: 'String',
  session_source_identity: 'String',
  session_issued_at_ms: 'UInt64',
  session_chain: 'Array(String)',
  actor: 'String',
  access_key_id: 'String',
  mfa: 'Int8',
  service: 'String',
  operation: 'String',
  permissions: 'Array(String)',
  mapping: 'String',
  visibility: 'String',
  read_only: 'Int8',
  category: 'String',
  resources: 'Array(String)',
  resource_types: 'Array(String)',
  outcome: 'String',
  error_code: 'String',
  error_message: 'String',
  source_ip: 'String',
  user_agent: 'String',
  via_service: 'String',
  vpc_endpoint: 'String',
  phase: 'String',
  correlation_id: 'String',
  raw_ref: 'String',
};

/** Largest time a `DateTime` column holds: 2106-02-07T06:28:15Z, in milliseconds. */
const MAX_DATETIME_MS = 4_294_967_295_999;

function text(value: string | null | undefined): string {
  return value == null ? '' : wellFormed(value);
}

function texts(values: readonly string[]): string[] {
  return values.map(wellFormed);
}

function tristate(value: boolean | null): number {
  if (value === null) return -1;
  return value ? 1 : 0;
}

function checkTime(field: string, ms: number, event: NormalizedEvent): number {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_DATETIME_MS) {
    throw new InputError(
      EventStoreErrorCodes.timeOutOfRange,
      `event ${describeValue(event.event_id)} at ${describeValue(event.raw_ref)} has ${field} ${describeValue(ms)}, but the events table stores whole milliseconds from 1970-01-01 to 2106-02-07 UTC; fix the time in the source record`,
      { details: { field, event_id: event.event_id, raw_ref: event.raw_ref } },
    );
  }
  return ms;
}

/**
 * Maps a NormalizedEvent to its `events` row. Throws `InputError`
 * `CIEM_EVENT_STORE_TIME_OUT_OF_RANGE` when `event_time`, `ingest_time` or
 * `session.issued_at` is outside the `DateTime` range, so the caller dead-letters the record
 * instead of failing the whole INSERT.
 */
export function toEventRow(event: NormalizedEvent): EventRow {
  const eventTimeMs = checkTime('event_time', event.event_time, event);
  const ingestTimeMs = checkTime('ingest_time', event.ingest_time, event);
  const session = event.session;
  const issuedAt = session?.issued_at ?? null;
  return {
    event_id: text(event.event_id),
    provider: event.provider,
    event_time: Math.floor(eventTimeMs / 1000),
    event_time_ms: eventTimeMs,
    ingest_time: Math.floor(ingestTimeMs / 1000),
    schema_version: event.schema_version,
    log_type: text(event.log_type),
    account_id: text(event.account_id),
    tenant_id: text(event.tenant_id),
    region: text(event.region),
    principal_id: text(event.principal.id),
    principal_type: event.principal.type,
    principal_name: text(event.principal.name),
    session_id: text(session?.id),
    session_name: text(session?.name),
    session_source_identity: text(session?.source_identity),
    session_issued_at_ms: issuedAt === null ? 0 : checkTime('session.issued_at', issuedAt, event),
    session_chain: texts(session?.chain ?? []),
    actor: text(event.actor),
    access_key_id: text(event.access_key_id),
    mfa: tristate(event.mfa),
    service: text(event.action.service),
    operation: text(event.action.operation),
    permissions: texts(event.action.permissions),
    mapping: event.action.mapping,
    visibility: event.action.visibility,
    read_only: tristate(event.read_only),
    category: event.category,
    resources: event.resources.map((resource) => text(resource.id)),
    resource_types: event.resources.map((resource) => text(resource.type)),
    outcome: event.outcome,
    error_code: text(event.error_code),
    error_message: text(event.error_message),
    source_ip: text(event.source_ip),
    user_agent: text(event.user_agent),
    via_service: text(event.via_service),
    vpc_endpoint: text(event.vpc_endpoint),
    phase: text(event.phase).toLowerCase(),
    correlation_id: text(event.correlation_id),
    raw_ref: text(event.raw_ref),
  };
}
