import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import type { NormalizedEvent } from '@ciem/events';
import { decodeAlert, encodeNormalizedEvent } from '@ciem/events';
import { DEAD_LETTER_HEADERS, createKafkaClient, topicNames } from '@ciem/kafka';
import type { KafkaClient, ReceivedMessage } from '@ciem/kafka';
import { createPlatformTopics } from '@ciem/pipeline';
import { clickhouseUrl, kafkaBrokers, randomName, startChildService, waitFor } from '@ciem/testing';
import type { ChildService } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

let client: KafkaClient;
let clickhouse: ClickHouse;
let checkpointDir: string;
const database = randomName('anomaly_svc');
const prefix = `${randomName('anomalysvc')}.`;
const names = topicNames(prefix);
const groupId = randomName('anomaly_group');
const children: ChildService[] = [];
let counter = 0;

function event(
  principal: string,
  time: number,
  permission: string,
  sourceIp = '203.0.113.10',
): NormalizedEvent {
  counter++;
  return {
    schema_version: 1,
    event_id: `svc-${counter}`,
    provider: 'aws',
    event_time: time,
    ingest_time: time,
    log_type: 'AwsApiCall',
    account_id: '111122223333',
    tenant_id: null,
    region: 'us-east-1',
    principal: { id: `arn:aws:iam::111122223333:user/${principal}`, type: 'user', name: principal },
    session: null,
    actor: null,
    access_key_id: null,
    mfa: null,
    action: {
      service: permission.split(':')[0] ?? '',
      operation: permission.split(':')[1] ?? '',
      permissions: [permission],
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: false,
    category: 'management',
    resources: [],
    outcome: 'success',
    error_code: null,
    error_message: null,
    source_ip: sourceIp,
    user_agent: 'aws-cli/2.15.0',
    via_service: null,
    vpc_endpoint: null,
    phase: null,
    correlation_id: null,
    raw_ref: `test:${counter}`,
  };
}

/** Ten calls a day from the office for each principal, days `from` to `to` - 1. */
function benignDays(from: number, to: number): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  for (let day = from; day < to; day++) {
    for (const principal of ['alice', 'bob']) {
      for (let i = 0; i < 10; i++) {
        const permission = ['s3:GetObject', 's3:PutObject', 'ec2:DescribeInstances'][
          i % 3
        ] as string;
        events.push(event(principal, T0 + day * DAY + 9 * 3_600_000 + i * 60_000, permission));
      }
    }
  }
  return events;
}

async function produce(
  events: NormalizedEvent[],
  extra: { key: string; value: Buffer }[] = [],
): Promise<void> {
  const producer = await client.createProducer();
  try {
    await producer.send(names.eventsNormalized, [
      ...events.map((e) => ({ key: e.principal.id, value: encodeNormalizedEvent(e) })),
      ...extra,
    ]);
  } finally {
    await producer.disconnect();
  }
}

async function readTopic(topic: string, count: number): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const consumer = await client.runConsumer({
    groupId: randomName('anomaly_reader'),
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      received.push(...batch.messages);
    },
  });
  try {
    await waitFor(() => received.length >= count, {
      timeoutMs: 60_000,
      what: `${count} messages on ${topic}`,
    });
  } finally {
    await consumer.stop();
  }
  return received;
}

async function caughtUp(): Promise<boolean> {
  const lag = await client.fetchLag(groupId, names.eventsNormalized);
  return lag.length > 0 && lag.every((partition) => partition.lag === 0);
}

function startService(): ChildService {
  const service = startChildService(main, {
    CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
    CIEM_KAFKA_TOPIC_PREFIX: prefix,
    CIEM_ANOMALY_GROUP_ID: groupId,
    CIEM_ANOMALY_CHECKPOINT_DIR: checkpointDir,
    CIEM_ANOMALY_CHECKPOINT_INTERVAL_MS: '0',
    CIEM_CLICKHOUSE_URL: clickhouseUrl,
    CIEM_CLICKHOUSE_DATABASE: database,
    CIEM_PROBE_PORT: '0',
  });
  children.push(service);
  return service;
}

async function alertRows(): Promise<{ alert_id: string; rule_id: string; event_count: string }[]> {
  return clickhouse.query(`SELECT alert_id, rule_id, event_count FROM ${database}.alerts FINAL`);
}

beforeAll(async () => {
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'analyzer-anomaly-test' });
  clickhouse = createClickHouse({ url: clickhouseUrl, database: 'default' });
  checkpointDir = mkdtempSync(path.join(tmpdir(), 'anomaly-checkpoints-'));
  await createPlatformTopics(client, {
    prefix,
    partitions: 2,
    replicationFactor: 1,
    maxMessageBytes: 1_048_576,
  });
});

afterAll(async () => {
  for (const child of children) {
    if (child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
  }
  await client?.close();
  await clickhouse?.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  await clickhouse?.close();
  rmSync(checkpointDir, { recursive: true, force: true });
});

describe('analyzer-anomaly service', () => {
  it('alerts once and survives restart', async () => {
    // Two weeks of routine work, then alice stops the trail.
    const stop = event('alice', T0 + 14 * DAY + 10 * 3_600_000, 'cloudtrail:StopLogging');
    await produce(
      [...benignDays(0, 14), stop],
      [{ key: 'broken', value: Buffer.from('not avro') }],
    );

    const first = startService();
    await first.waitForLine((line) => line.msg === 'service started', 60_000);
    const alerts = await readTopic(names.alerts, 1);
    const dead = await readTopic(names.deadLetter, 1);
    await waitFor(caughtUp, { timeoutMs: 60_000, what: 'the group to commit every offset' });
    await waitFor(async () => (await alertRows()).length === 1, {
      timeoutMs: 30_000,
      what: 'one alerts row',
    });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const alert = decodeAlert(alerts[0]!.value!);
    expect(alert.rule_id).toBe('defense-evasion-logging');
    expect(alert.evidence_event_ids).toEqual([stop.event_id]);
    expect(alerts[0]!.key?.toString('utf8')).toBe(alert.dedupe_key);
    expect(dead[0]!.headers[DEAD_LETTER_HEADERS.errorCode]?.toString()).toBe(
      'CIEM_ANOMALY_UNDECODABLE_EVENT',
    );
    expect(readdirSync(checkpointDir).length).toBeGreaterThan(0);

    // The same routine goes on after a restart: no alert may follow.
    const second = startService();
    await second.waitForLine((line) => line.msg === 'service started', 60_000);
    await produce(benignDays(15, 17));
    await waitFor(caughtUp, { timeoutMs: 60_000, what: 'the restarted group to catch up' });
    await second.waitForLine((line) => line.msg === 'anomaly baselines restored', 30_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const rows = await alertRows();
    expect(rows.map((row) => row.rule_id)).toEqual(['defense-evasion-logging']);
    expect(rows[0]?.alert_id).toBe(alert.alert_id);
    expect(existsSync(checkpointDir)).toBe(true);
    expect(second.lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual(
      [],
    );
  });
});
