import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RejectedError } from '@ciem/errors';
import { waitFor } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alerts.js';
import { createTestCertificates } from '../testing/certificates.js';
import type { TestCertificates } from '../testing/certificates.js';
import {
  startHecReceiver,
  startSyslogReceiver,
  startWebhookReceiver,
} from '../testing/receivers.js';
import { createFileSink } from './file/sink.js';
import { createHecSink } from './hec/sink.js';
import type { RetryPolicy } from './retry.js';
import type { DeliveryOutcome } from './sink.js';
import { createSyslogSink } from './syslog/sink.js';
import { createWebhookSink } from './webhook/sink.js';

const product = { name: 'CIEM Platform', vendor_name: 'CIEM', version: '0.1.0' };
const retry: RetryPolicy = {
  initialMs: 50,
  maxMs: 500,
  multiplier: 2,
  jitter: 0.2,
  maxAttempts: 100,
  budgetMs: 30_000,
};
const alerts = [1, 2, 3].map((n) =>
  makeAlert({ alert_id: `alert-${n}`, severity: n === 3 ? 'critical' : 'medium', event_count: n }),
);
const delivered = (outcomes: DeliveryOutcome[]) => outcomes.filter((o) => o.delivered).length;

function hecConfig(url: string, token: string) {
  return {
    name: 'splunk',
    url,
    token,
    format: 'json' as const,
    host: 'forwarder',
    source: 'ciem',
    sourcetype: '_json',
    ack: false,
    ackPollMs: 20,
    ackTimeoutMs: 5_000,
    batchMaxAlerts: 2,
    timeoutMs: 5_000,
    retry,
  };
}

