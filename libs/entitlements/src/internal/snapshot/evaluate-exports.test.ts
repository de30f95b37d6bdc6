import { describe, expect, it } from 'vitest';
import { detectExportProvider, evaluateExportDocuments } from './evaluate-exports.js';

describe('detectExportProvider', () => {
  it('recognizes each provider shape', () => {
    expect(detectExportProvider({ UserDetailList: [], RoleDetailList: [] })).toBe('aws');
    expect(detectExportProvider([{ principalId: 'x', roleDefinitionId: 'y', scope: '/' }])).toBe(
      'azure',
    );
    expect(detectExportProvider({ value: [{ properties: { principalId: 'x' } }] })).toBe('azure');
    expect(detectExportProvider({ name: '//x', asset_type: 't', iam_policy: {} })).toBe('gcp');
    expect(detectExportProvider({ name: 'roles/x', includedPermissions: [] })).toBe('gcp');
    expect(detectExportProvider({ 'group:g@example.com': [] })).toBe('gcp');
    expect(detectExportProvider({ hello: 1 })).toBeUndefined();
  });
});

describe('evaluateExportDocuments', () => {
  it('splits mixed documents by provider', () => {
    const result = evaluateExportDocuments(
      [
        {
          source: 'gcp.json',
          value: {
            resource: 'projects/p1',
            policy: { bindings: [{ role: 'roles/viewer', members: ['user:a@example.com'] }] },
          },
        },
        {
          source: 'azure.json',
          value: [
            {
              principalId: 'cccccccc-0000-0000-0000-000000000001',
              principalType: 'User',
              roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
              scope: '/subscriptions/s1',
            },
          ],
        },
        { source: 'aws.json', value: { UserDetailList: 'not a list' } },
        { source: 'other.json', value: { hello: 1 } },
      ],
      { takenAt: 7 },
    );
    expect(result.snapshots.map((snapshot) => snapshot.header)).toEqual([
      { taken_at: 7, provider: 'azure', account_id: 's1' },
      { taken_at: 7, provider: 'gcp', account_id: 'p1' },
    ]);
    expect(result.documents).toEqual({ aws: 1, azure: 1, gcp: 1 });
    expect(result.problems.map((problem) => problem.source).sort()).toEqual([
      'aws.json',
      'gcp.json',
      'other.json',
    ]);
  });
});
