import { invalidWindowError } from './errors.js';

/** A closed time window in epoch milliseconds, `fromMs` < `toMs`. */
export interface TimeWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Default and maximum length of a query's time window, in milliseconds. */
export interface WindowLimits {
  readonly defaultMs: number;
  readonly maxMs: number;
}

const DAY_MS = 86_400_000;

function formatSpan(ms: number): string {
  return ms % DAY_MS === 0 ? `${ms / DAY_MS} days` : `${ms} ms`;
}

/**
 * Resolves the window of a request: `to` defaults to `nowMs` and `from` to `to` minus the
 * default length. Throws `InputError` `CIEM_QUERY_INVALID_WINDOW` when `from` is not before
 * `to` or the window is longer than `limits.maxMs`, so one request never scans the whole
 * store.
 */
export function resolveWindow(
  request: { fromMs?: number | undefined; toMs?: number | undefined },
  nowMs: number,
  limits: WindowLimits,
): TimeWindow {
  const toMs = request.toMs ?? nowMs;
  const fromMs = request.fromMs ?? toMs - limits.defaultMs;
  if (fromMs >= toMs) {
    throw invalidWindowError(
      'from',
      `a time before to (${new Date(toMs).toISOString()})`,
      new Date(fromMs).toISOString(),
    );
  }
  if (toMs - fromMs > limits.maxMs) {
    throw invalidWindowError(
      'from',
      `a window of at most ${formatSpan(limits.maxMs)} before to; narrow from and to`,
      `${new Date(fromMs).toISOString()} (a window of ${formatSpan(toMs - fromMs)})`,
    );
  }
  return { fromMs, toMs };
}
