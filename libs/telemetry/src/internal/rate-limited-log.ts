import type { Logger } from './logger.js';

/** A log line that is written at most once per interval per message. */
export interface RateLimitedLog {
  /**
   * Writes the line unless the same message was written less than the interval ago, in which
   * case it only counts it. A written line carries `suppressed`: the repeats counted since the
   * previous written line.
   */
  log(fields: Record<string, unknown>, message: string): void;
  /** Writes one line for every message with repeats still counted, for use at shutdown. */
  flush(): void;
}

/** Options of `createRateLimitedLog`. */
export interface RateLimitedLogOptions {
  /** Level of the written lines; `warn` by default. */
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** Clock in milliseconds; `Date.now` by default. Tests pass their own. */
  now?: () => number;
  /** Most messages tracked at once; the oldest is forgotten beyond it. 1000 by default. */
  maxMessages?: number;
}

interface MessageState {
  lastWrittenAt: number;
  suppressed: number;
  lastFields: Record<string, unknown>;
}

/**
 * Creates a rate-limited log line: the same message is written at most once per
 * `intervalMs`, and each written line counts in `suppressed` the repeats dropped since the previous one.
 */
export function createRateLimitedLog(
  logger: Logger,
  intervalMs: number,
  options: RateLimitedLogOptions = {},
): RateLimitedLog {
  const level = options.level ?? 'warn';
  const now = options.now ?? Date.now;
  const maxMessages = options.maxMessages ?? 1000;
  const states = new Map<string, MessageState>();

  return {
    log(fields, message) {
      const time = now();
      const state = states.get(message);
      if (state !== undefined && time - state.lastWrittenAt < intervalMs) {
        state.suppressed += 1;
        state.lastFields = fields;
        return;
      }

      logger[level]({ ...fields, suppressed: state?.suppressed ?? 0 }, message);
      states.delete(message);
      states.set(message, { lastWrittenAt: time, suppressed: 0, lastFields: fields });
      if (states.size > maxMessages) {
        const oldest = states.keys().next().value;
        if (oldest !== undefined) states.delete(oldest);
      }
    },

    flush() {
      for (const [message, state] of states) {
        if (state.suppressed > 0) {
          logger[level]({ ...state.lastFields, suppressed: state.suppressed }, message);
          state.suppressed = 0;
          state.lastWrittenAt = now();
        }
      }
    },
  };
}
