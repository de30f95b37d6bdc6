import type { Alert } from '@ciem/events';
import { idempotencyKeyOf } from '../idempotency.js';
import { OCSF_FINDING_STATUS_NEW, findingActivityOf } from './activity.js';

/**
 * Version of the OCSF schema the findings target: Detection Finding (uid 2004) in the
 * Findings category (uid 2). Times are epoch milliseconds, as OCSF `timestamp_t` is.
 */
export const OCSF_VERSION = '1.3.0';
export const OCSF_CLASS_UID = 2004;
export const OCSF_CATEGORY_UID = 2;
const OCSF_CLASS_NAME = 'Detection Finding';

/** OCSF `severity_id` per alert severity: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const OCSF_SEVERITY_IDS: Readonly<Record<string, number>> = Object.freeze({
  info: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
});

const ocsfSeverityNames: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Informational',
  2: 'Low',
  3: 'Medium',
  4: 'High',
  5: 'Critical',
};

/**
 * OCSF User `type_id` per principal type (`PRINCIPAL_TYPES` of `@ciem/events`): 1 User,
 * 2 Admin, 3 System for service identities, 99 Other with the type's own name.
 */
const userTypeIds: Readonly<Record<string, { id: number; name: string }>> = {
  user: { id: 1, name: 'User' },
  federated_user: { id: 1, name: 'User' },
  root: { id: 2, name: 'Admin' },
  aws_service: { id: 3, name: 'System' },
  service_account: { id: 3, name: 'System' },
  google_service_agent: { id: 3, name: 'System' },
  service_principal: { id: 3, name: 'System' },
  managed_identity: { id: 3, name: 'System' },
  azure_system: { id: 3, name: 'System' },
};

/** Product fields of `metadata.product`. */
export interface OcsfProduct {
  name: string;
  vendor_name: string;
  version: string;
}

/** An OCSF Detection Finding as a plain JSON object. */
export type OcsfDetectionFinding = Record<string, unknown>;

function attacksOf(techniques: readonly string[]): Array<Record<string, unknown>> {
  return techniques.map((id) => {
    // A sub-technique id (T1562.008) names its parent technique before the dot.
    const dot = id.indexOf('.');
    if (dot < 0) return { technique: { uid: id } };
    return { technique: { uid: id.slice(0, dot) }, sub_technique: { uid: id } };
  });
}

/**
 * Maps an alert to an OCSF Detection Finding. `finding_info.uid` is the `alert_id` (the same
 * finding across updates) and `metadata.uid` the idempotency key of this version.
 * `activity_id` is Create for an alert's first version and Update for later ones (see
 * `findingActivityOf`), and `type_uid` is class_uid × 100 + activity_id. `time` is the
 * alert's `created_at`, when the detector produced this version. It is
 * `finding_info.created_time` for a Create and `finding_info.modified_time` for an Update.
 * `unmapped` keeps the detector's `details` and the ids OCSF has no field for.
 */
export function encodeOcsfFinding(alert: Alert, product: OcsfProduct): OcsfDetectionFinding {
  const activity = findingActivityOf(alert);
  const versionTime =
    activity.name === 'Create'
      ? { created_time: alert.created_at }
      : { modified_time: alert.created_at };
  const severityId = OCSF_SEVERITY_IDS[alert.severity] ?? 0;
  const userType = userTypeIds[alert.principal_type] ?? { id: 99, name: alert.principal_type };
  const evidences: Array<Record<string, unknown>> = [];
  if (alert.evidence_event_ids.length > 0) {
    evidences.push({ data: { event_ids: alert.evidence_event_ids } });
  }
  for (const ip of alert.source_ips) evidences.push({ src_endpoint: { ip } });

  return {
    class_uid: OCSF_CLASS_UID,
    class_name: OCSF_CLASS_NAME,
    category_uid: OCSF_CATEGORY_UID,
    category_name: 'Findings',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: OCSF_CLASS_UID * 100 + activity.id,
    type_name: `${OCSF_CLASS_NAME}: ${activity.name}`,
    severity_id: severityId,
    severity: ocsfSeverityNames[severityId],
    // NOTE: every version is New, because acknowledgements stay in the API's ClickHouse
    // tables and the forwarder never learns an alert's triage state.
    status_id: OCSF_FINDING_STATUS_NEW.id,
    status: OCSF_FINDING_STATUS_NEW.name,
    time: alert.created_at,
    count: alert.event_count,
    message: alert.title,
    finding_info: {
      uid: alert.alert_id,
      title: alert.title,
      desc: alert.description,
      types: [alert.rule_name],
      first_seen_time: alert.first_seen,
      last_seen_time: alert.last_seen,
      ...versionTime,
      analytic: { name: alert.rule_name, uid: alert.rule_id, type_id: 1, type: 'Rule' },
    },
    attacks: attacksOf(alert.mitre_techniques),
    actor: {
      user: {
        uid: alert.principal_id,
        ...(alert.principal_name === null ? {} : { name: alert.principal_name }),
        type_id: userType.id,
        type: userType.name,
      },
    },
    cloud: { provider: alert.provider, account: { uid: alert.account_id } },
    evidences,
    metadata: {
      uid: idempotencyKeyOf(alert),
      correlation_uid: alert.dedupe_key,
      version: OCSF_VERSION,
      product,
      logged_time: alert.created_at,
    },
    unmapped: {
      alert_id: alert.alert_id,
      idempotency_key: idempotencyKeyOf(alert),
      window_start: alert.window_start,
      schema_version: alert.schema_version,
      details: alert.details,
    },
  };
}
