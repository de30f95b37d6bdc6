import type { NormalizedEvent } from '@ciem/events';
import type { PrincipalState } from '../principal-state.js';
import { recordSensitiveUse, sensitiveWindow } from '../routine.js';
import type { Detection, Detector, RuleDefinition } from '../types.js';

/**
 * Defence evasion: stopping, deleting or narrowing audit logging and threat detection.
 * Attackers do this first so that what follows leaves no trace (CloudTrail StopLogging,
 * DeleteTrail, event selectors; GuardDuty, Security Hub and Config recorders; Azure
 * diagnostic settings and Defender plans; GCP log sinks and exclusions). Legitimate changes
 * are rare and planned, so a successful call alerts unless the principal made the same
 * non-critical change on `routineMinDays` earlier days at that time of day. Stopping or
 * deleting a trail or a detector always alerts. One alert per principal and window lists
 * every permission; during the principal's baseline period non-critical changes use a
 * one-day window.
 */
export const DEFENSE_EVASION_RULE: RuleDefinition = {
  id: 'defense-evasion-logging',
  name: 'Audit logging or threat detection disabled or weakened',
  severity: 'high',
  mitre: ['T1562.008', 'T1562.001'],
  rationale:
    'The principal stopped, deleted or reconfigured audit logging or a threat-detection service. Activity after this point may be missing from the logs. Restore the configuration and review what the principal did next.',
};

/** Lower-cased permissions that disable or weaken logging, with the severity of each. */
export const EVASION_PERMISSIONS: ReadonlyMap<string, 'medium' | 'high' | 'critical'> = new Map([
  ['cloudtrail:stoplogging', 'critical'],
  ['cloudtrail:deletetrail', 'critical'],
  ['cloudtrail:updatetrail', 'medium'],
  ['cloudtrail:puteventselectors', 'medium'],
  ['cloudtrail:putinsightselectors', 'medium'],
  ['cloudtrail:deleteeventdatastore', 'high'],
  ['cloudtrail:stopeventdatastoreingestion', 'high'],
  ['guardduty:deletedetector', 'critical'],
  ['guardduty:disassociatefrommasteraccount', 'high'],
  ['guardduty:disassociatefromadministratoraccount', 'high'],
  // NOTE: UpdateDetector is flagged whether it disables the detector or not, because the
  // normalized event does not carry the request's Enable flag.
  ['guardduty:updatedetector', 'medium'],
  ['guardduty:deletepublishingdestination', 'high'],
  ['securityhub:disablesecurityhub', 'high'],
  ['config:stopconfigurationrecorder', 'high'],
  ['config:deleteconfigurationrecorder', 'high'],
  ['config:deletedeliverychannel', 'high'],
  ['microsoft.insights/diagnosticsettings/delete', 'high'],
  ['microsoft.insights/diagnosticsettings/write', 'medium'],
  ['microsoft.security/pricings/write', 'medium'],
  ['microsoft.security/settings/write', 'medium'],
  ['microsoft.security/autoprovisioningsettings/write', 'medium'],
  ['logging.sinks.delete', 'high'],
  ['logging.sinks.update', 'medium'],
  ['logging.exclusions.create', 'medium'],
  ['logging.buckets.delete', 'high'],
]);

export const defenseEvasionDetector: Detector = {
  rules: [DEFENSE_EVASION_RULE],
  detect(event: NormalizedEvent, state: PrincipalState, context, out: Detection[]) {
    if (event.outcome !== 'success') return;
    for (const permission of event.action.permissions) {
      const lower = permission.toLowerCase();
      const severity = EVASION_PERMISSIONS.get(lower);
      if (severity === undefined) continue;
      const { routineMinDays, warmupMs } = context.options.thresholds;
      const routine = recordSensitiveUse(state, lower, event.event_time, routineMinDays);
      if (routine && severity !== 'critical') continue;
      const windowMs = sensitiveWindow(state, event.event_time, warmupMs, severity === 'critical');
      out.push({
        rule: DEFENSE_EVASION_RULE,
        subject: '',
        ...(windowMs === undefined ? {} : { windowMs }),
        severity,
        title: `${event.principal.name ?? event.principal.id} called ${event.action.operation} (${permission})`,
        details: {
          permission,
          ...(event.resources[0] ? { resource: event.resources[0].id } : {}),
        },
      });
    }
  },
};
