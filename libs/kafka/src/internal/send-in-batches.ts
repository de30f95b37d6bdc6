import type { KafkaProducer } from './producer.js';
import type { OutgoingMessage } from './types.js';

/**
 * Encodes `items` into messages and sends them to `topic` in sends of at most `batchSize`
 * messages, one send at a time, so a large result set is never encoded into memory at
 * once. Resolves with the number of messages once the broker acknowledged every send.
 * Throws the producer's errors; the sends before a failed one stay acknowledged.
 */
export async function sendInBatches<T>(
  producer: Pick<KafkaProducer, 'send'>,
  topic: string,
  items: Iterable<T>,
  encode: (item: T) => OutgoingMessage,
  batchSize: number,
): Promise<number> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `batchSize must be a positive integer, received ${batchSize}; pass at least 1`,
    );
  }
  let batch: OutgoingMessage[] = [];
  let sent = 0;
  for (const item of items) {
    batch.push(encode(item));
    if (batch.length >= batchSize) {
      await producer.send(topic, batch);
      sent += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    await producer.send(topic, batch);
    sent += batch.length;
  }
  return sent;
}
