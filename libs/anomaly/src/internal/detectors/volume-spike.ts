import type { NormalizedEvent } from '@ciem/events';
import type { PrincipalState } from '../principal-state.js';
import type { Detection, Detector, DetectorContext, RuleDefinition } from '../types.js';

/**
 * Volume spike against the principal's hourly rate. Each closed hour updates an
 * exponentially weighted mean and variance of calls per hour, and silent hours count as zero.
 * An hour whose count reaches `spikeMinCount` and lies `spikeMinZScore` standard deviations
 * above the mean alerts. Each further multiple of `spikeMinCount` updates the same alert. Mass downloads, resource sprawl for mining and scripted
 * enumeration show up this way.
 */
export const VOLUME_SPIKE_RULE: RuleDefinition = {
  id: 'volume-spike',
  name: 'Call volume far above the baseline',
  severity: 'medium',
  mitre: ['T1530', 'T1496'],
  rationale:
    'The principal made far more calls in one hour than its baseline predicts. Check what it did in that hour; bulk reads can be data theft and bulk creates can be resource hijacking.',
};

const HOUR = 3_600_000;
/** Weight of the newest hour in the moving averages (about a 20-hour memory). */
const ALPHA = 0.05;
/** Silent hours folded into the baseline at most; beyond this the baseline is simply decayed. */
const MAX_SILENT_HOURS = 24 * 14;

export const volumeSpikeDetector: Detector = {
  baseline: true,
  rules: [VOLUME_SPIKE_RULE],
  detect(
    event: NormalizedEvent,
    state: PrincipalState,
    context: DetectorContext,
    out: Detection[],
  ) {
    const hour = Math.floor(event.event_time / HOUR) * HOUR;
    if (hour > state.rateHour) {
      if (state.rateHour > 0) {
        foldHour(state, state.rateCount);
        const silent = Math.min((hour - state.rateHour) / HOUR - 1, MAX_SILENT_HOURS);
        for (let i = 0; i < silent; i++) foldHour(state, 0);
      }
      state.rateHour = hour;
      state.rateCount = 0;
    }
    // NOTE: an event older than the current hour is left out of the rate, because counting
    // it in the current hour would fake a spike when files arrive out of time order.
    if (hour < state.rateHour) return;
    state.rateCount++;

    const { spikeMinCount, spikeMinZScore, spikeMinHours } = context.options.thresholds;
    if (state.rateCount !== spikeMinCount && state.rateCount % spikeMinCount !== 0) return;
    if (state.rateHours < spikeMinHours) return;
    const z = (state.rateCount - state.rateMean) / Math.sqrt(state.rateVariance + 1);
    if (z < spikeMinZScore) return;
    out.push({
      rule: VOLUME_SPIKE_RULE,
      subject: '',
      title: `${event.principal.name ?? event.principal.id} made ${state.rateCount} calls in one hour (baseline ${state.rateMean.toFixed(1)})`,
      details: {
        hour_count: String(state.rateCount),
        baseline_mean: state.rateMean.toFixed(2),
        z_score: z.toFixed(1),
      },
    });
  },
};

function foldHour(state: PrincipalState, count: number): void {
  const diff = count - state.rateMean;
  const increment = ALPHA * diff;
  state.rateMean += increment;
  state.rateVariance = (1 - ALPHA) * (state.rateVariance + diff * increment);
  state.rateHours++;
}
