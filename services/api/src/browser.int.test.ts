/**
 * Starts the API on a loopback port and opens its OpenAPI page and a rendered report in
 * headless Chromium: the page's DOM must show the rendered content, and screenshots are
 * saved under `.var/api-browser/` (ignored by git). The report route needs an API key, which
 * the browser cannot send from its command line, so it goes through a small loopback proxy
 * that adds the header, as a gateway in front of the API would. Needs Debian's chromium
 * (`bash deploy/local/chromium.sh install`); without it the suite is skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@ciem/config';
import { createLogger, createMetrics } from '@ciem/telemetry';
import { clickhouseUrl, randomName, repoRoot } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSchema } from './config.js';
import { ACCOUNT, APP_ROLE } from './testing/fixtures.js';
import type { SeededStore } from './testing/test-app.js';
import { READ_KEY, TEST_KEY_ENTRIES, createSeededStore } from './testing/test-app.js';
import type { ApiStage } from './wiring.js';
import { wireApi } from './wiring.js';

const run = promisify(execFile);
const chromium = process.env.CIEM_CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
if (!hasChromium) {
  console.warn(
    `Skipping the API browser tests: ${chromium} not found. Install it with 'bash deploy/local/chromium.sh install' or set CIEM_CHROMIUM_PATH.`,
  );
}

const screenshotDir = path.join(repoRoot, '.var', 'api-browser');
const profileRoot = mkdtempSync(path.join(tmpdir(), 'ciem-api-browser-'));
let store: SeededStore;
let stage: ApiStage;
let proxy: Server;
let proxyUrl = '';

/** Starts a loopback proxy to `target` that adds the read key to every request. */
async function startKeyProxy(target: string): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const forwarded = httpRequest(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: { ...incoming.headers, 'x-api-key': READ_KEY } },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Runs chromium headless on one URL with a fresh profile and returns its stdout. */
async function runChromium(url: string, extra: string[]): Promise<string> {
  const profile = mkdtempSync(path.join(profileRoot, 'profile-'));
  const { stdout } = await run(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--window-size=1280,1600',
      // Swagger UI renders with JavaScript after load; give it time before the dump.
      '--virtual-time-budget=15000',
      ...extra,
      url,
    ],
    { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

function isPng(file: string): boolean {
  const bytes = readFileSync(file);
  return bytes.length > 1_000 && bytes.subarray(1, 4).toString('latin1') === 'PNG';
}

describe.skipIf(!hasChromium)('API pages in chromium', () => {
  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    store = await createSeededStore(clickhouseUrl, randomName('api_browser'));
    const { values } = loadConfig(apiSchema, {
      env: {
        CIEM_API_PORT: '0',
        CIEM_API_KEYS: TEST_KEY_ENTRIES.join(','),
        CIEM_CLICKHOUSE_URL: clickhouseUrl,
        CIEM_CLICKHOUSE_DATABASE: store.database,
      },
    });
    stage = wireApi(values, {
      logger: createLogger({ service: 'api-browser-test', level: 'warn' }),
      metrics: createMetrics({ defaultMetrics: false }),
    });
    await stage.start({ fail: (error) => console.error(error) });
    proxy = await startKeyProxy(stage.url());
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await stage?.stop();
    await store?.close();
    rmSync(profileRoot, { recursive: true, force: true });
  });

  it('renders the OpenAPI page', async () => {
    const screenshot = path.join(screenshotDir, 'openapi-docs.png');
    await runChromium(`${stage.url()}/docs`, [`--screenshot=${screenshot}`]);
    expect(isPng(screenshot)).toBe(true);

    const dom = await runChromium(`${stage.url()}/docs`, ['--dump-dom']);
    expect(dom).toContain('CIEM query API');
    expect(dom).toContain('/v1/alerts/{alert_id}/ack');
    expect(dom).toContain('/v1/pipeline/status');
  });

  it('renders the HTML report', async () => {
    const url = `${proxyUrl}/v1/recommendations?format=html&account_id=${ACCOUNT}`;
    const screenshot = path.join(screenshotDir, 'recommendations-report.png');
    await runChromium(url, [`--screenshot=${screenshot}`]);
    expect(isPng(screenshot)).toBe(true);

    const dom = await runChromium(url, ['--dump-dom']);
    expect(dom).toMatch(/data-field="principals">2</);
    expect(dom).toContain('<svg id="score-chart"');
    expect(dom).toContain(APP_ROLE);
    expect(dom).toContain('iam:CreateUser');
  });
});
