import type { CheckpointStore } from '@azure/event-hubs';
import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { invalidOption } from './errors.js';
import type { EventHubSubscriber } from './event-hub-port.js';

/** Options of {@link createEventHubConsumerClient}. */
export interface EventHubConsumerClientOptions {
  /** Event Hubs connection string (`Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...`). A secret. */
  connectionString: string;
  /** Event hub name; may be left out when the connection string carries `EntityPath`. */
  eventHubName?: string;
  /** Consumer group, such as `$Default`. */
  consumerGroup: string;
  checkpointStore: CheckpointStore;
}

/**
 * Creates the SDK's `EventHubConsumerClient` with a checkpoint store, so several processes in
 * one consumer group share the partitions and each resumes after the stored checkpoint. It
 * connects on `subscribe`. Throws `ConfigError` `CIEM_INGEST_AZURE_INVALID_OPTION` for an
 * empty connection string or consumer group, and the SDK's `TypeError` for a malformed
 * connection string.
 */
export function createEventHubConsumerClient(
  options: EventHubConsumerClientOptions,
): EventHubSubscriber {
  if (options.connectionString.length === 0) {
    throw invalidOption('connectionString', 'an Event Hubs connection string', '');
  }
  if (options.consumerGroup.length === 0) {
    throw invalidOption('consumerGroup', 'a consumer group name such as $Default', '');
  }
  if (options.eventHubName === undefined || options.eventHubName.length === 0) {
    return new EventHubConsumerClient(
      options.consumerGroup,
      options.connectionString,
      options.checkpointStore,
    );
  }
  return new EventHubConsumerClient(
    options.consumerGroup,
    options.connectionString,
    options.eventHubName,
    options.checkpointStore,
  );
}

/**
 * Creates the SDK's `BlobCheckpointStore` on an Azure Blob Storage container, the checkpoint
 * store for production and for more than one process. The container must exist; nothing
 * connects until the consumer lists or claims partitions.
 * NOTE: only construction is tested here; no Blob Storage emulator runs in this project's
 * tests.
 */
export function createBlobCheckpointStore(options: {
  /** Storage account connection string. A secret. */
  connectionString: string;
  containerName: string;
}): CheckpointStore {
  if (options.connectionString.length === 0) {
    throw invalidOption('connectionString', 'an Azure Storage connection string', '');
  }
  if (options.containerName.length === 0) {
    throw invalidOption('containerName', 'a blob container name', '');
  }
  return new BlobCheckpointStore(
    new ContainerClient(options.connectionString, options.containerName),
  );
}
