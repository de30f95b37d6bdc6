import {
  ConfigError,
  DependencyError,
  InputError,
  RejectedError,
  describeValue,
} from '@ciem/errors';

/** Error codes of the SIEM sinks and the alert forwarder. Codes are never reused. */
export const SiemErrorCodes = {
  /** The destinations file or an option of a sink is invalid (ConfigError). */
  invalidDestinations: 'CIEM_SIEM_INVALID_DESTINATIONS',
  /** A secret named by the destinations file is unset, empty or unreadable (ConfigError). */
  secretUnavailable: 'CIEM_SIEM_SECRET_UNAVAILABLE',
  /** A delivery attempt failed in a way that may pass: refused connection, 5xx, timeout (DependencyError). */
  deliveryFailed: 'CIEM_SIEM_DELIVERY_FAILED',
  /** The destination refused the alerts for good: 4xx, invalid HEC data or token (RejectedError). */
  deliveryRejected: 'CIEM_SIEM_DELIVERY_REJECTED',
  /** Retries of a delivery used up the destination's retry budget (DependencyError, dead-lettered). */
  retriesExhausted: 'CIEM_SIEM_RETRIES_EXHAUSTED',
  /** The service began to stop while a delivery was being retried; the batch is handed back (DependencyError). */
  deliveryInterrupted: 'CIEM_SIEM_DELIVERY_INTERRUPTED',
  /** A message on the alerts topic is not a valid Avro Alert (InputError). */
  invalidAlert: 'CIEM_SIEM_INVALID_ALERT',
} as const;

export type SiemErrorCode = (typeof SiemErrorCodes)[keyof typeof SiemErrorCodes];

/** Builds the error for an invalid field of the destinations file. */
export function invalidDestination(
  field: string,
  expected: string,
  received: unknown,
): ConfigError {
  return new ConfigError(
    SiemErrorCodes.invalidDestinations,
    `destinations: ${field}: expected ${expected}, received ${describeValue(received)}; fix the destinations file`,
    { details: { field } },
  );
}

/** Builds the error for a secret that cannot be read. */
export function secretUnavailable(field: string, reason: string): ConfigError {
  return new ConfigError(
    SiemErrorCodes.secretUnavailable,
    `destinations: ${field}: ${reason}; set the variable or file that the destinations file names`,
    { details: { field } },
  );
}

/** Builds a retriable delivery failure; `retryAfterMs` carries a server's Retry-After. */
export function deliveryFailed(
  destination: string,
  reason: string,
  options: { cause?: unknown; retryAfterMs?: number } = {},
): DependencyError {
  return new DependencyError(
    SiemErrorCodes.deliveryFailed,
    `delivery to destination ${destination} failed: ${reason}; it will be retried`,
    { ...options, details: { destination } },
  );
}

/** Builds a permanent delivery failure: the destination refused the data. */
export function deliveryRejected(destination: string, reason: string): RejectedError {
  return new RejectedError(
    SiemErrorCodes.deliveryRejected,
    `destination ${destination} rejected the alerts: ${reason}; check the destination's settings and the dead-lettered alert`,
    { details: { destination } },
  );
}

/** Builds the error that dead-letters an alert after its retry budget ran out. */
export function retriesExhausted(
  destination: string,
  attempts: number,
  cause: unknown,
): DependencyError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DependencyError(
    SiemErrorCodes.retriesExhausted,
    `delivery to destination ${destination} failed ${attempts} times and its retry budget is spent; last error: ${reason}`,
    { cause, details: { destination, attempts } },
  );
}

/** Builds the error that hands a batch back when the service stops during retries. */
export function deliveryInterrupted(destination: string): DependencyError {
  return new DependencyError(
    SiemErrorCodes.deliveryInterrupted,
    `delivery to destination ${destination} was interrupted because the service is stopping; the alerts stay uncommitted and are delivered after a restart`,
    { details: { destination } },
  );
}

/** Builds the error for a message on the alerts topic that does not decode. */
export function invalidAlert(position: string, cause: unknown): InputError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new InputError(
    SiemErrorCodes.invalidAlert,
    `message at ${position} is not a valid Avro Alert: ${reason}; check the producer of the alerts topic`,
    { cause },
  );
}
