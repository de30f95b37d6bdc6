/**
 * TypeScript mirror of `schemas/avro/normalized-event.avsc`. Field names are the Avro and
 * ClickHouse names (snake_case) so no layer renames them. Times are epoch milliseconds UTC.
 */

/** The cloud a record came from. */
export type Provider = 'aws' | 'azure' | 'gcp';

/** Every provider, in the order reports list them. */
export const PROVIDERS: readonly Provider[] = ['aws', 'azure', 'gcp'];

/**
 * Kinds of principal across providers. `aws_service`, `google_service_agent` and
 * `azure_system` are the provider acting for itself; `unknown` is a record with no usable
 * identity (redacted, Insight events, anonymous callers).
 */
export const PRINCIPAL_TYPES = [
  'user',
  'role',
  'root',
  'federated_user',
  'aws_service',
  'aws_account',
  'service_account',
  'google_service_agent',
  'service_principal',
  'managed_identity',
  'group',
  'azure_system',
  'anonymous',
  'unknown',
] as const;

/** One of {@link PRINCIPAL_TYPES}. */
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** The stable identity that holds the permissions a call used. */
export interface Principal {
  id: string;
  type: PrincipalType;
  name: string | null;
}

/** The session the call was made in, when the principal acted through one. */
export interface Session {
  id: string | null;
  name: string | null;
  source_identity: string | null;
  issued_at: number | null;
  /** Delegation chain, outermost caller first. */
  chain: string[];
}

/** Whether the platform could name the permissions a call exercised. */
export type MappingStatus = 'mapped' | 'no-permission' | 'unmapped';

/**
 * How the provider logs uses of a permission: always (`logged`), only when the customer
 * enabled data events or Data Access logs (`data-event`), or never (`not-logged`).
 * Right-sizing never calls a permission unused unless its use would have been logged.
 */
export type Visibility = 'logged' | 'data-event' | 'not-logged';

/** What was called and which permissions it exercised. */
export interface Action {
  service: string;
  operation: string;
  permissions: string[];
  mapping: MappingStatus;
  visibility: Visibility;
}

/** A resource the call touched. */
export interface Resource {
  id: string;
  type: string | null;
}

/** The call's result as the provider reported it. */
export type Outcome = 'success' | 'denied' | 'failed';

/** Kind of activity. */
export type Category = 'management' | 'data' | 'sign-in';

/** One provider audit event in the common schema. */
export interface NormalizedEvent {
  schema_version: number;
  event_id: string;
  provider: Provider;
  event_time: number;
  ingest_time: number;
  log_type: string | null;
  account_id: string;
  tenant_id: string | null;
  region: string | null;
  principal: Principal;
  session: Session | null;
  actor: string | null;
  access_key_id: string | null;
  mfa: boolean | null;
  action: Action;
  read_only: boolean | null;
  category: Category;
  resources: Resource[];
  outcome: Outcome;
  error_code: string | null;
  error_message: string | null;
  source_ip: string | null;
  user_agent: string | null;
  via_service: string | null;
  vpc_endpoint: string | null;
  /**
   * Phase of a record that belongs to an operation of several records, in lower case.
   * Azure writes the operation phase (`started`, `accepted`, `in progress`, then
   * `succeeded`, `failed` or `canceled`), and usage counts the operation at its final
   * phase. A GCP long-running operation writes a first and a last LogEntry: the last one
   * (`operation.last` without `operation.first`) has phase `completed`, unless it was
   * denied, and is not counted, because the first one lists the permission checks. Every
   * other GCP entry, and every CloudTrail record, has null. Usage counts null, `succeeded`, `failed` and `canceled`.
   */
  phase: string | null;
  /**
   * Groups the records of one operation: Azure `correlationId`, GCP `operation.id`,
   * CloudTrail `sharedEventID`.
   */
  correlation_id: string | null;
  raw_ref: string;
}

/** The version this code writes into `schema_version`. */
export const SCHEMA_VERSION = 1;
