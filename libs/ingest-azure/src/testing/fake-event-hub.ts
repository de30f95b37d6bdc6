import { Buffer } from 'node:buffer';
import type {
  CheckpointStore,
  EventPosition,
  PartitionContext,
  ReceivedEventData,
  SubscribeOptions,
  Subscription,
  SubscriptionEventHandlers,
} from '@azure/event-hubs';
import { CloseReason } from '@azure/event-hubs';
import type { EventHubSubscriber } from '../internal/event-hub-port.js';

/** Options of {@link FakeEventHub}. */
export interface FakeEventHubOptions {
  /** Partition ids, such as `['0', '1']`. */
  partitionIds: readonly string[];
  /** `fullyQualifiedNamespace` of the checkpoints; `fake.servicebus.windows.net` by default. */
  fullyQualifiedNamespace?: string;
  /** `eventHubName` of the checkpoints; `fake-hub` by default. */
  eventHubName?: string;
  /** Clock of `enqueuedTimeUtc`; `Date.now` by default. */
  now?: () => number;
}

interface StoredEvent {
  body: unknown;
  properties: Record<string, unknown> | undefined;
  sequenceNumber: number;
  enqueuedTimeUtc: Date;
}

/**
 * An in-memory event hub for tests, in place of the Event Hubs service, which has no local
 * emulator here. Events sent to it stay for the hub's lifetime, so consumer clients created
 * one after another (a restart) read the same partitions. Sequence numbers start at 0 in each
 * partition, and offsets are the sequence numbers as strings.
 */
export class FakeEventHub {
  readonly fullyQualifiedNamespace: string;
  readonly eventHubName: string;
  readonly partitionIds: readonly string[];
  private readonly partitions = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(options: FakeEventHubOptions) {
    this.fullyQualifiedNamespace = options.fullyQualifiedNamespace ?? 'fake.servicebus.windows.net';
    this.eventHubName = options.eventHubName ?? 'fake-hub';
    this.partitionIds = [...options.partitionIds];
    this.now = options.now ?? Date.now;
    for (const id of this.partitionIds) this.partitions.set(id, []);
  }

  /**
   * Appends an event to a partition and returns its sequence number. `body` is what the sender
   * wrote: a Buffer or string for the AMQP data section, or a JSON value.
   */
  send(partitionId: string, body: unknown, properties?: Record<string, unknown>): number {
    const events = this.partition(partitionId);
    const sequenceNumber = events.length;
    events.push({ body, properties, sequenceNumber, enqueuedTimeUtc: new Date(this.now()) });
    for (const wake of this.listeners) wake();
    return sequenceNumber;
  }

  /** Returns how many events a partition holds. */
  size(partitionId: string): number {
    return this.partition(partitionId).length;
  }

  /** Creates a consumer client of `consumerGroup` that keeps its checkpoints in `checkpointStore`. */
  createConsumerClient(
    consumerGroup: string,
    checkpointStore: CheckpointStore,
  ): FakeEventHubConsumerClient {
    return new FakeEventHubConsumerClient(this, consumerGroup, checkpointStore);
  }

  /** @internal Returns the stored events of a partition. */
  partition(partitionId: string): StoredEvent[] {
    const events = this.partitions.get(partitionId);
    if (events === undefined) {
      throw new Error(
        `partition ${partitionId} not found; the fake hub has partitions ${this.partitionIds.join(', ')}`,
      );
    }
    return events;
  }

  /** @internal Calls `wake` on every send until the returned function is called. */
  onSend(wake: () => void): () => void {
    this.listeners.add(wake);
    return () => this.listeners.delete(wake);
  }
}

/**
 * The part of `EventHubConsumerClient` that `EventHubSubscriber` names, over a
 * {@link FakeEventHub}. Like the SDK it reads every partition, starts after the stored
 * checkpoint (else at `startPosition`), hands one batch at a time to `processEvents` and
 * waits for it before the next, reports a throwing handler to `processError` and goes on,
 * and parses JSON bodies unless `skipParsingBodyAsJson` is set. `updateCheckpoint` writes to
 * the checkpoint store.
 *
 * Unlike the SDK it has no load balancing: one client reads every partition and claims no
 * ownership. It calls `processEvents` only with events, never with an empty batch after
 * `maxWaitTimeInSeconds`, and `getRawAmqpMessage` throws.
 */
export class FakeEventHubConsumerClient implements EventHubSubscriber {
  private readonly subscriptions = new Set<FakeSubscription>();

  constructor(
    private readonly hub: FakeEventHub,
    private readonly consumerGroup: string,
    private readonly checkpointStore: CheckpointStore,
  ) {}

