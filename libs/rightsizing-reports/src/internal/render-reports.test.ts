import { describe, expect, it } from 'vitest';
import { sampleResults } from '../testing/sample-results.js';
import { escapeHtml } from './html.js';
import { escapeMarkdown } from './markdown.js';
import { renderReports, reportFileName } from './render-reports.js';
import { buildReportModel, reportBaseName } from './report-model.js';

const generatedAt = Date.UTC(2026, 11, 4, 12);

describe('buildReportModel', () => {
  const model = buildReportModel({ kind: 'team', key: 'all' }, sampleResults(), { generatedAt });

  it('counts the headline numbers', () => {
    expect(model.headline).toEqual({
      principals: 4,
      active: 3,
      inactive: 0,
      never_used: 1,
      with_removals: 3,
      // 4 (ci-deployer) + 1 (Azure app) + 2 (GCP service account).
      removable_permissions: 7,
      // escalation + permissions management + write, write, write.
      high_risk_removable: 5,
      unobservable_permissions: 2,
      // (82 + 10 + 55 + 100) / 4 = 61.75.
      mean_score: 61.8,
      max_score: 100,
    });
  });

  it('sorts principals by score', () => {
    expect(model.top_principals.map((result) => result.score)).toEqual([100, 82, 55, 10]);
  });

  it('ranks high-risk removals by count', () => {
    expect(model.high_risk_removals[0]?.principal_id).toBe(
      'arn:aws:iam::111122223333:role/ci-deployer',
    );
    expect(model.high_risk_removals[0]?.permissions.map((entry) => entry.risk)).toEqual([
      'escalation',
      'permissions-management',
      'write',
    ]);
  });

  it('buckets scores by ten points', () => {
    // Scores 10, 55, 82 and 100 (100 falls in the last bucket).
    expect(model.score_histogram).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 1, 1]);
  });
});

describe('renderReports', () => {
  const reports = renderReports(sampleResults(), { generatedAt });

  it('renders per account and team', () => {
    expect(reports.map((report) => `${report.scope.kind}:${report.scope.key}`)).toEqual([
      'account:11111111-1111-1111-1111-111111111111',
      'account:111122223333',
      'account:444455556666',
      'account:shop-prod',
      'team:(none)',
      "team:=cmd|' /C calc'!A0",
      'team:payments',
    ]);
  });

  it('escapes HTML from the data', () => {
    const html = reports.map((report) => report.html).join('\n');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('embeds no external resources', () => {
    for (const report of reports) {
      expect(report.html).not.toMatch(/<(script|link|img|iframe)\b/i);
      expect(report.html).not.toMatch(/(src|href)=/i);
      expect(report.html).toContain('<svg id="score-chart"');
    }
  });

  it('includes the policy documents', () => {
    const payments = reports.find((report) => report.scope.key === 'payments');
    expect(payments?.html).toContain(escapeHtml('"Action": [\n        "s3:GetObject"'));
    expect(payments?.markdown).toContain('```json\n{\n  "Version": "2012-10-17"');
    const azure = reports.find((report) => report.scope.key === '(none)');
    expect(azure?.json).toContain('"AssignableScopes"');
  });

  it('states the window and log span', () => {
    const payments = reports.find((report) => report.scope.key === 'payments');
    const span =
      'Window: 90 days, 2026-09-05 00:00 UTC to 2026-12-04 00:00 UTC. Logs of these accounts: first event 2026-08-01 00:00 UTC, last event 2026-12-03 23:00 UTC, covering the whole window.';
    expect(payments?.markdown).toContain(span);
    expect(payments?.html).toContain(span);
  });

  it('parses the JSON report', () => {
    const payments = reports.find((report) => report.scope.key === 'payments');
    const parsed = JSON.parse(payments?.json ?? '{}') as Record<string, unknown>;
    expect(parsed.headline).toMatchObject({ principals: 2, removable_permissions: 4 });
    expect(parsed.top_principals).toEqual([
      'arn:aws:iam::111122223333:role/ci-deployer',
      'arn:aws:iam::444455556666:user/reader',
    ]);
  });
});

describe('reportBaseName', () => {
  it('keeps safe keys readable', () => {
    expect(reportBaseName({ kind: 'account', key: '111122223333' })).toBe('account-111122223333');
    expect(reportFileName({ baseName: 'team-payments' }, 'markdown')).toBe('team-payments.md');
  });

  it('hashes keys with unsafe characters', () => {
    const name = reportBaseName({ kind: 'team', key: '../etc/passwd' });
    expect(name).toMatch(/^team-[A-Za-z0-9._-]+-[0-9a-f]{8}$/);
    expect(name).not.toContain('/');
    expect(reportBaseName({ kind: 'team', key: 'a/b' })).not.toBe(
      reportBaseName({ kind: 'team', key: 'a_b' }),
    );
  });
});

describe('escapeMarkdown', () => {
  it('escapes table and link syntax', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('[x](http://h)')).toBe('\\[x\\]\\(http://h\\)');
    expect(escapeMarkdown('<b>\nnext')).toBe('\\<b\\> next');
  });
});
