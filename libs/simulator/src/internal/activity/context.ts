import type { Attack } from '../attacks.js';
import type { Provider } from '../catalog/types.js';
import type { Estate, Principal } from '../estate/model.js';
import type { EstateSink, WriteStats } from '../sink.js';
import type { PlannedCall } from './schedule.js';

/** State shared by the per-provider activity generators during one run. */
export interface GeneratorContext {
  readonly seed: string;
  readonly estate: Estate;
  readonly sink: EstateSink;
  readonly stats: WriteStats;
  readonly eventsPerDay: number;
  readonly attacks: readonly Attack[];
  readonly attackSteps: ReadonlyMap<string, PlannedCall[]>;
  readonly events: Record<Provider, number>;
}

/** Merges the planted steps for this principal and day into its regular calls, by time. */
export function withAttackSteps(
  context: GeneratorContext,
  principal: Principal,
  day: number,
  calls: PlannedCall[],
): PlannedCall[] {
  const planted = context.attackSteps.get(`${principal.key}|${day}`);
  if (!planted) return calls;
  return [...calls, ...planted].sort((a, b) => a.time - b.time);
}

/** Records a planted event in its attack's ground truth. */
export function notePlanted(
  context: GeneratorContext,
  planned: PlannedCall,
  eventId: string,
  time: string,
  sourceIp: string,
): void {
  if (planned.attackIndex === undefined) return;
  context.attacks[planned.attackIndex]?.events.push({
    eventId,
    time,
    operation: planned.call.name,
    outcome: planned.denied ? 'denied' : 'success',
    sourceIp,
  });
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Returns `yyyy`, `mm`, `dd`, and `yyyy-mm-dd` for a UTC day start. */
export function dayParts(dayStart: number): { yyyy: string; mm: string; dd: string; date: string } {
  const d = new Date(dayStart);
  const yyyy = String(d.getUTCFullYear());
  const mm = pad(d.getUTCMonth() + 1);
  const dd = pad(d.getUTCDate());
  return { yyyy, mm, dd, date: `${yyyy}-${mm}-${dd}` };
}
