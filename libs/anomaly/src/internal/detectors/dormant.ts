import type { NormalizedEvent } from '@ciem/events';
import type { PrincipalState } from '../principal-state.js';
import type { Detection, Detector, DetectorContext, RuleDefinition } from '../types.js';

/**
 * A dormant identity becoming active. Unused identities keep their grants and are rarely
 * watched, which makes their credentials a favourite of attackers; after `dormantMs` of
 * silence the first call alerts once. An identity that already woke up from a long silence
 * and now returns after no more than twice that silence works in periods (a quarterly job,
 * a yearly audit), so its return does not alert; a much longer silence still does.
 */
export const DORMANT_RULE: RuleDefinition = {
  id: 'dormant-identity-active',
  name: 'Dormant identity became active',
  severity: 'medium',
  mitre: ['T1078.004'],
  rationale:
    'The principal made its first call after a long silence. Confirm the owner expects it; dormant identities should be disabled rather than reused.',
};

const DAY = 86_400_000;

export const dormantDetector: Detector = {
  baseline: true,
  secondaryOperationRecords: true,
  rules: [DORMANT_RULE],
  detect(
    event: NormalizedEvent,
    state: PrincipalState,
    context: DetectorContext,
    out: Detection[],
  ) {
    if (state.events === 0) return;
    const silence = event.event_time - state.lastSeen;
    if (silence < context.options.thresholds.dormantMs) return;
    const previous = state.longestSilence;
    state.longestSilence = Math.max(previous, silence);
    if (previous > 0 && silence <= 2 * previous) return;
    const days = Math.floor(silence / DAY);
    out.push({
      rule: DORMANT_RULE,
      subject: '',
      title: `${event.principal.name ?? event.principal.id} became active after ${days} days`,
      details: { silent_days: String(days), last_seen: new Date(state.lastSeen).toISOString() },
    });
  },
};
