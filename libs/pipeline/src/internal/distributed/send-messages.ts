import { RejectedError } from '@ciem/errors';
import type { KafkaProducer, OutgoingMessage } from '@ciem/kafka';

/**
 * Sends messages to a topic and returns the indexes of the ones the broker refused for good
 * (`RejectedError`, such as a message over the topic's `max.message.bytes`). When the whole
 * send is refused, each message is sent again on its own to find the refused ones. Throws
 * what `KafkaProducer.send` throws for other failures (`DependencyError`: retry the batch).
 */
export async function sendKeepingRejected(
  producer: KafkaProducer,
  topic: string,
  messages: readonly OutgoingMessage[],
): Promise<{ rejected: number[]; error?: RejectedError }> {
  if (messages.length === 0) return { rejected: [] };
  try {
    await producer.send(topic, messages);
    return { rejected: [] };
  } catch (error) {
    if (!(error instanceof RejectedError)) throw error;
    if (messages.length === 1) return { rejected: [0], error };
  }
  const rejected: number[] = [];
  let lastError: RejectedError | undefined;
  for (const [index, message] of messages.entries()) {
    try {
      await producer.send(topic, [message]);
    } catch (error) {
      if (!(error instanceof RejectedError)) throw error;
      rejected.push(index);
      lastError = error;
    }
  }
  return lastError === undefined ? { rejected } : { rejected, error: lastError };
}
