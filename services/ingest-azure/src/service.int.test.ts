import { Buffer } from 'node:buffer';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@ciem/config';
import { createLocalCheckpointStore } from '@ciem/ingest-azure';
import {
  FakeEventHub,
  camelCaseActivityRecord,
  pascalCaseActivityRecord,
  recordsBody,
} from '@ciem/ingest-azure/testing';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import type { KafkaClient, ReceivedMessage } from '@ciem/kafka';
import { createLogger, createMetrics } from '@ciem/telemetry';
import { kafkaBrokers, randomName, waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildService } from '@ciem/testing';
import type { ChildService } from '@ciem/testing';
import { ingestAzureSchema } from './config.js';
import { wireIngestAzure } from './wiring.js';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const subscription = '5c8e1f2a-7b3d-4c6e-9f0a-1b2c3d4e5f60';

let client: KafkaClient;
let folder: string;
const children: ChildService[] = [];

beforeAll(async () => {
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'ingest-azure-service-test' });
  folder = await mkdtemp(path.join(tmpdir(), 'ciem-ingest-azure-service-'));
});

afterAll(async () => {
  for (const child of children) {
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
  }
  await client.close();
  await rm(folder, { recursive: true, force: true });
});

async function readTopic(topic: string, count: number): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: randomName('ingest_azure_service_reader'),
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  try {
    await waitFor(() => received.length >= count, {
      timeoutMs: 60_000,
      what: `${count} messages on ${topic} (received ${received.length})`,
    });
  } finally {
    await consumer.stop();
  }
  return received;
}

function kafkaEnv(prefix: string): Record<string, string> {
  return {
    CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
    CIEM_KAFKA_TOPIC_PREFIX: prefix,
    CIEM_KAFKA_TOPICS_CREATE_ENABLED: 'true',
    CIEM_KAFKA_TOPICS_PARTITIONS: '2',
    CIEM_PROBE_PORT: '0',
  };
}

describe('ingest-azure service', () => {
  it('backfills a file and exits 0', async () => {
    const prefix = `${randomName('azsvc')}.`;
    const file = path.join(folder, 'activity.json');
    const records = [
      camelCaseActivityRecord(1, subscription),
      pascalCaseActivityRecord(2, subscription),
      camelCaseActivityRecord(3, subscription, { propertiesAsString: true }),
    ];
    await writeFile(file, recordsBody(records, 2));

    const service = startChildService(main, {
      ...kafkaEnv(prefix),
      CIEM_INGEST_AZURE_MODE: 'backfill',
      CIEM_INGEST_AZURE_BACKFILL_PATHS: file,
      CIEM_INGEST_CHECKPOINT_DIR: path.join(folder, 'checkpoints'),
    });
    children.push(service);

    expect(await service.exited).toBe(0);
    const messages = await readTopic(topicNames(prefix).rawAzureActivity, records.length);
    expect(messages.map((message) => JSON.parse(message.value!.toString('utf8')))).toEqual(
      expect.arrayContaining(records),
    );
    expect(messages.every((message) => message.key?.toString('utf8') === subscription)).toBe(true);
    const finished = service.lines.find((line) => line.msg === 'backfill finished');
    expect(finished?.records).toBe(3);
  });

  it('rejects eventhub mode without connection string', async () => {
    const service = startChildService(main, {
      CIEM_PROBE_PORT: '0',
      CIEM_INGEST_AZURE_MODE: 'eventhub',
      CIEM_INGEST_AZURE_CHECKPOINT_STORE: 'blob',
    });
    children.push(service);

    expect(await service.exited).toBe(2);
    const fatal = service.lines.find((line) => line.level === 'fatal');
    expect(fatal?.problems).toEqual([
      'CIEM_INGEST_AZURE_EVENTHUB_CONNECTION_STRING: expected an Event Hubs connection string in eventhub mode, received nothing',
      'CIEM_INGEST_AZURE_CHECKPOINT_BLOB_CONNECTION_STRING: expected a storage connection string with the blob checkpoint store, received nothing',
      'CIEM_INGEST_AZURE_CHECKPOINT_BLOB_CONTAINER: expected a container name with the blob checkpoint store, received nothing',
    ]);
  });

  it('wires the consumer with local checkpoints', async () => {
    const prefix = `${randomName('azsvc')}.`;
    const checkpointDir = path.join(folder, randomName('checkpoints'));
    const { values } = loadConfig(ingestAzureSchema, {
      env: {
        ...kafkaEnv(prefix),
        CIEM_INGEST_AZURE_EVENTHUB_CONNECTION_STRING:
          'Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=unused',
        CIEM_INGEST_AZURE_EVENTHUB_NAME: 'insights-activity-logs',
        CIEM_INGEST_AZURE_CHECKPOINT_STORE: 'local',
        CIEM_INGEST_CHECKPOINT_DIR: checkpointDir,
      },
    });
    const hub = new FakeEventHub({ partitionIds: ['0', '1'] });
    for (let event = 0; event < 5; event += 1) {
      hub.send('0', Buffer.from(recordsBody([camelCaseActivityRecord(event, subscription)])));
      hub.send('1', recordsBody([pascalCaseActivityRecord(event, subscription)]));
    }
    const stage = wireIngestAzure(
      values,
      {
        logger: createLogger({ service: 'ingest-azure', level: 'silent' }),
        metrics: createMetrics(),
      },
      { createClient: (store) => hub.createConsumerClient(values.consumerGroup, store) },
    );
    const failures: unknown[] = [];
    await stage.start({ fail: (error) => failures.push(error) });

    const messages = await readTopic(topicNames(prefix).rawAzureActivity, 10);
    const store = createLocalCheckpointStore(checkpointDir);
    await waitFor(
      async () => {
        // A new store instance reads the files the service wrote.
        const listed = await createLocalCheckpointStore(checkpointDir).listCheckpoints(
          hub.fullyQualifiedNamespace,
          hub.eventHubName,
          '$Default',
        );
        return listed.length === 2 && listed.every((entry) => entry.sequenceNumber === 4);
      },
      { what: 'checkpoints of both partitions at event 4 on disk' },
    );
    expect(stage.health().ready).toBe(true);
    await stage.stop();

    expect(failures).toEqual([]);
    expect(messages).toHaveLength(10);
    expect(
      await store.listCheckpoints(hub.fullyQualifiedNamespace, hub.eventHubName, '$Default'),
    ).toHaveLength(2);
  });
});
