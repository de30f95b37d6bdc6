/**
 * The base of every error the platform raises on purpose. `code` is stable and never reused
 * (`CIEM_<AREA>_<PROBLEM>`), `retriable` tells a caller whether the same call may succeed
 * later, and `details` carries ids (topic, offset, file, field) for logs and dead-letter
 * headers. Subclasses say how a stage reacts; see each one.
 */
export class CiemError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, string | number | boolean | undefined>>;

  constructor(
    code: string,
    message: string,
    options: {
      retriable?: boolean;
      cause?: unknown;
      details?: Record<string, string | number | boolean | undefined>;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  /** The `error_type` label and dead-letter header value: a fixed set, never an id. */
  get errorType(): ErrorType {
    return 'internal';
  }
}

/** Fixed set of `error_type` values used in metric labels and dead-letter headers. */
export type ErrorType = 'config' | 'input' | 'dependency' | 'rejected' | 'internal';

/** Invalid configuration: the process reports every problem and exits at start. */
export class ConfigError extends CiemError {
  override get errorType(): ErrorType {
    return 'config';
  }
}

/** One bad record: it goes to the dead-letter topic and is not retried. */
export class InputError extends CiemError {
  override get errorType(): ErrorType {
    return 'input';
  }
}

/**
 * A dependency (Kafka, ClickHouse, a cloud API, a SIEM) failed in a way that may pass:
 * retry with capped back-off and jitter. `retryAfterMs` carries a server's `Retry-After`.
 */
export class DependencyError extends CiemError {
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options: {
      cause?: unknown;
      details?: Record<string, string | number | boolean | undefined>;
      retryAfterMs?: number;
    } = {},
  ) {
    super(code, message, { ...options, retriable: true });
    this.retryAfterMs = options.retryAfterMs;
  }

  override get errorType(): ErrorType {
    return 'dependency';
  }
}

/** The target refused the data for good (schema mismatch, payload too large): dead-letter it. */
export class RejectedError extends CiemError {
  override get errorType(): ErrorType {
    return 'rejected';
  }
}

/**
 * Returns the `error_type` of any thrown value. Anything that is not a `CiemError` is a bug
 * (a `TypeError`, say) and counts as `internal`: never retried, dead-lettered, and the stage
 * goes on.
 */
export function errorTypeOf(error: unknown): ErrorType {
  return error instanceof CiemError ? error.errorType : 'internal';
}

/** Returns true only for errors that declare themselves retriable. */
export function isRetriable(error: unknown): boolean {
  return error instanceof CiemError && error.retriable;
}

/** Returns the stable code of an error, or `CIEM_INTERNAL` for anything unexpected. */
export function errorCodeOf(error: unknown): string {
  return error instanceof CiemError ? error.code : 'CIEM_INTERNAL';
}

/** Returns a message for any thrown value, never throwing itself. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'unprintable error value';
  }
}
