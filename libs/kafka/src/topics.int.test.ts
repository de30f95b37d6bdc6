import { kafkaBrokers, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient, ensureTopics } from './index.js';
import type { KafkaAdmin, KafkaClient, TopicSpec } from './index.js';

let client: KafkaClient;
let admin: KafkaAdmin;
const created: string[] = [];

beforeAll(async () => {
  client = createKafkaClient({
    brokers: kafkaBrokers,
    clientId: 'kafka-topics-int-test',
    logger: silentLogger(),
  });
  admin = await client.createAdmin();
});

afterAll(async () => {
  if (created.length > 0) await admin?.deleteTopics(created);
  await admin?.disconnect();
  await client?.close();
});

function silentLogger() {
  return { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
}

describe('ensureTopics against Kafka', () => {
  it('creates, then is idempotent', async () => {
    const plain: TopicSpec = {
      name: randomName('topics_plain'),
      partitions: 3,
      replicationFactor: 1,
    };
    const compacted: TopicSpec = {
      name: randomName('topics_compacted'),
      partitions: 2,
      replicationFactor: 1,
      compacted: true,
      retentionMs: 86_400_000,
    };
    created.push(plain.name, compacted.name);

    const first = await ensureTopics(admin, [plain, compacted]);
    expect(first.created.sort()).toEqual([plain.name, compacted.name].sort());
    expect(first.mismatches).toEqual([]);

    const second = await ensureTopics(admin, [plain, compacted]);
    expect(second.created).toEqual([]);
    expect(second.existing.sort()).toEqual([plain.name, compacted.name].sort());
    expect(second.mismatches).toEqual([]);

    const [describedPlain, describedCompacted] = await admin.describeTopics(
      [plain.name, compacted.name],
      ['cleanup.policy', 'retention.ms'],
    );
    expect(describedPlain?.partitions).toBe(3);
    expect(describedPlain?.configs['cleanup.policy']).toBe('delete');
    expect(describedCompacted?.partitions).toBe(2);
    expect(describedCompacted?.configs['cleanup.policy']).toBe('compact');
    expect(describedCompacted?.configs['retention.ms']).toBe('86400000');
  });

  it('reports mismatches without changing topics', async () => {
    const name = randomName('topics_mismatch');
    created.push(name);
    await ensureTopics(admin, [{ name, partitions: 1, replicationFactor: 1 }]);

    const report = await ensureTopics(admin, [
      { name, partitions: 4, replicationFactor: 1, compacted: true },
    ]);
    expect(report.created).toEqual([]);
    expect(report.mismatches).toEqual([
      { topic: name, setting: 'partitions', expected: '4', actual: '1' },
      { topic: name, setting: 'cleanup.policy', expected: 'compact', actual: 'delete' },
    ]);
    const [after] = await admin.describeTopics([name], ['cleanup.policy']);
    expect(after?.partitions).toBe(1);
    expect(after?.configs['cleanup.policy']).toBe('delete');
  });
});
