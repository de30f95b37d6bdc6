import type { NormalizedEvent, PrincipalType } from '@ciem/events';
import type { PrincipalState } from '../principal-state.js';
import { recordSensitiveUse } from '../routine.js';
import type { Detection, Detector, RuleDefinition } from '../types.js';

/**
 * Use of the most privileged identities: the AWS account root user (AWS advises keeping it
 * for the few tasks only it can do), Azure's elevateAccess (a Global Administrator taking
 * User Access Administrator over every subscription), and GCP changes at organization level.
 * Any of these outside a planned task is a strong signal.
 */
export const PRIVILEGED_IDENTITY_RULE: RuleDefinition = {
  id: 'privileged-identity-use',
  name: 'Root or global administrator activity',
  severity: 'high',
  mitre: ['T1078.004'],
  rationale:
    'The account root user, a tenant-wide elevation or an organization-level change was used. These identities bypass most guardrails; confirm the task was planned and that the credential is protected by MFA.',
};

/**
 * Console sign-in without MFA. CloudTrail's ConsoleLogin event records `MFAUsed: No` when a
 * password alone signed in an IAM user or the root user; a stolen password is then enough to
 * take over the account. Federated sign-ins are left out (see MFA_CHECKED_TYPES).
 * It alerts at most once per principal and UTC day. A user who signs in without MFA on
 * `routineMinDays` earlier days at that time of day has a posture gap, which right-sizing
 * and account reviews report, not a new event, so such sign-ins stop alerting; the root
 * user's always alert.
 */
export const CONSOLE_NO_MFA_RULE: RuleDefinition = {
  id: 'console-login-without-mfa',
  name: 'Console sign-in without MFA',
  severity: 'medium',
  mitre: ['T1078.004', 'T1556.006'],
  rationale:
    'A console sign-in succeeded with a password alone. Enforce MFA for this principal and check that the sign-in came from an expected place.',
};

/**
 * Principal types whose MFA the provider itself checks at sign-in. CloudTrail's MFA flag
 * shows whether the root user or IAM user whose credentials were used also authenticated
 * with an MFA device ("CloudTrail userIdentity element"). A role reached through SAML or
 * Identity Center signs in at the identity provider, whose MFA CloudTrail does not see, so
 * its ConsoleLogin records contain MFAUsed "No" whether or not MFA was used.
 */
const MFA_CHECKED_TYPES: ReadonlySet<PrincipalType> = new Set(['user', 'root']);

/** Key of no-MFA sign-ins among a principal's sensitive uses (not a permission name). */
const NO_MFA_SIGN_IN = 'sign-in without mfa';

export const privilegedIdentityDetector: Detector = {
  rules: [PRIVILEGED_IDENTITY_RULE, CONSOLE_NO_MFA_RULE],
  detect(event: NormalizedEvent, state: PrincipalState, context, out: Detection[]) {
    if (event.outcome !== 'success') return;
    const who = event.principal.name ?? event.principal.id;
    const day = Math.floor(event.event_time / 86_400_000);
    const root = event.principal.type === 'root';
    const noMfa =
      event.category === 'sign-in' &&
      event.mfa === false &&
      MFA_CHECKED_TYPES.has(event.principal.type);
    const routine =
      noMfa &&
      recordSensitiveUse(
        state,
        NO_MFA_SIGN_IN,
        event.event_time,
        context.options.thresholds.routineMinDays,
      );
    if (noMfa && state.noMfaDay !== day && (!routine || root)) {
      state.noMfaDay = day;
      out.push({
        rule: CONSOLE_NO_MFA_RULE,
        subject: '',
        severity: root ? 'high' : 'medium',
        title: `${who} signed in without MFA (${event.action.operation})`,
      });
    }
    if (root && event.via_service === null) {
      out.push({
        rule: PRIVILEGED_IDENTITY_RULE,
        subject: 'aws-root',
        title: `The root user of account ${event.account_id} called ${event.action.operation}`,
        details: { operation: event.action.operation },
      });
      return;
    }
    for (const permission of event.action.permissions) {
      const lower = permission.toLowerCase();
      if (lower === 'microsoft.authorization/elevateaccess/action') {
        out.push({
          rule: PRIVILEGED_IDENTITY_RULE,
          subject: 'azure-elevate-access',
          severity: 'critical',
          title: `${who} elevated access to User Access Administrator at root scope`,
          details: { permission },
        });
      } else if (lower.startsWith('resourcemanager.organizations.') && !isRead(lower)) {
        out.push({
          rule: PRIVILEGED_IDENTITY_RULE,
          subject: 'gcp-organization',
          title: `${who} changed the organization (${permission})`,
          details: { permission },
        });
      }
    }
  },
};

function isRead(permission: string): boolean {
  const verb = permission.slice(permission.lastIndexOf('.') + 1);
  return verb.startsWith('get') || verb.startsWith('list') || verb.startsWith('search');
}
