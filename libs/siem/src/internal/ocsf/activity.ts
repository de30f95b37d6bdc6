import { alertVersionOf } from '@ciem/events';
import type { Alert } from '@ciem/events';

/**
 * Activities of the OCSF 1.3.0 Finding classes (`activity_id` of Detection Finding): a
 * finding is created, updated with new evidence, or closed.
 */
export const OCSF_FINDING_ACTIVITIES = Object.freeze({
  create: { id: 1, name: 'Create' },
  update: { id: 2, name: 'Update' },
  close: { id: 3, name: 'Close' },
} as const);

/** One entry of {@link OCSF_FINDING_ACTIVITIES}. */
export type OcsfFindingActivity =
  (typeof OCSF_FINDING_ACTIVITIES)[keyof typeof OCSF_FINDING_ACTIVITIES];

/**
 * Finding `status_id` 1 (New): "the Finding is new and yet to be reviewed". The Finding class
 * also defines 2 In Progress, 3 Suppressed and 4 Resolved for the triage state.
 */
export const OCSF_FINDING_STATUS_NEW = Object.freeze({ id: 1, name: 'New' } as const);

/**
 * Returns the OCSF activity of one alert version: Create for the first version the detector
 * wrote (`details.alert_version` 1) and Update for later ones.
 *
 * Alerts written before the detector numbered its versions carry no `alert_version`. For
 * them a version with one event is taken as the first, because each later version counts at
 * least one more event, and any other as an Update. NOTE: such an alert whose first version
 * already counted several events is sent as an Update. Close is never sent, because the
 * detectors do not close alerts: an acknowledgement is stored by the API in ClickHouse and
 * never reaches `ciem.alerts`.
 */
export function findingActivityOf(
  alert: Pick<Alert, 'event_count' | 'details'>,
): OcsfFindingActivity {
  const version = alertVersionOf(alert);
  const first = version === undefined ? alert.event_count <= 1 : version === 1;
  return first ? OCSF_FINDING_ACTIVITIES.create : OCSF_FINDING_ACTIVITIES.update;
}
