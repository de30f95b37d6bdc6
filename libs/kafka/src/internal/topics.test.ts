import { ConfigError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import {
  defaultTopicSpecs,
  ensureKafkaTopics,
  ensureTopics,
  findMismatches,
  topicNames,
} from './topics.js';
import type { KafkaAdmin } from './admin.js';

describe('topicNames', () => {
  it('returns the design topic names', () => {
    expect(Object.values(topicNames()).sort()).toEqual([
      'ciem.alerts',
      'ciem.dlq',
      'ciem.entitlements',
      'ciem.events.normalized',
      'ciem.raw.aws.cloudtrail',
      'ciem.raw.azure.activity',
      'ciem.raw.gcp.audit',
      'ciem.recommendations',
    ]);
  });

  it('puts the prefix before each name', () => {
    const names = topicNames('staging.');
    expect(names.deadLetter).toBe('staging.ciem.dlq');
    expect(names.rawGcpAudit).toBe('staging.ciem.raw.gcp.audit');
  });

  it('rejects prefixes Kafka cannot store', () => {
    expect(() => topicNames('team a/')).toThrow(ConfigError);
    expect(() => topicNames('x'.repeat(250))).toThrow(/CIEM_KAFKA|249/);
  });
});

describe('defaultTopicSpecs', () => {
  it('compacts entitlements and recommendations only', () => {
    const specs = defaultTopicSpecs({ prefix: 'p.', partitions: 6, replicationFactor: 3 });
    const compacted = specs.filter((spec) => spec.compacted).map((spec) => spec.name);
    expect(compacted.sort()).toEqual(['p.ciem.entitlements', 'p.ciem.recommendations']);
    expect(specs).toHaveLength(8);
    expect(specs.every((spec) => spec.partitions === 6 && spec.replicationFactor === 3)).toBe(true);
  });
});

describe('findMismatches', () => {
  const spec = {
    name: 't',
    partitions: 3,
    replicationFactor: 1,
    compacted: true,
    retentionMs: 86_400_000,
  };

  it('reports nothing for a matching topic', () => {
    const actual = {
      partitions: 3,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact', 'retention.ms': '86400000' },
    };
    expect(findMismatches(spec, actual)).toEqual([]);
  });

  it('reports each differing setting', () => {
    const actual = {
      partitions: 1,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' },
    };
    expect(findMismatches(spec, actual)).toEqual([
      { topic: 't', setting: 'partitions', expected: '3', actual: '1' },
      { topic: 't', setting: 'cleanup.policy', expected: 'compact', actual: 'delete' },
      { topic: 't', setting: 'retention.ms', expected: '86400000', actual: '604800000' },
    ]);
  });

  it('accepts compact,delete as compacted', () => {
    const actual = {
      partitions: 3,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact,delete', 'retention.ms': '86400000' },
    };
    expect(findMismatches(spec, actual)).toEqual([]);
  });
});

describe('ensureTopics validation', () => {
  const unusedAdmin = {} as KafkaAdmin;

  it('rejects zero partitions before connecting', async () => {
    await expect(
      ensureTopics(unusedAdmin, [{ name: 'a', partitions: 0, replicationFactor: 1 }]),
    ).rejects.toThrow(/specs\[0\]\.partitions/);
  });

  it('rejects illegal topic names', async () => {
    await expect(
      ensureTopics(unusedAdmin, [{ name: 'a b', partitions: 1, replicationFactor: 1 }]),
    ).rejects.toThrow(ConfigError);
  });

  it('rejects retention below -1', async () => {
    await expect(
      ensureTopics(unusedAdmin, [
        { name: 'a', partitions: 1, replicationFactor: 1, retentionMs: -5 },
      ]),
    ).rejects.toThrow(/retentionMs/);
  });
});

describe('ensureKafkaTopics', () => {
  /** Builds a client whose admin runs `createTopics` and counts its disconnects. */
  function clientWithAdmin(createTopics: KafkaAdmin['createTopics']) {
    const state = { disconnects: 0 };
    const admin = {
      createTopics,
      describeTopics: () => Promise.resolve([]),
      disconnect: () => {
        state.disconnects += 1;
        return Promise.resolve();
      },
      logger: { info: () => undefined, warn: () => undefined },
    } as unknown as KafkaAdmin;
    return { client: { createAdmin: () => Promise.resolve(admin) }, state };
  }

  it('creates topics and disconnects the admin', async () => {
    const { client, state } = clientWithAdmin((topics) =>
      Promise.resolve(topics.map((topic) => topic.name)),
    );
    const report = await ensureKafkaTopics(client, [
      { name: 'ciem.alerts', partitions: 3, replicationFactor: 1 },
    ]);
    expect(report.created).toEqual(['ciem.alerts']);
    expect(state.disconnects).toBe(1);
  });

  it('disconnects the admin when the broker fails', async () => {
    const { client, state } = clientWithAdmin(() => Promise.reject(new Error('broker down')));
    await expect(
      ensureKafkaTopics(client, [{ name: 'ciem.alerts', partitions: 3, replicationFactor: 1 }]),
    ).rejects.toThrow('broker down');
    expect(state.disconnects).toBe(1);
  });
});
