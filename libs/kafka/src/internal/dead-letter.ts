import type { Buffer } from 'node:buffer';
import { errorCodeOf, errorTypeOf, messageOf } from '@ciem/errors';
import { invalidOption } from './errors.js';
import type { KafkaProducer } from './producer.js';
import type { MessageHeaders, PartitionAck } from './types.js';

/** Names of the headers a dead-lettered record carries, next to its original headers. */
export const DEAD_LETTER_HEADERS = Object.freeze({
  /** The stable error code, such as `CIEM_NORMALIZE_MISSING_FIELD`, or `CIEM_INTERNAL`. */
  errorCode: 'error.code',
  /** The error type: `input`, `rejected`, `dependency`, `config` or `internal`. */
  errorType: 'error.type',
  /** The error message, cut to `DEAD_LETTER_MESSAGE_MAX_CHARS` characters. */
  errorMessage: 'error.message',
  /** The stage that failed, such as `normalizer`. */
  stage: 'stage',
  /** Position the record was read from: topic, partition and offset (decimal strings). */
  originalTopic: 'original.topic',
  originalPartition: 'original.partition',
  originalOffset: 'original.offset',
});

/** Longest `error.message` header value, in characters; longer messages end with `…`. */
export const DEAD_LETTER_MESSAGE_MAX_CHARS = 1_000;

/** The record that failed, as it was read. */
export interface DeadLetterOriginal {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: MessageHeaders;
}

/** A record to publish to the dead-letter topic, with its error and stage. */
export interface DeadLetter {
  dlqTopic: string;
  original: DeadLetterOriginal;
  error: unknown;
  stage: string;
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

/**
 * Builds the headers of a dead-lettered record: the original headers, then the error and
 * position headers. A header of the original with one of those names (a record that was
 * dead-lettered before) is replaced by the new value.
 */
export function buildDeadLetterHeaders(letter: Omit<DeadLetter, 'dlqTopic'>): MessageHeaders {
  const { original, error, stage } = letter;
  return {
    ...(original.headers ?? {}),
    [DEAD_LETTER_HEADERS.errorCode]: errorCodeOf(error),
    [DEAD_LETTER_HEADERS.errorType]: errorTypeOf(error),
    [DEAD_LETTER_HEADERS.errorMessage]: truncate(messageOf(error), DEAD_LETTER_MESSAGE_MAX_CHARS),
    [DEAD_LETTER_HEADERS.stage]: stage,
    [DEAD_LETTER_HEADERS.originalTopic]: original.topic,
    [DEAD_LETTER_HEADERS.originalPartition]: String(original.partition),
    [DEAD_LETTER_HEADERS.originalOffset]: original.offset,
  };
}

/**
 * Writes a record that a stage could not process to the dead-letter topic: the original key
 * and value bytes unchanged, the original headers, and the error and position headers of
 * `DEAD_LETTER_HEADERS`. Resolves once the broker acknowledged it. Throws what
 * `KafkaProducer.send` throws, and `ConfigError` `CIEM_KAFKA_INVALID_OPTION` for a missing
 * `dlqTopic` or `stage`.
 */
export async function publishToDeadLetter(
  producer: KafkaProducer,
  letter: DeadLetter,
): Promise<PartitionAck[]> {
  if (typeof letter.dlqTopic !== 'string' || letter.dlqTopic.length === 0) {
    throw invalidOption('dlqTopic', 'a non-empty topic name', letter.dlqTopic);
  }
  if (typeof letter.stage !== 'string' || letter.stage.length === 0) {
    throw invalidOption('stage', 'a non-empty stage name', letter.stage);
  }
  return producer.send(letter.dlqTopic, [
    {
      key: letter.original.key,
      value: letter.original.value,
      headers: buildDeadLetterHeaders(letter),
    },
  ]);
}
