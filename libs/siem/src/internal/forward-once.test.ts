import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alerts.js';
import { parseDestinations } from './destinations.js';
import { forwardAlertsOnce } from './forward-once.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ciem-forward-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Returns a loopback port that had a listener a moment ago and has none now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('forwardAlertsOnce', () => {
  it('writes files and dead letters', async () => {
    const archive = path.join(dir, 'archive.ndjson');
    const deadLetterFile = path.join(dir, 'alerts-dlq.ndjson');
    const destinations = parseDestinations(
      JSON.stringify({
        destinations: [
          { name: 'archive', type: 'file', path: archive, format: 'ocsf' },
          {
            name: 'unreachable',
            type: 'webhook',
            url: `http://127.0.0.1:${await closedPort()}/alerts`,
            secret: { env: 'HOOK_SECRET' },
            route: { minSeverity: 'critical' },
            retry: { maxAttempts: 1 },
          },
        ],
      }),
      { env: { HOOK_SECRET: 'secret' }, readFile: () => '' },
    );
    const alerts = [
      makeAlert({ alert_id: 'a-high', severity: 'high' }),
      makeAlert({ alert_id: 'a-critical', severity: 'critical' }),
    ];

    const summary = await forwardAlertsOnce(destinations, alerts, { deadLetterFile });

    expect(summary).toEqual({ delivered: 2, deadLettered: 1, unrouted: 0 });
    const archived = readFileSync(archive, 'utf8').trim().split('\n');
    expect(archived).toHaveLength(2);
    const [letter] = readFileSync(deadLetterFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(letter?.destination).toBe('unreachable');
    expect(letter?.error_code).toBe('CIEM_SIEM_RETRIES_EXHAUSTED');
    expect((letter?.alert as { alert_id: string }).alert_id).toBe('a-critical');
  });
});
