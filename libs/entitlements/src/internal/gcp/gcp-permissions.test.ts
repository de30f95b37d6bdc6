import { describe, expect, it } from 'vitest';
import { detectExportProvider, evaluateExportDocuments } from '../snapshot/evaluate-exports.js';
import { readGcpExports } from './gcp-export.js';

// `gcloud iam list-testable-permissions --format=json` prints IAM v1 `Permission` objects.
// The default level SUPPORTED has no field ("Create and manage custom roles",
// https://cloud.google.com/iam/docs/creating-custom-roles, whose example lists
// appengine.applications.disable as TESTING).
const gcloudOutput = [
  { name: 'appengine.applications.create', stage: 'GA', title: 'Create Application' },
  {
    customRolesSupportLevel: 'TESTING',
    name: 'appengine.applications.disable',
    stage: 'GA',
    title: 'Disable Application',
  },
];

describe('GCP testable permission records', () => {
  it('detects gcloud output as GCP', () => {
    expect(detectExportProvider(gcloudOutput)).toBe('gcp');
    expect(detectExportProvider({ permissions: gcloudOutput, nextPageToken: 'x' })).toBe('gcp');
  });

  it('reads support levels from gcloud output', () => {
    const exported = readGcpExports([{ source: 'testable.json', value: gcloudOutput }]);
    expect(exported.problems).toEqual([]);
    expect([...exported.permissionSupport]).toEqual([
      ['appengine.applications.create', 'SUPPORTED'],
      ['appengine.applications.disable', 'TESTING'],
    ]);
  });

  it('evaluates permission pages without problems', () => {
    const evaluation = evaluateExportDocuments(
      [{ source: 'testable.json', value: { permissions: gcloudOutput } }],
      { takenAt: 0 },
    );
    expect(evaluation.problems).toEqual([]);
    expect(evaluation.documents.gcp).toBe(1);
  });

  it('leaves Azure CLI role definitions to Azure', () => {
    const definition = {
      roleName: 'Reader',
      permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
    };
    expect(detectExportProvider([definition])).toBe('azure');
  });

  it('reports an unknown support level', () => {
    const exported = readGcpExports([
      {
        source: 'testable.json',
        value: [{ name: 'storage.objects.get', customRolesSupportLevel: 'MAYBE' }],
      },
    ]);
    expect(exported.permissionSupport.size).toBe(0);
    expect(exported.problems).toMatchObject([
      { code: 'CIEM_ENTITLEMENTS_INVALID_RECORD', field: 'customRolesSupportLevel' },
    ]);
  });
});
