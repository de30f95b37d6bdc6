import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeAlert } from '@ciem/events';
import type { Alert } from '@ciem/events';
import { DEAD_LETTER_HEADERS, createKafkaClient, ensureTopics, topicNames } from '@ciem/kafka';
import type { KafkaClient, ReceivedMessage, RunningConsumer } from '@ciem/kafka';
import {
  createTestCertificates,
  makeAlert,
  startHecReceiver,
  startSyslogReceiver,
  startWebhookReceiver,
} from '@ciem/siem/testing';
import type { HttpReceiver, SyslogReceiver, TestCertificates } from '@ciem/siem/testing';
import { kafkaBrokers, randomName, startChildService, waitFor } from '@ciem/testing';
import type { ChildService } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const severities = ['low', 'medium', 'high', 'critical', 'high', 'info'] as const;
const alerts: Alert[] = severities.map((severity, index) =>
  makeAlert({
    alert_id: `e2e-alert-${index}`,
    dedupe_key: `rule|principal-${index}|subject`,
    severity,
    event_count: index + 1,
  }),
);
const highOrAbove = alerts.filter((a) => a.severity === 'high' || a.severity === 'critical');

const header = (message: ReceivedMessage, name: string): string | undefined => {
  const value = message.headers[name];
  return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
};

