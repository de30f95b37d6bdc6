/**
 * Opens the HTML reports in headless Chromium: takes a screenshot and dumps the DOM after
 * the page loaded, to show that a browser renders the page and that the numbers read from
 * the page are the report's. Needs Debian's chromium (`bash deploy/local/chromium.sh
 * install`); without it the suite is skipped with a message naming the missing browser.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { analyzeRightsizing } from '@ciem/rightsizing';
import { renderReports, reportFileName } from '@ciem/rightsizing-reports';
import { sampleResults } from '@ciem/rightsizing-reports/testing';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const chromium = process.env.CIEM_CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
if (!hasChromium) {
  console.warn(
    `Skipping the HTML report browser tests: ${chromium} not found. Install it with 'bash deploy/local/chromium.sh install' or set CIEM_CHROMIUM_PATH.`,
  );
}

const workDir = mkdtempSync(path.join(tmpdir(), 'ciem-report-html-'));
const reports = renderReports(sampleResults(), { generatedAt: Date.UTC(2026, 11, 4, 12) });

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs chromium headless on one file with a fresh profile and returns its stdout. */
async function runChromium(fileUrl: string, extra: string[]): Promise<string> {
  const profile = mkdtempSync(path.join(workDir, 'profile-'));
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
      '--window-size=1280,2000',
      ...extra,
      fileUrl,
    ],
    { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Reads width and height from a PNG's IHDR chunk, or throws when the signature is wrong. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature)) throw new Error('not a PNG signature');
  if (bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('no IHDR chunk');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function fieldValue(dom: string, field: string): string | undefined {
  return new RegExp(`data-field="${field}">([^<]*)<`).exec(dom)?.[1];
}

describe.skipIf(!hasChromium)('HTML report in chromium', () => {
  const payments = reports.find((report) => report.scope.key === 'payments');
  const gcp = reports.find((report) => report.scope.key === 'shop-prod');

  it('renders a PNG screenshot', async () => {
    expect(payments).toBeDefined();
    const file = path.join(workDir, reportFileName(payments!, 'html'));
    writeFileSync(file, payments!.html);
    const screenshot = path.join(workDir, 'payments.png');
    await runChromium(pathToFileURL(file).href, [`--screenshot=${screenshot}`]);

    const bytes = readFileSync(screenshot);
    expect(bytes.length).toBeGreaterThan(1_000);
    expect(pngSize(bytes)).toEqual({ width: 1280, height: 2000 });
  });

  it('shows the headline numbers', async () => {
    const file = path.join(workDir, reportFileName(payments!, 'html'));
    writeFileSync(file, payments!.html);
    const dom = await runChromium(pathToFileURL(file).href, ['--dump-dom']);

    // Team payments: ci-deployer (score 82, 4 removals, 3 high-risk) and reader (score 10,
    // no removal, one unobservable permission).
    expect(fieldValue(dom, 'principals')).toBe('2');
    expect(fieldValue(dom, 'removable_permissions')).toBe('4');
    expect(fieldValue(dom, 'high_risk_removable')).toBe('3');
    expect(fieldValue(dom, 'unobservable_permissions')).toBe('1');
    expect(fieldValue(dom, 'max_score')).toBe('82');
    expect(fieldValue(dom, 'mean_score')).toBe('46');
    expect(dom).toContain('<svg id="score-chart"');
    expect(dom).toContain('iam:CreateAccessKey');
  });

  it('keeps injected markup as text', async () => {
    const file = path.join(workDir, reportFileName(gcp!, 'html'));
    writeFileSync(file, gcp!.html);
    const dom = await runChromium(pathToFileURL(file).href, ['--dump-dom']);

    // The principal name is `<script>alert(1)</script>`: the parsed DOM must show it as
    // text, so it serializes escaped, and no script element exists.
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(dom).not.toMatch(/<script\b/i);
    expect(fieldValue(dom, 'never_used')).toBe('1');
  });

  it('renders analyzer results', async () => {
    // One AWS role granted three actions that used one of them inside a 30-day window.
    const windowEnd = Date.UTC(2026, 11, 4);
    const results = analyzeRightsizing(
      {
        principals: [
          {
            provider: 'aws',
            account_id: '777788889999',
            principal_id: 'arn:aws:iam::777788889999:role/app',
            principal_type: 'role',
            principal_name: 'app',
            tags: { team: 'checkout' },
            grants: ['ec2:DescribeInstances', 'iam:CreateUser', 'iam:DeleteUser'].map(
              (permission) => ({
                permission,
                resource: '*',
                conditional: false,
                via: 'inline:app',
              }),
            ),
            findings: [],
          },
        ],
        usage: [
          {
            provider: 'aws',
            account_id: '777788889999',
            principal_id: 'arn:aws:iam::777788889999:role/app',
            permission: 'ec2:DescribeInstances',
            visibility: 'logged',
            allowed_count: 5,
            denied_count: 0,
            first_seen: windowEnd - 20 * 86_400_000,
            last_seen: windowEnd - 86_400_000,
            resources: [],
          },
        ],
      },
      { windowEnd, windowDays: 30 },
    );
    const team = renderReports(results, { generatedAt: windowEnd }).find(
      (report) => report.scope.kind === 'team',
    );
    expect(team?.scope.key).toBe('checkout');
    const file = path.join(workDir, reportFileName(team!, 'html'));
    writeFileSync(file, team!.html);
    const dom = await runChromium(pathToFileURL(file).href, ['--dump-dom']);

    expect(fieldValue(dom, 'principals')).toBe('1');
    expect(fieldValue(dom, 'removable_permissions')).toBe('2');
    expect(dom).toContain('iam:CreateUser');
    // Serialized text escapes only &, < and >, so the policy's quotes appear as they are.
    expect(dom).toContain('"Version": "2012-10-17"');
  });
});
