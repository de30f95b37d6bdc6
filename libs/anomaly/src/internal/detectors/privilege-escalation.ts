import type { NormalizedEvent } from '@ciem/events';
import { hashText } from '../principal-state.js';
import type { PrincipalState } from '../principal-state.js';
import { recordSensitiveUse, sensitiveWindow } from '../routine.js';
import { permissionWeight } from '../sensitivity.js';
import type { Detection, Detector, DetectorContext, RuleDefinition } from '../types.js';

/**
 * Privilege escalation. The permissions below let a principal grant itself or a principal
 * it controls more access: rewriting or attaching policies, creating keys or passwords for
 * other users, changing trust policies and passing a role to new compute (AWS), writing
 * role assignments or elevating access (Azure), and setting IAM policies, creating
 * service-account keys or impersonating service accounts (GCP). A successful use alerts
 * unless the principal made it on `routineMinDays` earlier days at that time of day (an
 * administrator's daily work). One alert per principal and window lists every permission
 * used, because an escalation is usually a chain of calls (read the policy, rewrite it,
 * create a key) that one analyst reviews at once. During the principal's baseline period
 * the window is a day.
 */
export const PRIVILEGE_ESCALATION_RULE: RuleDefinition = {
  id: 'privilege-escalation',
  name: 'Privilege-escalation action',
  severity: 'high',
  mitre: ['T1098', 'T1484'],
  rationale:
    'The principal called an API that can grant it, or an identity it controls, more permissions. Confirm the change was approved; revert the policy, key or assignment if not.',
};

/**
 * Use of a high-risk permission that right-sizing marked unused: the grant was kept although
 * nothing used it, and its first use is exactly what removing it would have prevented.
 * Writes and permission management count (weight 2 and up). The alert fires on the first
 * successful use the engine processes, not on later ones, until right-sizing runs again.
 */
export const UNUSED_HIGH_RISK_RULE: RuleDefinition = {
  id: 'unused-high-risk-permission',
  name: 'Use of a high-risk permission marked unused',
  severity: 'high',
  mitre: ['T1078.004', 'T1098'],
  rationale:
    'Right-sizing reported this permission as granted but unused, and it is now used. Check whether the use is legitimate; otherwise remove the grant and rotate the credential.',
};

/** Lower-cased permissions that escalate privileges, by provider. */
export const ESCALATION_PERMISSIONS: Readonly<
  Record<NormalizedEvent['provider'], ReadonlySet<string>>
> = {
  aws: new Set([
    'iam:createpolicyversion',
    'iam:setdefaultpolicyversion',
    'iam:attachuserpolicy',
    'iam:attachgrouppolicy',
    'iam:attachrolepolicy',
    'iam:putuserpolicy',
    'iam:putgrouppolicy',
    'iam:putrolepolicy',
    'iam:updateassumerolepolicy',
    'iam:addusertogroup',
    'iam:putuserpermissionsboundary',
    'iam:deleteuserpermissionsboundary',
    'iam:deleterolepermissionsboundary',
  ]),
  azure: new Set([
    'microsoft.authorization/roleassignments/write',
    'microsoft.authorization/roledefinitions/write',
    'microsoft.authorization/elevateaccess/action',
  ]),
  gcp: new Set([
    'resourcemanager.projects.setiampolicy',
    'resourcemanager.folders.setiampolicy',
    'resourcemanager.organizations.setiampolicy',
    'iam.serviceaccounts.setiampolicy',
    'iam.serviceaccountkeys.create',
    'iam.serviceaccounts.actas',
    'iam.serviceaccounts.getaccesstoken',
    'iam.serviceaccounts.signjwt',
    'iam.serviceaccounts.signblob',
    'iam.roles.update',
  ]),
};

/** AWS permissions that create or change credentials of the user named in the resources. */
const AWS_CREDENTIAL_FOR_USER = new Set([
  'iam:createaccesskey',
  'iam:createloginprofile',
  'iam:updateloginprofile',
]);

/** AWS permissions that start compute which runs with a passed role. */
const AWS_PASS_ROLE_COMPUTE = new Set([
  'lambda:createfunction',
  'lambda:updatefunctionconfiguration',
  'ec2:runinstances',
  'glue:createdevendpoint',
  'cloudformation:createstack',
  'ecs:registertaskdefinition',
]);

export const privilegeEscalationDetector: Detector = {
  rules: [PRIVILEGE_ESCALATION_RULE, UNUSED_HIGH_RISK_RULE],
  detect(
    event: NormalizedEvent,
    state: PrincipalState,
    context: DetectorContext,
    out: Detection[],
  ) {
    if (event.outcome !== 'success') return;
    const table = ESCALATION_PERMISSIONS[event.provider];
    const { warmupMs } = context.options.thresholds;
    const who = event.principal.name ?? event.principal.id;
    for (const permission of event.action.permissions) {
      const lower = permission.toLowerCase();
      let reason: string | undefined;
      if (table.has(lower)) reason = `${who} called ${event.action.operation} (${permission})`;
      else if (event.provider === 'aws' && AWS_CREDENTIAL_FOR_USER.has(lower)) {
        const other = otherUser(event);
        if (other !== undefined)
          reason = `${who} called ${event.action.operation} for another user ${other}`;
      } else if (event.provider === 'aws' && AWS_PASS_ROLE_COMPUTE.has(lower)) {
        const role = passedRole(event);
        if (role !== undefined) reason = `${who} passed role ${role} to ${event.action.operation}`;
      }
      const routine =
        reason !== undefined &&
        recordSensitiveUse(
          state,
          lower,
          event.event_time,
          context.options.thresholds.routineMinDays,
        );
      if (reason !== undefined && !routine) {
        const windowMs = sensitiveWindow(state, event.event_time, warmupMs, false);
        out.push({
          rule: PRIVILEGE_ESCALATION_RULE,
          subject: '',
          title: reason,
          details: { permission },
          ...(windowMs === undefined ? {} : { windowMs }),
        });
      }
      if (
        permissionWeight(event.provider, permission) >= 2 &&
        !state.permissions.has(hashText(permission)) &&
        context.isMarkedUnused(event.principal.id, permission, event.event_time)
      ) {
        out.push({
          rule: UNUSED_HIGH_RISK_RULE,
          subject: lower,
          title: `${who} used ${permission}, which right-sizing marked unused`,
          details: { permission },
        });
      }
    }
  },
};

function otherUser(event: NormalizedEvent): string | undefined {
  for (const resource of event.resources) {
    if (/:user\//.test(resource.id) && resource.id !== event.principal.id) return resource.id;
  }
  return undefined;
}

function passedRole(event: NormalizedEvent): string | undefined {
  if (event.action.permissions.some((p) => p.toLowerCase() === 'iam:passrole')) {
    return event.resources.find((r) => r.id.includes(':role/'))?.id ?? 'a role';
  }
  return event.resources.find((r) => r.id.includes(':role/') && r.id !== event.principal.id)?.id;
}
