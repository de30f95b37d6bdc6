import type { SubscribeOptions, Subscription, SubscriptionEventHandlers } from '@azure/event-hubs';

/**
 * The part of the SDK's `EventHubConsumerClient` (`@azure/event-hubs` 6.x) that the consumer
 * uses. The real client satisfies it, and so does the in-memory fake of
 * `@ciem/ingest-azure/testing`. The client is built with a checkpoint store, so
 * `partitionContext.updateCheckpoint` persists progress and a restart resumes after it.
 *
 * Contract relied on: per partition, `processEvents` is called with one batch at a time and
 * the next batch waits until the returned promise settles; `processEvents` may be called
 * with an empty batch when `maxWaitTimeInSeconds` passes without events; `Subscription.close`
 * resolves after the batches in flight settled.
 */
export interface EventHubSubscriber {
  subscribe(handlers: SubscriptionEventHandlers, options?: SubscribeOptions): Subscription;
  close(): Promise<void>;
}