describe('alert-forwarder service', () => {
  const prefix = `${randomName('fwd')}.`;
  const topics = topicNames(prefix);
  let dir: string;
  let certificates: TestCertificates;
  let hec: HttpReceiver;
  let webhook: HttpReceiver & { badSignatures: number };
  let syslog: SyslogReceiver;
  let kafka: KafkaClient;
  let service: ChildService | undefined;
  let dlqConsumer: RunningConsumer | undefined;
  const deadLetters: ReceivedMessage[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ciem-forwarder-'));
    certificates = createTestCertificates('syslog.test');
    hec = await startHecReceiver('hec-token-e2e');
    webhook = await startWebhookReceiver('webhook-secret-e2e');
    syslog = await startSyslogReceiver({
      tls: {
        cert: certificates.read(certificates.serverCertFile),
        key: certificates.read(certificates.serverKeyFile),
        ca: certificates.read(certificates.caFile),
        requireClientCert: true,
      },
    });
    kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'forwarder-e2e-test' });
    const admin = await kafka.createAdmin();
    try {
      await ensureTopics(admin, [
        { name: topics.alerts, partitions: 2, replicationFactor: 1 },
        { name: topics.deadLetter, partitions: 1, replicationFactor: 1 },
      ]);
    } finally {
      await admin.disconnect();
    }
    dlqConsumer = await kafka.runConsumer({
      groupId: randomName('fwd-dlq-reader'),
      topics: [topics.deadLetter],
      fromBeginning: true,
      handleBatch: async (batch) => {
        deadLetters.push(...batch.messages);
      },
    });
  });

  afterAll(async () => {
    if (service !== undefined && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await dlqConsumer?.stop();
    await kafka?.close();
    await hec?.close();
    await webhook?.close();
    await syslog?.close();
    certificates?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers to receivers and dead-letters failures', async () => {
    const secretFile = path.join(dir, 'webhook-secret');
    writeFileSync(secretFile, 'webhook-secret-e2e\n');
    const retry = { initialMs: 100, maxMs: 1_000, maxAttempts: 1_000, budgetMs: 60_000 };
    const destinationsFile = path.join(dir, 'destinations.json');
    writeFileSync(
      destinationsFile,
      JSON.stringify({
        destinations: [
          { name: 'splunk', type: 'hec', url: hec.url, token: { env: 'E2E_HEC_TOKEN' }, retry },
          {
            name: 'broken-splunk',
            type: 'hec',
            url: hec.url,
            token: { env: 'E2E_WRONG_TOKEN' },
            format: 'ocsf',
            retry,
          },
          {
            name: 'soc-syslog',
            type: 'syslog',
            host: '127.0.0.1',
            port: syslog.port,
            tls: {
              caFile: certificates.caFile,
              certFile: certificates.clientCertFile,
              keyFile: certificates.clientKeyFile,
              serverName: 'syslog.test',
            },
            route: { minSeverity: 'high' },
            retry,
          },
          {
            name: 'soar',
            type: 'webhook',
            url: `${webhook.url}/hook`,
            secret: { file: secretFile },
            format: 'ocsf',
            retry,
          },
        ],
      }),
    );

    // HEC returns 503 to the first requests, and every alert must still arrive once.
    hec.mode = 'busy';
    const producer = await kafka.createProducer();
    try {
      await producer.send(
        topics.alerts,
        alerts.map((alert) => ({ key: alert.dedupe_key, value: encodeAlert(alert) })),
      );
      await producer.send(topics.alerts, [{ key: 'garbage', value: Buffer.from([0xff, 0x01]) }]);
    } finally {
      await producer.disconnect();
    }

    const groupId = randomName('fwd-e2e');
    service = startChildService(main, {
      CIEM_KAFKA_BROKERS: kafkaBrokers.join(','),
      CIEM_KAFKA_TOPIC_PREFIX: prefix,
      CIEM_FORWARDER_GROUP_ID: groupId,
      CIEM_FORWARDER_DESTINATIONS_FILE: destinationsFile,
      CIEM_KAFKA_TOPICS_CREATE_ENABLED: 'false',
      CIEM_PROBE_PORT: '0',
      CIEM_KAFKA_SESSION_TIMEOUT_MS: '10000',
      E2E_HEC_TOKEN: 'hec-token-e2e',
      E2E_WRONG_TOKEN: 'not-the-token',
    });

    await waitFor(() => hec.requests >= 3, { timeoutMs: 60_000, what: 'HEC 503 responses' });
    hec.mode = 'accept';

    const idsOf = (values: Array<string | undefined>) => [...values].sort();
    await waitFor(() => hec.received.length >= alerts.length, {
      timeoutMs: 60_000,
      what: 'every alert at the HEC receiver',
    });
    await waitFor(() => webhook.received.length >= alerts.length, {
      timeoutMs: 30_000,
      what: 'every alert at the webhook receiver',
    });
    await waitFor(() => syslog.received.length >= highOrAbove.length, {
      timeoutMs: 30_000,
      what: 'high alerts at the syslog receiver',
    });
    await waitFor(() => deadLetters.length >= alerts.length + 1, {
      timeoutMs: 30_000,
      what: 'dead letters of the broken destination and the invalid message',
    });

    // Exactly once at each receiver.
    expect(idsOf(hec.received.map((e) => (e.event as Alert).alert_id))).toEqual(
      idsOf(alerts.map((a) => a.alert_id)),
    );
    expect(hec.repeatedKeys).toEqual([]);
    expect(idsOf(webhook.received.map((b) => (b.finding_info as { uid: string }).uid))).toEqual(
      idsOf(alerts.map((a) => a.alert_id)),
    );
    expect(webhook.badSignatures).toBe(0);
    expect(
      idsOf(syslog.received.map((m) => /alertId="([^"]+)"/.exec(m.structuredData)?.[1])),
    ).toEqual(idsOf(highOrAbove.map((a) => a.alert_id)));

    const broken = deadLetters.filter((m) => header(m, 'destination') === 'broken-splunk');
    expect(broken).toHaveLength(alerts.length);
    expect(new Set(broken.map((m) => header(m, DEAD_LETTER_HEADERS.errorCode)))).toEqual(
      new Set(['CIEM_SIEM_DELIVERY_REJECTED']),
    );
    expect(broken.every((m) => header(m, DEAD_LETTER_HEADERS.stage) === 'alert-forwarder')).toBe(
      true,
    );
    const invalid = deadLetters.filter((m) => header(m, 'destination') === undefined);
    expect(invalid.map((m) => header(m, DEAD_LETTER_HEADERS.errorCode))).toEqual([
      'CIEM_SIEM_INVALID_ALERT',
    ]);

    // Every offset is committed once the alerts are delivered or dead-lettered.
    await waitFor(
      async () => {
        const lag = await kafka.fetchLag(groupId, topics.alerts);
        return lag.every((partition) => partition.lag === 0);
      },
      { timeoutMs: 30_000, what: 'zero lag of the forwarder group' },
    );

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.lines.some((line) => JSON.stringify(line).includes('webhook-secret-e2e'))).toBe(
      false,
    );
    expect(service.lines.some((line) => JSON.stringify(line).includes('hec-token-e2e'))).toBe(
      false,
    );
  });
});
