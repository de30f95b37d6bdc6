/** One message on the bus: the same shape a Kafka record has, without the bytes. */
export interface BusMessage<T> {
  key: string | null;
  value: T;
}

/** Handles one batch; the publisher waits until every subscriber resolved. */
export type BusHandler<T> = (batch: BusMessage<T>[]) => void | Promise<void>;

/**
 * The embedded mode's stand-in for Kafka: topics with subscribers, where `publish` resolves
 * only after every subscriber handled the batch. That gives the same guarantee as a Kafka
 * consumer committing after its output is durable, and natural backpressure: a slow sink
 * slows the reader, so memory stays bounded by one batch per stage.
 */
export class InProcessBus {
  private readonly subscribers = new Map<string, BusHandler<unknown>[]>();
  private readonly counts = new Map<string, number>();

  /** Registers a handler for a topic; handlers run in registration order. */
  subscribe<T>(topic: string, handler: BusHandler<T>): void {
    const handlers = this.subscribers.get(topic) ?? [];
    handlers.push(handler as BusHandler<unknown>);
    this.subscribers.set(topic, handlers);
  }

  /** Delivers a batch to every subscriber of the topic and waits for all of them. */
  async publish<T>(topic: string, batch: BusMessage<T>[]): Promise<void> {
    if (batch.length === 0) return;
    this.counts.set(topic, (this.counts.get(topic) ?? 0) + batch.length);
    for (const handler of this.subscribers.get(topic) ?? []) {
      await handler(batch);
    }
  }

  /** Messages published per topic since the bus was created. */
  publishedCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
