import { isIP } from 'node:net';
import {
  ALERT_MAX_EVIDENCE_EVENTS,
  ALERT_MAX_SOURCE_IPS,
  ALERT_SCHEMA_VERSION,
  ALERT_SEVERITIES,
  ALERT_VERSION_DETAIL,
  alertVersionOf,
  computeAlertId,
} from '@ciem/events';
import type { Alert, NormalizedEvent } from '@ciem/events';
import { DETECTORS } from './detectors/index.js';
import { invalidState } from './errors.js';
import { isSecondaryOperationRecord } from './operation-records.js';
import { resolveAnomalyOptions } from './options.js';
import { hasOwnBaseline } from './principal-baseline.js';
import type { AnomalyOptions } from './options.js';
import {
  createPrincipalState,
  deserializePrincipalState,
  serializePrincipalState,
} from './principal-state.js';
import type { PrincipalState, SerializedPrincipalState } from './principal-state.js';
import { compileSuppressions } from './suppression.js';
import type { Detection, DetectorContext } from './types.js';

/** JSON checkpoint of an engine: baselines and the alerts whose window is still open. */
export interface AnomalyCheckpoint {
  version: 1;
  principals: [string, SerializedPrincipalState][];
  openAlerts: Alert[];
}

/** Counters of an engine since it was created. */
export interface AnomalyStats {
  events: number;
  /** Events ignored because an event with the same id was among the recent ones. */
  duplicates: number;
  principals: number;
  detections: number;
  suppressed: number;
  alertsOpened: number;
}

/** The detector stage: feed events, then drain the alerts they opened or updated. */
export interface AnomalyEngine {
  /** Runs every detector on one event and updates the principal's baseline. */
  observe(event: NormalizedEvent): void;
  /**
   * Returns the alerts opened or updated since the last drain, each once in its latest
   * version, and closes windows that ended more than one window before the latest event.
   */
  drain(): Alert[];
  checkpoint(): AnomalyCheckpoint;
  stats(): AnomalyStats;
}

/**
 * Creates the detector engine. Throws CIEM_ANOMALY_INVALID_OPTION for a bad option and
 * CIEM_ANOMALY_INVALID_STATE for a checkpoint that cannot be restored.
 */
