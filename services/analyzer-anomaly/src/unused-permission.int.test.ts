import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import type { NormalizedEvent } from '@ciem/events';
import { encodeNormalizedEvent } from '@ciem/events';
import { createKafkaClient, topicNames } from '@ciem/kafka';
import type { KafkaClient } from '@ciem/kafka';
import { createPlatformTopics } from '@ciem/pipeline';
import { clickhouseUrl, kafkaBrokers, randomName, startChildService, waitFor } from '@ciem/testing';
import type { ChildService } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const T0 = Date.UTC(2026, 1, 2, 10);
const principalId = 'arn:aws:iam::111122223333:role/reporting-job';
const backfilledId = 'arn:aws:iam::111122223333:role/archive-job';

let client: KafkaClient;
let clickhouse: ClickHouse;
let checkpointDir: string;
let service: ChildService | undefined;
const database = randomName('anomaly_unused');
const prefix = `${randomName('anomalyunused')}.`;
const names = topicNames(prefix);

function deleteBucket(
  eventId: string,
  eventTime: number,
  principal = principalId,
): NormalizedEvent {
  return {
    schema_version: 1,
    event_id: eventId,
    provider: 'aws',
    event_time: eventTime,
    ingest_time: T0,
    log_type: 'AwsApiCall',
    account_id: '111122223333',
    tenant_id: null,
    region: 'eu-west-1',
    principal: { id: principal, type: 'role', name: principal.split('/')[1] ?? principal },
    session: null,
    actor: null,
    access_key_id: null,
    mfa: null,
    action: {
      service: 's3',
      operation: 'DeleteBucket',
      permissions: ['s3:DeleteBucket'],
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: false,
    category: 'management',
    resources: [{ id: 'arn:aws:s3:::reports-archive', type: 'AWS::S3::Bucket' }],
    outcome: 'success',
    error_code: null,
    error_message: null,
    source_ip: '203.0.113.10',
    user_agent: 'aws-cli/2.15.0',
    via_service: null,
    vpc_endpoint: null,
    phase: null,
    correlation_id: null,
    raw_ref: 'test:1',
  };
}

/** Builds a `recommendations` row as analyzer-rightsizing writes it, with DeleteBucket unused. */
function recommendationRow(principal = principalId): Record<string, unknown> {
  return {
    provider: 'aws',
    account_id: '111122223333',
    principal_id: principal,
    principal_type: 'role',
    principal_name: principal.split('/')[1] ?? principal,
    team: '',
    status: 'active',
    window_start: '2025-11-04 00:00:00',
    window_end: '2026-02-02 00:00:00',
    window_days: 90,
    last_activity: '2026-02-01 09:00:00',
    score: 40,
    confidence: 0.9,
    used_count: 2,
    unused_permissions: ['s3:DeleteBucket', 's3:GetBucketPolicy'],
    unused_risks: ['write', 'read'],
    unobservable_permissions: [],
    unused_services: [],
    recommendation_kind: 'replace',
    removes: ['s3:DeleteBucket', 's3:GetBucketPolicy'],
    recommendation: '{}',
    result: '{}',
    written_at: '2026-02-02 00:05:00',
  };
}

beforeAll(async () => {
  client = createKafkaClient({ brokers: kafkaBrokers, clientId: 'analyzer-anomaly-unused-test' });
  clickhouse = createClickHouse({ url: clickhouseUrl, database: 'default' });
  checkpointDir = mkdtempSync(path.join(tmpdir(), 'anomaly-unused-'));
  await createPlatformTopics(client, {
    prefix,
    partitions: 1,
    replicationFactor: 1,
    maxMessageBytes: 1_048_576,
  });
});

afterAll(async () => {
  if (service !== undefined && service.child.exitCode === null) {
    service.child.kill('SIGKILL');
    await service.exited;
  }
  await client?.close();
  await clickhouse?.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  await clickhouse?.close();
  rmSync(checkpointDir, { recursive: true, force: true });
});

describe('analyzer-anomaly with right-sizing results', () => {
  it('alerts on an unused DeleteBucket', async () => {
    service = startChildService(main, {
      CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
      CIEM_KAFKA_TOPIC_PREFIX: prefix,
      CIEM_ANOMALY_GROUP_ID: randomName('anomaly_unused_group'),
      CIEM_ANOMALY_CHECKPOINT_DIR: checkpointDir,
      CIEM_ANOMALY_UNUSED_REFRESH_MS: '500',
      CIEM_ANOMALY_GEOIP_ENABLED: 'false',
      CIEM_CLICKHOUSE_URL: clickhouseUrl,
      CIEM_CLICKHOUSE_DATABASE: database,
      CIEM_PROBE_PORT: '0',
    });
    await service.waitForLine((line) => line.msg === 'service started', 60_000);

    // The service applied the migrations; right-sizing now reports its result.
    await clickhouse.insert(`${database}.recommendations`, [
      recommendationRow(),
      recommendationRow(backfilledId),
    ]);
    await service.waitForLine(
      (line) => line.msg === 'unused high-risk permissions refreshed' && line.permissions === 2,
      30_000,
    );

    const producer = await client.createProducer();
    try {
      // Another principal's backfilled call from inside the window comes first on the one
      // partition: right-sizing already counted that period, so it must not alert.
      await producer.send(names.eventsNormalized, [
        {
          key: backfilledId,
          value: encodeNormalizedEvent(
            deleteBucket('unused-delete-bucket-old', Date.UTC(2026, 0, 10, 9), backfilledId),
          ),
        },
        {
          key: principalId,
          value: encodeNormalizedEvent(deleteBucket('unused-delete-bucket-1', T0)),
        },
      ]);
    } finally {
      await producer.disconnect();
    }

    let rows: {
      rule_id: string;
      principal_id: string;
      severity: string;
      evidence_event_ids: string[];
    }[] = [];
    await waitFor(
      async () => {
        rows = await clickhouse.query(
          `SELECT rule_id, principal_id, severity, evidence_event_ids FROM ${database}.alerts FINAL`,
        );
        return rows.length > 0;
      },
      { timeoutMs: 60_000, what: 'the unused-permission alert in ClickHouse' },
    );
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);

    expect(rows).toEqual([
      {
        rule_id: 'unused-high-risk-permission',
        principal_id: principalId,
        severity: 'high',
        evidence_event_ids: ['unused-delete-bucket-1'],
      },
    ]);
  });
});
