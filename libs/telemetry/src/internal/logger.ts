import { context, trace } from '@opentelemetry/api';
import pino from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/** The platform's logger: a pino logger writing one JSON object per line. */
export type Logger = PinoLogger;

/** Log levels, lowest first; `fatal` means the process cannot start or go on. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Field paths whose values are replaced by `[REDACTED]` in every log line: credentials at the
 * top level and one level down (`*.password` matches `{ user: { password } }`), and request
 * authorization headers. Callers may add paths with `redact`.
 */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  'token',
  'secret',
  'authorization',
  'secretAccessKey',
  'sessionToken',
  'clientSecret',
  'private_key',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.clientSecret',
  '*.private_key',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
];

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Service name, written as the `service` field of every line. */
  service: string;
  /** Lowest level written; `info` by default. */
  level?: LogLevel;
  /**
   * Destination of the lines; by default standard output written synchronously. Tests pass a
   * stream to capture lines.
   */
  destination?: DestinationStream;
  /** Extra field paths to redact, in pino's path syntax. */
  redact?: readonly string[];
}

/** Adds the active span's ids so a log line can be found from its trace and the other way round. */
function traceFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const spanContext = span.spanContext();
  if (!trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * Creates the process's logger: JSON lines with `time` (ISO 8601), `level` (its name),
 * `service`, `msg`, an `err` serializer that keeps a `CiemError`'s `code` and `details`, the
 * active span's `trace_id` and `span_id`, and secrets redacted (`REDACTED_PATHS`).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
      redact: { paths: [...REDACTED_PATHS, ...(options.redact ?? [])], censor: '[REDACTED]' },
      mixin: traceFields,
    },
    // Synchronous writes keep every line, in order, up to process.exit. With sonic-boom's
    // asynchronous mode, a write waiting on a full pipe (EAGAIN) was flushed after later
    // lines at exit, so a shutdown log came out of order.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Returns the child logger of one stage: every line carries `stage`. */
export function stageLogger(logger: Logger, stage: string): Logger {
  return logger.child({ stage });
}
