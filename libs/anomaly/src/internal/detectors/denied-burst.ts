import type { NormalizedEvent } from '@ciem/events';
import { hashText } from '../principal-state.js';
import type { PrincipalState } from '../principal-state.js';
import type { Detection, Detector, DetectorContext, RuleDefinition } from '../types.js';

/**
 * Bursts of denied calls across many permissions: a credential being used to enumerate what
 * it may do (tools such as enumerate-iam try hundreds of read APIs). One misconfigured job
 * is denied on the same permission again and again, so the burst must also span
 * `deniedMinPermissions` distinct permissions.
 */
export const DENIED_BURST_RULE: RuleDefinition = {
  id: 'denied-call-burst',
  name: 'Burst of denied calls (permission enumeration)',
  severity: 'medium',
  mitre: ['T1580', 'T1069.003', 'T1087.004'],
  rationale:
    'The principal made many denied calls over many different permissions in a short time, which is how a stolen credential is probed for what it can do. Check where the calls came from and rotate the credential if they are not expected.',
};

/** Denied calls remembered per principal; the oldest are dropped beyond this. */
const MAX_REMEMBERED = 64;

export const deniedBurstDetector: Detector = {
  baseline: true,
  rules: [DENIED_BURST_RULE],
  detect(
    event: NormalizedEvent,
    state: PrincipalState,
    context: DetectorContext,
    out: Detection[],
  ) {
    if (event.outcome !== 'denied') return;
    const { deniedMinCount, deniedMinPermissions, deniedWindowMs } = context.options.thresholds;
    // NOTE: a GCP entry lists one `authorizationInfo` item per permission checked, each with
    // its own `granted`, but the normalized event keeps only the list of permissions and
    // one outcome. The first listed permission stands for the call here, even when another
    // one was the permission denied, so `distinct_permissions` can miss the denied one.
    const permission = event.action.permissions[0] ?? event.action.operation;
    const denied = state.denied;
    denied.push(event.event_time, hashText(permission));
    if (denied.length > MAX_REMEMBERED * 2) denied.splice(0, denied.length - MAX_REMEMBERED * 2);

    // The window ends at this event: calls of later times, which arrive first when files
    // are read out of time order, belong to other windows.
    const since = event.event_time - deniedWindowMs;
    let count = 0;
    const distinct = new Set<number>();
    for (let i = 0; i < denied.length; i += 2) {
      const time = denied[i] as number;
      if (time < since || time > event.event_time) continue;
      count++;
      distinct.add(denied[i + 1] as number);
    }
    if (count < deniedMinCount || distinct.size < deniedMinPermissions) return;
    out.push({
      rule: DENIED_BURST_RULE,
      subject: '',
      title: `${event.principal.name ?? event.principal.id} was denied ${count} calls over ${distinct.size} permissions`,
      details: { denied_calls: String(count), distinct_permissions: String(distinct.size) },
    });
  },
};
