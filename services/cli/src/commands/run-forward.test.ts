import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startHecReceiver, startWebhookReceiver } from '@ciem/siem/testing';
import type { HttpReceiver } from '@ciem/siem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/ciem.js', import.meta.url));
const run = promisify(execFile);

/** A CloudTrail delivery file with one StopLogging call, which always alerts. */
const cloudTrail = {
  Records: [
    {
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLEOPS0000001',
        arn: 'arn:aws:iam::111122223333:user/ops',
        accountId: '111122223333',
        accessKeyId: 'AKIAEXAMPLEOPS000001',
        userName: 'ops',
      },
      eventTime: '2024-03-05T22:10:00Z',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.10',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { name: 'management-events' },
      responseElements: null,
      requestID: '3f1d7c8e-0000-4000-8000-000000000001',
      eventID: '9b2c4e6a-0000-4000-8000-000000000001',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
    },
  ],
};

describe('ciem run --forward', () => {
  let dir: string;
  let webhook: HttpReceiver;
  let hec: HttpReceiver;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ciem-forward-'));
    webhook = await startWebhookReceiver('forward-test-secret');
    hec = await startHecReceiver('forward-test-token');
    await writeFile(path.join(dir, 'trail.json'), JSON.stringify(cloudTrail));
  });

  afterAll(async () => {
    await webhook?.close();
    await hec?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers the run alerts', async () => {
    const destinations = path.join(dir, 'destinations.json');
    await writeFile(
      destinations,
      JSON.stringify({
        product: { name: 'CIEM Platform', vendorName: 'CIEM', version: '0.1.0' },
        destinations: [
          {
            name: 'soc-webhook',
            type: 'webhook',
            url: webhook.url,
            secret: { env: 'CIEM_TEST_WEBHOOK_SECRET' },
          },
          {
            name: 'splunk',
            type: 'hec',
            url: hec.url,
            token: { file: path.join(dir, 'hec-token') },
            format: 'ocsf',
          },
        ],
      }),
    );
    await writeFile(path.join(dir, 'hec-token'), 'forward-test-token');
    const out = path.join(dir, 'out');
    const result = await run(
      process.execPath,
      [bin, 'run', path.join(dir, 'trail.json'), '--out', out, '--forward', destinations],
      { env: { ...process.env, CIEM_TEST_WEBHOOK_SECRET: 'forward-test-secret' }, timeout: 60_000 },
    );

    const alerts = (await readFile(path.join(out, 'alerts.ndjson'), 'utf8')).trim().split('\n');
    expect(alerts).toHaveLength(1);
    const alertId = (JSON.parse(alerts[0] as string) as { alert_id: string }).alert_id;
    expect(result.stdout).toContain('Forwarded 1 alerts: 2 deliveries, 0 dead-lettered');
    expect(webhook.received).toHaveLength(1);
    expect(JSON.stringify(webhook.received[0])).toContain(alertId);
    expect(hec.received).toHaveLength(1);
    expect(JSON.stringify(hec.received[0])).toContain('StopLogging');
  });

  it('fails when a delivery fails', async () => {
    const destinations = path.join(dir, 'wrong-secret.json');
    await writeFile(
      destinations,
      JSON.stringify({
        product: { name: 'CIEM Platform', vendorName: 'CIEM', version: '0.1.0' },
        destinations: [
          {
            name: 'soc-webhook',
            type: 'webhook',
            url: webhook.url,
            secret: { file: path.join(dir, 'wrong-secret') },
          },
        ],
      }),
    );
    await writeFile(path.join(dir, 'wrong-secret'), 'not-the-receiver-secret');
    const out = path.join(dir, 'out-rejected');
    const failure = await run(
      process.execPath,
      [bin, 'run', path.join(dir, 'trail.json'), '--out', out, '--forward', destinations],
      { timeout: 60_000 },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);

    expect('code' in failure ? failure.code : 0).toBe(1);
    expect(failure.stdout).toContain('Forwarded 1 alerts: 0 deliveries, 1 dead-lettered');
    expect(failure.stderr).toContain('CIEM_RUN_FORWARD_INCOMPLETE');
    const deadLetters = await readFile(path.join(out, 'forward-dlq.ndjson'), 'utf8');
    expect(deadLetters.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unreadable destinations file', async () => {
    const failure = await run(
      process.execPath,
      [
        bin,
        'run',
        path.join(dir, 'trail.json'),
        '--out',
        path.join(dir, 'out-missing'),
        '--forward',
        path.join(dir, 'absent.json'),
      ],
      { timeout: 60_000 },
    ).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failure ? failure.code : 0).toBe(1);
    expect(failure.stderr).toContain('CIEM_RUN_FORWARD_FILE_UNREADABLE');
  });
});