export function createAnomalyEngine(
  options: AnomalyOptions = {},
  checkpoint?: AnomalyCheckpoint,
): AnomalyEngine {
  const resolved = resolveAnomalyOptions(options);
  const isSuppressed = compileSuppressions(options.suppressions ?? []);
  const disabled = new Set(options.disabledRules ?? []);
  const context: DetectorContext = {
    options: resolved,
    isMarkedUnused: options.isMarkedUnused ?? (() => false),
    geo: options.geo,
  };
  const principals = new Map<string, PrincipalState>();
  const open = new Map<string, Alert>();
  const dirty = new Map<string, Alert>();
  const stats: AnomalyStats = {
    events: 0,
    duplicates: 0,
    principals: 0,
    detections: 0,
    suppressed: 0,
    alertsOpened: 0,
  };
  let latest = 0;
  const detections: Detection[] = [];
  // Insertion order is arrival order, so the first id is the one to forget. NOTE: the ids
  // are not part of the checkpoint, so an event repeated across a restart counts twice.
  const recentEventIds = new Set<string>();

  if (checkpoint !== undefined) restore(checkpoint);

  function restore(value: AnomalyCheckpoint): void {
    if (
      value === null ||
      typeof value !== 'object' ||
      value.version !== 1 ||
      !Array.isArray(value.principals)
    ) {
      throw invalidState('expected an object with version 1 and a principals array', value);
    }
    for (const [id, state] of value.principals)
      principals.set(id, deserializePrincipalState(state));
    for (const alert of value.openAlerts ?? []) {
      open.set(alert.dedupe_key, alert);
      latest = Math.max(latest, alert.last_seen);
    }
    for (const state of principals.values()) latest = Math.max(latest, state.lastSeen);
  }

  /** Remembers the event's id and returns whether it was already among the recent ones. */
  function isRepeat(eventId: string): boolean {
    if (resolved.recentEventIds === 0 || eventId === '') return false;
    if (recentEventIds.has(eventId)) return true;
    recentEventIds.add(eventId);
    if (recentEventIds.size > resolved.recentEventIds) {
      recentEventIds.delete(recentEventIds.values().next().value as string);
    }
    return false;
  }

  function observe(event: NormalizedEvent): void {
    if (isRepeat(event.event_id)) {
      stats.duplicates++;
      return;
    }
    stats.events++;
    const id = event.principal.id;
    let state = principals.get(id);
    if (state === undefined) {
      state = createPrincipalState(event.event_time);
      principals.set(id, state);
    }
    detections.length = 0;
    const ownBaseline = hasOwnBaseline(event);
    const secondary = isSecondaryOperationRecord(event);
    for (const detector of DETECTORS) {
      if (!ownBaseline && detector.baseline === true) continue;
      if (secondary && detector.secondaryOperationRecords !== true) continue;
      detector.detect(event, state, context, detections);
    }
    // An operation counts once towards the warm-up, by the record that is its call.
    if (!secondary) state.events++;
    state.activeHours |= 1 << Math.floor((event.event_time % 86_400_000) / 3_600_000);
    if (event.event_time > state.lastSeen) state.lastSeen = event.event_time;
    if (event.event_time < state.firstSeen) state.firstSeen = event.event_time;
    if (event.event_time > latest) latest = event.event_time;
    for (const detection of detections) record(event, detection);
  }

  function record(event: NormalizedEvent, detection: Detection): void {
    const rule = detection.rule;
    if (disabled.has(rule.id)) return;
    stats.detections++;

    const suppressed = isSuppressed({
      ruleId: rule.id,
      principalId: event.principal.id,
      accountId: event.account_id,
      sourceIp: event.source_ip,
    });
    if (suppressed) {
      stats.suppressed++;
      return;
    }

    const windowMs = detection.windowMs ?? resolved.windowMs;
    const windowStart = Math.floor(event.event_time / windowMs) * windowMs;
    const dedupeKey = `${rule.id}|${event.principal.id}|${detection.subject}`;
    const severity = detection.severity ?? rule.severity;
    let alert = open.get(dedupeKey);
    if (alert !== undefined && alert.window_start !== windowStart) {
      // NOTE: a late event whose window is older than the open alert's window is counted in
      // the stats but added to no alert, because that older alert was already emitted.
      if (windowStart < alert.window_start) return;
      alert = undefined;
    }
    if (alert === undefined) {
      stats.alertsOpened++;
      alert = {
        schema_version: ALERT_SCHEMA_VERSION,
        alert_id: computeAlertId(dedupeKey, windowStart),
        dedupe_key: dedupeKey,
        rule_id: rule.id,
        rule_name: rule.name,
        severity,
        provider: event.provider,
        account_id: event.account_id,
        principal_id: event.principal.id,
        principal_type: event.principal.type,
        principal_name: event.principal.name,
        title: detection.title,
        description: rule.rationale,
        mitre_techniques: [...rule.mitre],
        window_start: windowStart,
        first_seen: event.event_time,
        last_seen: event.event_time,
        event_count: 0,
        evidence_event_ids: [],
        source_ips: [],
        details: {},
        created_at: 0,
      };
      open.set(dedupeKey, alert);
    }
    mergeInto(alert, event, detection, severity);
    dirty.set(alert.alert_id, alert);
  }

  function drain(): Alert[] {
    const createdAt = options.now ? options.now() : latest;
    const out: Alert[] = [];
    for (const alert of dirty.values()) {
      alert.created_at = createdAt;
      alert.details[ALERT_VERSION_DETAIL] = String((alertVersionOf(alert) ?? 0) + 1);
      out.push({
        ...alert,
        evidence_event_ids: [...alert.evidence_event_ids],
        source_ips: [...alert.source_ips],
        details: { ...alert.details },
      });
    }
    dirty.clear();
    // Alerts stay open for two of the longest windows a detection may ask for (one day).
    const keepMs = 2 * Math.max(resolved.windowMs, LONGEST_DETECTION_WINDOW_MS);
    for (const [key, alert] of open) {
      if (alert.window_start + keepMs < latest) open.delete(key);
    }
    return out;
  }

  return {
    observe,
    drain,
    checkpoint: () => ({
      version: 1,
      principals: [...principals].map(([id, state]) => [id, serializePrincipalState(state)]),
      openAlerts: [...open.values()],
    }),
    stats: () => ({ ...stats, principals: principals.size }),
  };
}

/** Maximum window a detector sets in `Detection.windowMs`. */
const LONGEST_DETECTION_WINDOW_MS = 86_400_000;

const SEVERITY_RANK = new Map(ALERT_SEVERITIES.map((severity, index) => [severity, index]));

function mergeInto(
  alert: Alert,
  event: NormalizedEvent,
  detection: Detection,
  severity: Alert['severity'],
): void {
  alert.event_count++;
  if (event.event_time < alert.first_seen) alert.first_seen = event.event_time;
  if (event.event_time > alert.last_seen) alert.last_seen = event.event_time;
  if ((SEVERITY_RANK.get(severity) ?? 0) > (SEVERITY_RANK.get(alert.severity) ?? 0)) {
    alert.severity = severity;
    alert.title = detection.title;
  }
  if (
    alert.evidence_event_ids.length < ALERT_MAX_EVIDENCE_EVENTS &&
    !alert.evidence_event_ids.includes(event.event_id)
  ) {
    alert.evidence_event_ids.push(event.event_id);
  }
  // Only addresses are listed, because SIEM address fields such as OCSF src_endpoint.ip take
  // nothing else. CloudTrail logs a service's DNS name for calls an AWS service makes, and
  // GCP redacts some internal callers to "private" or "gce-internal-ip".
  const ip = event.source_ip;
  if (
    ip !== null &&
    isIP(ip) !== 0 &&
    alert.source_ips.length < ALERT_MAX_SOURCE_IPS &&
    !alert.source_ips.includes(ip)
  ) {
    alert.source_ips.push(ip);
  }
  for (const [name, value] of Object.entries(detection.details ?? {})) {
    const previous = alert.details[name];
    if (previous === undefined) alert.details[name] = value;
    else if (
      name === 'permission' &&
      !previous.split(',').includes(value) &&
      previous.length < 2000
    ) {
      alert.details[name] = `${previous},${value}`;
    } else if (name !== 'permission') alert.details[name] = value;
  }
}
