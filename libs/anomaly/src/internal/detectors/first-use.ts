import type { NormalizedEvent } from '@ciem/events';
import { hashText } from '../principal-state.js';
import type { PrincipalState } from '../principal-state.js';
import { permissionWeight, severityOfWeight } from '../sensitivity.js';
import type { Detection, Detector, DetectorContext, RuleDefinition } from '../types.js';

/**
 * First use of a permission after warm-up. A principal whose history spans at least
 * `warmupMs` and `warmupEvents` has a settled set of permissions, so a successful call with a
 * permission outside it is new behaviour: often a new job, sometimes a stolen credential
 * being explored. Reads weigh nothing (browsing a new service is common), writes weigh
 * medium and permission management high, and all first uses of one principal in one window
 * aggregate into one alert, which keeps the rate low on a steady estate. It runs after the
 * other detectors and skips a permission they already reported.
 */
export const FIRST_USE_RULE: RuleDefinition = {
  id: 'first-use-of-permission',
  name: 'First use of a sensitive permission',
  severity: 'medium',
  mitre: ['T1078.004'],
  rationale:
    'The principal used a write or permission-management permission it had not used during its baseline. Check that the change matches a known task; an unexplained first use can mean the credential is in other hands.',
};

export const firstUseDetector: Detector = {
  baseline: true,
  rules: [FIRST_USE_RULE],
  detect(
    event: NormalizedEvent,
    state: PrincipalState,
    context: DetectorContext,
    out: Detection[],
  ) {
    if (event.outcome !== 'success') return;
    const { warmupMs, warmupEvents, firstUseMinWeight } = context.options.thresholds;
    const warm = event.event_time - state.firstSeen >= warmupMs && state.events >= warmupEvents;
    for (const permission of event.action.permissions) {
      const hash = hashText(permission);
      if (state.permissions.has(hash)) continue;
      state.permissions.add(hash);
      if (!warm) continue;
      const weight = permissionWeight(event.provider, permission);
      if (weight < firstUseMinWeight) continue;
      // A permission another detector already reported for this event needs no second alert.
      if (out.some((detection) => detection.details?.permission === permission)) continue;
      out.push({
        rule: FIRST_USE_RULE,
        subject: '',
        severity: severityOfWeight(weight),
        title: `${event.principal.name ?? event.principal.id} used ${permission} for the first time`,
        details: { permission },
      });
    }
  },
};
