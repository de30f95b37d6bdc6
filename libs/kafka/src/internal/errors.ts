import { ConfigError, DependencyError, RejectedError, describeValue } from '@ciem/errors';

/**
 * Error codes of the Kafka adapter. Codes are permanent: a retired code is never reused.
 */
export const KafkaErrorCodes = {
  /** An option passed to this library is invalid (ConfigError). */
  invalidOption: 'CIEM_KAFKA_INVALID_OPTION',
  /** A topic name or prefix contains characters Kafka rejects, or is too long (ConfigError). */
  invalidTopicName: 'CIEM_KAFKA_INVALID_TOPIC_NAME',
  /** The broker rejected a message as larger than `message.max.bytes` (RejectedError). */
  messageTooLarge: 'CIEM_KAFKA_MESSAGE_TOO_LARGE',
  /** The broker rejected a record as invalid (bad timestamp, policy, compaction key) (RejectedError). */
  recordRejected: 'CIEM_KAFKA_RECORD_REJECTED',
  /** The client is not authenticated or not authorized for the topic, group or cluster (ConfigError). */
  notAuthorized: 'CIEM_KAFKA_NOT_AUTHORIZED',
  /** The topic does not exist; topics are created by `ensureTopics`, never on first use (DependencyError). */
  topicNotFound: 'CIEM_KAFKA_TOPIC_NOT_FOUND',
  /** Sending failed after the client's own retries; the send may be retried (DependencyError). */
  sendFailed: 'CIEM_KAFKA_SEND_FAILED',
  /** Connecting to the brokers failed (DependencyError). */
  connectFailed: 'CIEM_KAFKA_CONNECT_FAILED',
  /** An admin request (create, describe, delete topics, fetch offsets) failed (DependencyError). */
  adminFailed: 'CIEM_KAFKA_ADMIN_FAILED',
  /** Committing consumer offsets failed; the batch will be delivered again (DependencyError). */
  commitFailed: 'CIEM_KAFKA_COMMIT_FAILED',
  /** The consumer stopped for good, for example after a non-retriable handler error (DependencyError). */
  consumerFailed: 'CIEM_KAFKA_CONSUMER_FAILED',
} as const;

export type KafkaErrorCode = (typeof KafkaErrorCodes)[keyof typeof KafkaErrorCodes];

const tooLargeTypes = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const rejectedRecordTypes = new Set([
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
  'POLICY_VIOLATION',
  'CORRUPT_MESSAGE',
]);
const notAuthorizedTypes = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
]);

/** True for errors raised by kafkajs itself (their class names all start with `KafkaJS`). */
export function isKafkaClientError(error: unknown): error is Error {
  return error instanceof Error && error.name.startsWith('KafkaJS');
}

/**
 * Collects the kafkajs protocol error types (`MESSAGE_TOO_LARGE`, ...) found in an error,
 * its `cause` and `originalError` chain and the `errors` list of aggregate errors.
 */
export function protocolErrorTypes(error: unknown): Set<string> {
  const types = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const record = value as {
      type?: unknown;
      name?: unknown;
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    if (typeof record.type === 'string') types.add(record.type);
    if (record.name === 'KafkaJSSASLAuthenticationError') types.add('SASL_AUTHENTICATION_FAILED');
    visit(record.cause);
    visit(record.originalError);
    if (Array.isArray(record.errors)) record.errors.forEach(visit);
  };
  visit(error);
  return types;
}

function hasAny(types: Set<string>, candidates: Set<string>): boolean {
  for (const type of types) if (candidates.has(type)) return true;
  return false;
}

/**
 * Wraps an error from kafkajs in the platform's error classes so callers decide by class:
 * `RejectedError` (dead-letter the data), `ConfigError` (operator must act) or
 * `DependencyError` (retry later). Errors that kafkajs did not raise, such as a `TypeError`
 * from a bad argument, are returned unchanged so they stay non-retriable bugs.
 */
export function wrapKafkaError(
  error: unknown,
  operation: string,
  details: Record<string, string | number | boolean | undefined>,
  fallbackCode: KafkaErrorCode,
): unknown {
  if (!isKafkaClientError(error)) return error;
  const types = protocolErrorTypes(error);
  const where = Object.entries(details)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
  const reason = describeValue(error.message, 300);

  if (hasAny(types, tooLargeTypes)) {
    return new RejectedError(
      KafkaErrorCodes.messageTooLarge,
      `${operation} failed (${where}): the broker rejected the message as too large (${reason}); ` +
        'dead-letter the record or raise the topic max.message.bytes',
      { cause: error, details },
    );
  }
  if (hasAny(types, rejectedRecordTypes)) {
    return new RejectedError(
      KafkaErrorCodes.recordRejected,
      `${operation} failed (${where}): the broker rejected the record (${reason}); dead-letter it`,
      { cause: error, details },
    );
  }
  if (hasAny(types, notAuthorizedTypes)) {
    return new ConfigError(
      KafkaErrorCodes.notAuthorized,
      `${operation} failed (${where}): not authenticated or not authorized (${reason}); ` +
        'check the SASL credentials and the ACLs of this client',
      { cause: error, details },
    );
  }
  if (types.has('UNKNOWN_TOPIC_OR_PARTITION')) {
    return new DependencyError(
      KafkaErrorCodes.topicNotFound,
      `${operation} failed (${where}): topic or partition not found (${reason}); ` +
        'create the topics with ensureTopics first, because topic auto-creation is off',
      { cause: error, details },
    );
  }
  return new DependencyError(fallbackCode, `${operation} failed (${where}): ${reason}`, {
    cause: error,
    details,
  });
}

/** Builds the `ConfigError` for an invalid option, naming the option, expectation and value. */
export function invalidOption(name: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(
    KafkaErrorCodes.invalidOption,
    `invalid Kafka option ${name}: expected ${expected}, received ${describeValue(received)}`,
    { details: { option: name } },
  );
}