describe('HEC sink', () => {
  it('delivers batches with the token', async () => {
    const receiver = await startHecReceiver('hec-token');
    try {
      const sink = createHecSink(hecConfig(receiver.url, 'hec-token'), product);
      expect(delivered(await sink.deliver(alerts))).toBe(3);
      expect(receiver.received.map((e) => (e.event as { alert_id: string }).alert_id)).toEqual([
        'alert-1',
        'alert-2',
        'alert-3',
      ]);
      // Two requests: batchMaxAlerts is 2.
      expect(receiver.requests).toBe(2);
    } finally {
      await receiver.close();
    }
  });

  it('fails a wrong token once', async () => {
    const receiver = await startHecReceiver('hec-token');
    try {
      const sink = createHecSink(hecConfig(receiver.url, 'wrong'), product);
      const outcomes = await sink.deliver([alerts[0]!]);
      expect(outcomes[0]?.delivered).toBe(false);
      const error = (outcomes[0] as { error: unknown }).error;
      expect(error).toBeInstanceOf(RejectedError);
      expect((error as Error).message).toContain('HTTP 403 (HEC code 4)');
      expect(receiver.requests).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('delivers everything after busy period', async () => {
    const receiver = await startHecReceiver('hec-token');
    receiver.mode = 'busy';
    try {
      const sink = createHecSink(hecConfig(receiver.url, 'hec-token'), product);
      const retries: number[] = [];
      const delivery = sink.deliver(alerts, { onRetry: (_e, attempt) => retries.push(attempt) });
      await waitFor(() => receiver.requests >= 2, { timeoutMs: 10_000, what: 'two 503 responses' });
      receiver.mode = 'accept';
      expect(delivered(await delivery)).toBe(3);
      expect(receiver.received).toHaveLength(3);
      expect(receiver.repeatedKeys).toEqual([]);
      expect(retries.length).toBeGreaterThanOrEqual(2);
    } finally {
      await receiver.close();
    }
  });

  it('sends single alerts after a rejected batch', async () => {
    const receiver = await startHecReceiver('hec-token');
    receiver.mode = 'reject';
    try {
      const sink = createHecSink(hecConfig(receiver.url, 'hec-token'), product);
      const outcomes = await sink.deliver(alerts.slice(0, 2));
      expect(delivered(outcomes)).toBe(0);
      // One batch request, then one request per alert.
      expect(receiver.requests).toBe(3);
    } finally {
      await receiver.close();
    }
  });

  it('waits for indexer acknowledgement', async () => {
    const receiver = await startHecReceiver('hec-token', { ack: { pollsBeforeAck: 2 } });
    try {
      const config = {
        ...hecConfig(receiver.url, 'hec-token'),
        channel: '0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba',
        ack: true,
      };
      const sink = createHecSink(config, product);
      expect(delivered(await sink.deliver(alerts))).toBe(3);
      // Two requests, each polled until its third poll reports it indexed.
      expect(receiver.ackPolls).toBe(6);
      expect(receiver.received).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  });

  it('resends when acknowledgement times out', async () => {
    const receiver = await startHecReceiver('hec-token', { ack: { pollsBeforeAck: 1_000_000 } });
    try {
      const config = {
        ...hecConfig(receiver.url, 'hec-token'),
        channel: '0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba',
        ack: true,
        ackTimeoutMs: 100,
        retry: { ...retry, maxAttempts: 2 },
      };
      const sink = createHecSink(config, product);
      const outcomes = await sink.deliver([alerts[0]!]);
      expect(outcomes[0]?.delivered).toBe(false);
      expect(String((outcomes[0] as { error: Error }).error.message)).toContain(
        'did not acknowledge',
      );
      // The request was sent twice: the first attempt and one retry.
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });
});

describe('syslog TLS sink', () => {
  let certificates: TestCertificates;
  beforeAll(() => {
    certificates = createTestCertificates('syslog.test');
  });
  afterAll(() => certificates.remove());

  const startReceiver = (port?: number) =>
    startSyslogReceiver({
      port,
      tls: {
        cert: certificates.read(certificates.serverCertFile),
        key: certificates.read(certificates.serverKeyFile),
        ca: certificates.read(certificates.caFile),
        requireClientCert: true,
      },
    });

  const syslogConfig = (port: number, serverName: string, policy = retry) => ({
    name: 'soc',
    host: '127.0.0.1',
    port,
    tls: {
      caFile: certificates.caFile,
      certFile: certificates.clientCertFile,
      keyFile: certificates.clientKeyFile,
      serverName,
      rejectUnauthorized: true,
    },
    facility: 13,
    hostname: 'forwarder',
    appName: 'ciem',
    procId: '42',
    msgId: 'alert',
    cefVendor: 'CIEM',
    cefProduct: 'CIEM Platform',
    cefVersion: '0.1.0',
    maxMessageBytes: 8192,
    batchMaxAlerts: 10,
    connectTimeoutMs: 2_000,
    retry: policy,
  });

  it('delivers CEF frames over mutual TLS', async () => {
    const receiver = await startReceiver();
    const sink = createSyslogSink(syslogConfig(receiver.port, 'syslog.test'));
    try {
      expect(delivered(await sink.deliver(alerts))).toBe(3);
      await waitFor(() => receiver.received.length === 3, { what: 'three syslog frames' });
      const [first] = receiver.received;
      // log audit (13) × 8 + warning (4) for a medium alert.
      expect(first?.pri).toBe(108);
      expect(first?.procId).toBe('42');
      expect(first?.structuredData).toBe('[ciem@32473 alertId="alert-1" eventCount="1"]');
      expect(first?.message).toMatch(
        /^CEF:0\|CIEM\|CIEM Platform\|0\.1\.0\|aws-defense-evasion-logging\|/,
      );
      expect(first?.message).toContain('externalId=alert-1.1 ');
      expect(receiver.clientNames).toContain('ciem-forwarder');
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  it('cuts an oversized alert to the limit', async () => {
    const receiver = await startReceiver();
    const sink = createSyslogSink({
      ...syslogConfig(receiver.port, 'syslog.test'),
      maxMessageBytes: 2048,
    });
    const huge = makeAlert({ alert_id: 'alert-huge', description: 'x=\\\n'.repeat(50_000) });
    try {
      expect(delivered(await sink.deliver([huge]))).toBe(1);
      await waitFor(() => receiver.received.length === 1, { what: 'one syslog frame' });
      const [message] = receiver.received;
      expect(Buffer.byteLength(message!.raw, 'utf8')).toBeLessThanOrEqual(2048);
      expect(message?.structuredData).toContain('truncated="true"');
      expect(message?.message).toMatch(
        / msg=(x\\=\\\\\\n)+(x|x\\=|x\\=\\\\)?\.\.\. cs1Label=alertId cs1=alert-huge /,
      );
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  it('sends no SNI for an address', async () => {
    // RFC 6066 section 3: literal IPv4 and IPv6 addresses are not permitted in the SNI
    // HostName, so the certificate is checked against the address (an IP SAN) instead.
    const receiver = await startReceiver();
    const { serverName: _unset, ...tls } = syslogConfig(receiver.port, 'syslog.test').tls;
    const sink = createSyslogSink({ ...syslogConfig(receiver.port, 'syslog.test'), tls });
    try {
      expect(delivered(await sink.deliver([alerts[0]!]))).toBe(1);
      await waitFor(() => receiver.received.length === 1, { what: 'one syslog frame' });
      expect(receiver.serverNames).toEqual([false]);
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  it('fails a wrong server name', async () => {
    const receiver = await startReceiver();
    const policy = { ...retry, maxAttempts: 2 };
    const sink = createSyslogSink(syslogConfig(receiver.port, 'other.test', policy));
    try {
      const outcomes = await sink.deliver([alerts[0]!]);
      expect(outcomes[0]?.delivered).toBe(false);
      expect(String((outcomes[0] as { error: Error }).error.message)).toMatch(/other\.test/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  it('delivers once the listener is back', async () => {
    // The listener takes an ephemeral port and stops, so connections are refused until it
    // listens on the same port again.
    const receiver = await startReceiver();
    await receiver.stop();
    const sink = createSyslogSink(syslogConfig(receiver.port, 'syslog.test'));
    try {
      let retries = 0;
      const delivery = sink.deliver(alerts, { onRetry: () => (retries += 1) });
      await waitFor(() => retries >= 2, { timeoutMs: 10_000, what: 'refused connections' });
      await receiver.start();
      expect(delivered(await delivery)).toBe(3);
      await waitFor(() => receiver.received.length === 3, { what: 'all three frames' });
      const ids = receiver.received.map((m) => /alertId="([^"]+)"/.exec(m.structuredData)?.[1]);
      expect(ids).toEqual(['alert-1', 'alert-2', 'alert-3']);
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  it('reconnects after a dropped connection', async () => {
    const receiver = await startReceiver();
    const sink = createSyslogSink(syslogConfig(receiver.port, 'syslog.test'));
    try {
      expect(delivered(await sink.deliver([alerts[0]!]))).toBe(1);
      await waitFor(() => receiver.received.length === 1, { what: 'the first frame' });
      await receiver.stop();
      await receiver.start();
      expect(delivered(await sink.deliver(alerts.slice(1)))).toBe(2);
      await waitFor(() => receiver.received.length === 3, { what: 'all three frames' });
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  it('delivers over plain TCP', async () => {
    const receiver = await startSyslogReceiver({});
    const sink = createSyslogSink({ ...syslogConfig(receiver.port, 'unused'), tls: null });
    try {
      expect(delivered(await sink.deliver(alerts))).toBe(3);
      await waitFor(() => receiver.received.length === 3, { what: 'three plain frames' });
      expect(receiver.received[2]?.message).toContain('|10|');
    } finally {
      await sink.close();
      await receiver.close();
    }
  });
});

describe('webhook sink', () => {
  const config = (url: string, secret: string) => ({
    name: 'hook',
    url: `${url}/alerts`,
    secret,
    format: 'ocsf' as const,
    headers: {},
    timeoutMs: 5_000,
    retry,
  });

  it('delivers signed OCSF bodies', async () => {
    const receiver = await startWebhookReceiver('hook-secret');
    try {
      const sink = createWebhookSink(config(receiver.url, 'hook-secret'), product);
      expect(delivered(await sink.deliver(alerts))).toBe(3);
      expect(receiver.badSignatures).toBe(0);
      expect(receiver.received.map((body) => (body.metadata as { uid: string }).uid)).toEqual([
        'alert-1.1',
        'alert-2.2',
        'alert-3.3',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('rejects a wrong secret', async () => {
    const receiver = await startWebhookReceiver('hook-secret');
    try {
      const sink = createWebhookSink(config(receiver.url, 'wrong-secret'), product);
      const outcomes = await sink.deliver([alerts[0]!]);
      expect(outcomes[0]?.delivered).toBe(false);
      expect(receiver.badSignatures).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('delivers once after 503 responses', async () => {
    const receiver = await startWebhookReceiver('hook-secret');
    receiver.mode = 'busy';
    try {
      const sink = createWebhookSink(config(receiver.url, 'hook-secret'), product);
      const delivery = sink.deliver(alerts);
      await waitFor(() => receiver.requests >= 2, { timeoutMs: 10_000, what: 'two 503 responses' });
      receiver.mode = 'accept';
      expect(delivered(await delivery)).toBe(3);
      expect(receiver.received).toHaveLength(3);
      expect(receiver.repeatedKeys).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe('file sink', () => {
  it('appends OCSF lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ciem-siem-file-'));
    try {
      const file = path.join(dir, 'out', 'alerts.ndjson');
      const sink = createFileSink(
        { name: 'archive', path: file, format: 'ocsf', batchMaxAlerts: 2, retry },
        product,
      );
      expect(delivered(await sink.deliver(alerts))).toBe(3);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { class_uid: number }).class_uid)).toEqual([
        2004, 2004, 2004,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
