import { diffSnapshots, evaluateExportDocuments } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { formatDiff, formatProblems, formatSummary } from './entitlements.js';

const policy = (members: string[]) => ({
  source: 'policy.json',
  value: {
    resource: 'projects/shop',
    policy: { bindings: [{ role: 'roles/owner', members }] },
  },
});

describe('entitlements command output', () => {
  it('summarizes each principal', () => {
    const evaluation = evaluateExportDocuments([policy(['user:a@example.com'])], { takenAt: 0 });
    const text = formatSummary(evaluation);
    expect(text).toContain('gcp shop: 1 principals');
    expect(text).toMatch(/user:a@example\.com\s+user\s+1\s+yes\s+critical admin-equivalent/);
    expect(text).toContain('problems: 1');
  });

  it('lists added grants in a diff', () => {
    const before = evaluateExportDocuments([policy(['user:a@example.com'])], { takenAt: 0 });
    const after = evaluateExportDocuments([policy(['user:a@example.com', 'user:b@example.com'])], {
      takenAt: 1,
    });
    const text = formatDiff(
      diffSnapshots(
        { principals: before.snapshots.flatMap((snapshot) => snapshot.principals) },
        { principals: after.snapshots.flatMap((snapshot) => snapshot.principals) },
      ),
    );
    expect(text).toContain('added gcp user:b@example.com (user)');
    expect(text).toContain(
      '  + roles/owner on //cloudresourcemanager.googleapis.com/projects/shop',
    );
    expect(text).toContain('1 principals added, 0 removed; 1 grants added, 0 removed');
  });

  it('folds repeated problems per file', () => {
    // Predefined GCP roles: deprecated ones list no permissions, so no export shape matches.
    const role = (line: number, value: object) => ({ source: 'roles.ndjson', line, value });
    const lines = [1, 2, 3, 4, 5].map((line) =>
      role(line, { name: `roles/old${line}`, stage: 'DEPRECATED', title: 'Old' }),
    );
    const evaluation = evaluateExportDocuments(lines, { takenAt: 0 });
    const text = formatProblems(evaluation.problems);
    const printed = text.trimEnd().split('\n');
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('CIEM_ENTITLEMENTS_UNKNOWN_RECORD: roles.ndjson line 1 ');
    expect(printed[1]).toBe(
      'ciem: CIEM_ENTITLEMENTS_UNKNOWN_RECORD: and 4 more like it in roles.ndjson (line 2, line 3, line 4 … and 1 more)',
    );
  });
});
