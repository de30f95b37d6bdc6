import type { Provider } from './catalog/types.js';
import { invalidOption } from './errors.js';

/** Options of one simulation. Times are epoch milliseconds, because the library never reads the clock. */
export interface SimulateOptions {
  /** Seed of every random choice: the same options give byte-identical output. */
  seed: number | string;
  /** Principals across all providers; default 60. */
  principals?: number;
  /** Simulated days; default 14. */
  days?: number;
  /** Mean calls per active principal and day before its own rate multiplier; default 40. */
  eventsPerDay?: number;
  /** The first simulated day, epoch milliseconds; rounded down to 00:00 UTC. */
  start: number;
  /** Providers to simulate; default all three. */
  providers?: Provider[];
}

export interface ResolvedOptions {
  readonly seed: string;
  readonly principals: number;
  readonly days: number;
  readonly eventsPerDay: number;
  readonly start: number;
  readonly providers: readonly Provider[];
}

const ALL_PROVIDERS: readonly Provider[] = ['aws', 'azure', 'gcp'];

/** Checks the options and fills in defaults; throws `InputError` naming the bad option. */
export function resolveOptions(options: SimulateOptions): ResolvedOptions {
  const { seed } = options;
  if (!(
    (typeof seed === 'number' && Number.isFinite(seed)) ||
    (typeof seed === 'string' && seed.length > 0)
  )) {
    throw invalidOption('seed', 'a finite number or a non-empty string', seed);
  }
  const principals = integerOption('principals', options.principals, 60, 1, 1_000_000);
  const days = integerOption('days', options.days, 14, 1, 3_650);
  const eventsPerDay = options.eventsPerDay ?? 40;
  if (typeof eventsPerDay !== 'number' || !Number.isFinite(eventsPerDay) || eventsPerDay < 0) {
    throw invalidOption('eventsPerDay', 'a number of 0 or more', eventsPerDay);
  }
  if (typeof options.start !== 'number' || !Number.isFinite(options.start)) {
    throw invalidOption('start', 'epoch milliseconds as a finite number', options.start);
  }
  const providers = options.providers ?? [...ALL_PROVIDERS];
  if (
    !Array.isArray(providers) ||
    providers.length === 0 ||
    providers.some((p) => !ALL_PROVIDERS.includes(p))
  ) {
    throw invalidOption('providers', 'a non-empty list of "aws", "azure" and "gcp"', providers);
  }
  return {
    seed: String(seed),
    principals,
    days,
    eventsPerDay,
    start: Math.floor(options.start / 86_400_000) * 86_400_000,
    providers: ALL_PROVIDERS.filter((p) => providers.includes(p)),
  };
}

function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}
