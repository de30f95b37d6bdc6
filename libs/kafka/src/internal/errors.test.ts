import { ConfigError, DependencyError, RejectedError } from '@ciem/errors';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { wrapKafkaError } from './errors.js';

const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

// Protocol error shapes as kafkajs builds them from the broker's error codes
// (Kafka protocol guide, "Error Codes": MESSAGE_TOO_LARGE is 10, UNKNOWN_TOPIC_OR_PARTITION 3).
// kafkajs types the constructor argument as Error, but passes the broker error's fields.
const protocolError = (fields: {
  type: string;
  code: number;
  retriable: boolean;
  message: string;
}) => new KafkaJSProtocolError(fields as unknown as Error);

const tooLarge = protocolError({
  type: 'MESSAGE_TOO_LARGE',
  code: 10,
  retriable: false,
  message: 'The request included a message larger than the max message size the server will accept',
});
const unknownTopic = protocolError({
  type: 'UNKNOWN_TOPIC_OR_PARTITION',
  code: 3,
  retriable: true,
  message: 'This server does not host this topic-partition',
});
const topicDenied = protocolError({
  type: 'TOPIC_AUTHORIZATION_FAILED',
  code: 29,
  retriable: false,
  message: 'Not authorized to access topics: [Topic authorization failed]',
});

const wrap = (error: unknown) =>
  wrapKafkaError(error, 'producing to Kafka', { topic: 't' }, 'CIEM_KAFKA_SEND_FAILED');

describe('wrapKafkaError', () => {
  it('rejects messages that are too large', () => {
    const wrapped = wrap(tooLarge);
    expect(wrapped).toBeInstanceOf(RejectedError);
    expect((wrapped as RejectedError).code).toBe('CIEM_KAFKA_MESSAGE_TOO_LARGE');
    expect((wrapped as RejectedError).cause).toBe(tooLarge);
  });

  it('finds the cause behind exhausted retries', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(unknownTopic, {
      retryCount: 5,
      retryTime: 1_000,
    });
    const wrapped = wrap(exhausted);
    expect(wrapped).toBeInstanceOf(DependencyError);
    expect((wrapped as DependencyError).code).toBe('CIEM_KAFKA_TOPIC_NOT_FOUND');
  });

  it('maps authorization failures to ConfigError', () => {
    const wrapped = wrap(topicDenied);
    expect(wrapped).toBeInstanceOf(ConfigError);
    expect((wrapped as ConfigError).code).toBe('CIEM_KAFKA_NOT_AUTHORIZED');
  });

  it('makes connection failures retriable', () => {
    const wrapped = wrap(
      new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1'),
    );
    expect(wrapped).toBeInstanceOf(DependencyError);
    expect((wrapped as DependencyError).code).toBe('CIEM_KAFKA_SEND_FAILED');
    expect((wrapped as DependencyError).message).toContain('topic=t');
  });

  it('returns non-client errors unchanged', () => {
    const bug = new TypeError('messages.map is not a function');
    expect(wrap(bug)).toBe(bug);
  });
});