  subscribe(handlers: SubscriptionEventHandlers, options: SubscribeOptions = {}): Subscription {
    const subscription = new FakeSubscription(
      this.hub,
      this.consumerGroup,
      this.checkpointStore,
      handlers,
      options,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }
}

class FakeSubscription implements Subscription {
  isRunning = true;
  private readonly loops: Array<Promise<void>>;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly hub: FakeEventHub,
    private readonly consumerGroup: string,
    private readonly checkpointStore: CheckpointStore,
    private readonly handlers: SubscriptionEventHandlers,
    private readonly options: SubscribeOptions,
  ) {
    this.loops = hub.partitionIds.map((id) => this.readPartition(id));
  }

  async close(): Promise<void> {
    this.isRunning = false;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  private context(partitionId: string): PartitionContext {
    const { hub, consumerGroup, checkpointStore } = this;
    return {
      fullyQualifiedNamespace: hub.fullyQualifiedNamespace,
      eventHubName: hub.eventHubName,
      consumerGroup,
      partitionId,
      updateCheckpoint: (event) =>
        checkpointStore.updateCheckpoint({
          fullyQualifiedNamespace: hub.fullyQualifiedNamespace,
          eventHubName: hub.eventHubName,
          consumerGroup,
          partitionId,
          sequenceNumber: event.sequenceNumber,
          offset: event.offset,
        }),
    };
  }

  /** Returns the index of the first event to deliver: after the checkpoint, else at the start position. */
  private async firstIndex(partitionId: string): Promise<number> {
    const checkpoints = await this.checkpointStore.listCheckpoints(
      this.hub.fullyQualifiedNamespace,
      this.hub.eventHubName,
      this.consumerGroup,
    );
    const checkpoint = checkpoints.find((entry) => entry.partitionId === partitionId);
    if (checkpoint !== undefined) return checkpoint.sequenceNumber + 1;

    const start = this.options.startPosition;
    const position: EventPosition | undefined =
      start === undefined || 'offset' in start || 'sequenceNumber' in start || 'enqueuedOn' in start
        ? (start as EventPosition | undefined)
        : (start as Record<string, EventPosition>)[partitionId];
    if (position === undefined || position.offset === '@latest') {
      // The SDK's default start is the latest position.
      return this.hub.size(partitionId);
    }
    if (position.sequenceNumber !== undefined && position.sequenceNumber >= 0) {
      return position.sequenceNumber + (position.isInclusive === true ? 0 : 1);
    }
    return 0;
  }

  private received(partitionId: string, index: number): ReceivedEventData {
    const stored = this.hub.partition(partitionId)[index]!;
    let body = stored.body;
    if (this.options.skipParsingBodyAsJson !== true && Buffer.isBuffer(body)) {
      try {
        body = JSON.parse(body.toString('utf8'));
      } catch {
        // The SDK hands over the bytes when they are not JSON.
      }
    }
    return {
      body,
      properties: stored.properties,
      enqueuedTimeUtc: stored.enqueuedTimeUtc,
      partitionKey: null,
      offset: String(stored.sequenceNumber),
      sequenceNumber: stored.sequenceNumber,
      systemProperties: {},
      getRawAmqpMessage: () => {
        throw new Error('the fake event hub has no AMQP messages');
      },
    };
  }

  /** Resolves on the next send or on close. */
  private waitForEvents(): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        stopListening();
        this.wakers.delete(wake);
        resolve();
      };
      const stopListening = this.hub.onSend(wake);
      this.wakers.add(wake);
    });
  }

  private async readPartition(partitionId: string): Promise<void> {
    const context = this.context(partitionId);
    const maxBatchSize = this.options.maxBatchSize ?? 1;
    await this.handlers.processInitialize?.(context);
    let next: number;
    try {
      next = await this.firstIndex(partitionId);
    } catch (error) {
      await this.handlers.processError(error as Error, context);
      this.isRunning = false;
      return;
    }

    while (this.isRunning) {
      const available = this.hub.size(partitionId);
      if (next >= available) {
        await this.waitForEvents();
        continue;
      }
      const end = Math.min(available, next + maxBatchSize);
      const batch: ReceivedEventData[] = [];
      for (let index = next; index < end; index += 1) batch.push(this.received(partitionId, index));
      try {
        await this.handlers.processEvents(batch, context);
      } catch (error) {
        await this.handlers.processError(error as Error, context);
      }
      next = end;
    }
    await this.handlers.processClose?.(CloseReason.Shutdown, context);
  }
}
