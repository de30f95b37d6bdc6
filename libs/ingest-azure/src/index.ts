/**
 * Azure adapter of the ingest services: an Event Hubs consumer that publishes each record of
 * Azure Monitor `{"records":[...]}` bodies to the `azure` raw topic and checkpoints an event
 * only after Kafka acknowledged it and every earlier event of its partition; a local durable
 * checkpoint store; and the SDK client factories. Checked with `@azure/event-hubs` 6.0.4 and
 * `@azure/eventhubs-checkpointstore-blob` 2.0.0.
 */
export { createEventHubIngestStage } from './internal/event-hub-ingest.js';
export type { EventHubIngestOptions, StartPosition } from './internal/event-hub-ingest.js';
export type { EventHubSubscriber } from './internal/event-hub-port.js';
export type { CheckpointStore as EventHubCheckpointStore } from '@azure/event-hubs';
export { eventBodyBytes, eventSource, readEventRecords } from './internal/event-body.js';
export { lastOfCompletedPrefix } from './internal/completed-prefix.js';
export { checkpointKey, createLocalCheckpointStore } from './internal/local-checkpoint-store.js';
export { createBlobCheckpointStore, createEventHubConsumerClient } from './internal/sdk-clients.js';
export type { EventHubConsumerClientOptions } from './internal/sdk-clients.js';
export { IngestAzureErrorCodes } from './internal/errors.js';
export type { IngestAzureErrorCode } from './internal/errors.js';
