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
 * Returns the OCSF activity of one alert version. The detector writes an alert at the end
 * of each batch of events that matched it, with `event_count` counting every match so far,
 * so a later version always has a higher count than the first. A version with one event is
 * therefore the first one (Create), and a version with more is sent as an Update.
 *
 * NOTE: the Alert carries no emission number, so a first version that already aggregates
 * several events (they arrived in one detector batch) is sent as Update, not Create.
 * Receivers that key findings by `finding_info.uid` still create the finding from it.
 * Close is never sent, because the detectors do not close alerts: an acknowledgement is
 * stored by the API in ClickHouse and never reaches `ciem.alerts`.
 */
export function findingActivityOf(alert: Pick<Alert, 'event_count'>): OcsfFindingActivity {
  return alert.event_count <= 1 ? OCSF_FINDING_ACTIVITIES.create : OCSF_FINDING_ACTIVITIES.update;
}
