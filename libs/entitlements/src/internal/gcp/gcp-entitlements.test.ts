import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CompactPrincipalEntitlements } from '../model/compact-entitlements.js';
import { effectivePermissionNames, iterateGrants } from '../model/compact-entitlements.js';
import { parseExportText } from '../snapshot/export-documents.js';
import { evaluateGcpEntitlements, gcpGrantGroupsOn } from './gcp-entitlements.js';
import { readGcpExports } from './gcp-export.js';
import { gcpResourceCovers } from './gcp-hierarchy.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function load(...names: string[]) {
  const documents = names.flatMap(
    (name) => parseExportText(name, readFileSync(path.join(fixtures, name), 'utf8')).documents,
  );
  return readGcpExports(documents);
}

const ORG = '//cloudresourcemanager.googleapis.com/organizations/100';
const FOLDER = '//cloudresourcemanager.googleapis.com/folders/200';
const PROJECT = '//cloudresourcemanager.googleapis.com/projects/300';
const BUCKET = '//storage.googleapis.com/public-assets';
const CI = 'serviceAccount:ci@shop-prod.iam.gserviceaccount.com';

function principal(
  principals: readonly CompactPrincipalEntitlements[],
  id: string,
): CompactPrincipalEntitlements {
  const found = principals.find((candidate) => candidate.principal_id === id);
  if (found === undefined) throw new Error(`principal ${id} missing`);
  return found;
}

describe('evaluateGcpEntitlements', () => {
  const result = evaluateGcpEntitlements(
    load('iam-policies.ndjson', 'resources.ndjson', 'roles.json', 'group-members.json'),
    { takenAt: 1_700_000_000_000 },
  );

  it('inherits folder bindings into projects', () => {
    const alice = principal(result.principals, 'user:alice@example.com');
    expect([...iterateGrants(alice)].map((grant) => [grant.permission, grant.resource])).toEqual([
      ['storage.objects.get', FOLDER],
      ['storage.objects.list', FOLDER],
    ]);
    expect(gcpResourceCovers(FOLDER, PROJECT, result.hierarchy)).toBe(true);
    expect(gcpResourceCovers(FOLDER, BUCKET, result.hierarchy)).toBe(true);
    expect(gcpResourceCovers(PROJECT, FOLDER, result.hierarchy)).toBe(false);
    expect(gcpGrantGroupsOn(alice, PROJECT, result.hierarchy)).toHaveLength(1);
    expect(alice.account_id).toBe('organizations/100');
  });

  it('expands custom roles and finds escalation', () => {
    const bob = principal(result.principals, 'user:bob@example.com');
    expect(effectivePermissionNames(bob)).toEqual([
      'compute.instances.create',
      'iam.roles.update',
      'iam.serviceAccounts.actAs',
    ]);
    expect(bob.account_id).toBe('shop-prod');
    expect(bob.findings.map((finding) => [finding.severity, finding.path])).toEqual([
      ['high', ['user:bob@example.com', 'iam.roles.update', 'projects/shop-prod/roles/deployer']],
      [
        'critical',
        ['user:bob@example.com', 'iam.serviceAccounts.actAs', CI, 'roles/owner', PROJECT],
      ],
    ]);
  });

  it('reports owner as admin equivalent', () => {
    const ci = principal(result.principals, CI);
    expect(ci.principal_type).toBe('service-account');
    expect(ci.findings[0]).toMatchObject({
      kind: 'admin-equivalent',
      severity: 'critical',
      path: [CI, 'roles/owner', PROJECT],
    });
  });

  it('keeps binding conditions on grants', () => {
    const carol = principal(result.principals, 'user:carol@example.com');
    const grants = [...iterateGrants(carol)];
    expect(grants).toHaveLength(2);
    for (const grant of grants) {
      expect(grant.conditional).toBe(true);
      expect(JSON.parse(grant.conditions ?? '{}')).toEqual({
        expression: 'request.time < timestamp("2030-01-01T00:00:00Z")',
        title: 'expires 2030',
      });
    }
  });

  it('gives group members impersonation paths', () => {
    const erin = principal(result.principals, 'user:erin@example.com');
    expect(effectivePermissionNames(erin)).toEqual([
      'iam.serviceAccounts.getAccessToken',
      'iam.serviceAccounts.signJwt',
    ]);
    expect(erin.findings.map((finding) => finding.path)).toEqual([
      [
        'user:erin@example.com',
        'group:devs@example.com',
        'iam.serviceAccounts.getAccessToken',
        CI,
        'roles/owner',
        PROJECT,
      ],
      [
        'user:erin@example.com',
        'group:devs@example.com',
        'iam.serviceAccounts.signJwt',
        CI,
        'roles/owner',
        PROJECT,
      ],
    ]);
  });

  it('reports public members', () => {
    const everyone = principal(result.principals, 'allUsers');
    expect(everyone.findings).toEqual([
      expect.objectContaining({
        kind: 'public-exposure',
        severity: 'high',
        path: ['allUsers', 'roles/storage.objectViewer', BUCKET],
      }),
    ]);
    expect(result.stats.publicBindings).toBe(1);
  });

  it('resolves projectOwner to project owners', () => {
    const ci = principal(result.principals, CI);
    const onBucket = [...iterateGrants(ci)].filter((grant) => grant.resource === BUCKET);
    expect(onBucket.map((grant) => grant.permission)).toEqual([
      'storage.objects.get',
      'storage.objects.list',
    ]);
  });

  it('keeps unknown roles as patterns', () => {
    const dave = principal(result.principals, 'user:dave@example.com');
    expect(effectivePermissionNames(dave)).toEqual(['roles/unknown.role']);
    expect(result.stats.unknownRoles).toBe(1);
    expect(result.problems.map((problem) => problem.code)).toEqual([
      'CIEM_ENTITLEMENTS_UNKNOWN_ROLE',
    ]);
  });

  it('names the organization as account', () => {
    expect(result.header).toEqual({
      taken_at: 1_700_000_000_000,
      provider: 'gcp',
      account_id: 'organizations/100',
    });
    expect(result.stats).toMatchObject({ policies: 3, bindings: 7, roles: 4 });
    expect(ORG).toBe(result.hierarchy.ancestorsOf(PROJECT)[1]);
  });
});

describe('evaluateGcpEntitlements with getIamPolicy output', () => {
  const result = evaluateGcpEntitlements(load('get-iam-policy.json'), { takenAt: 0 });

  it('reads every member kind', () => {
    expect(result.principals.map((entry) => [entry.principal_id, entry.principal_type])).toEqual([
      ['allAuthenticatedUsers', 'all-authenticated-users'],
      ['deleted:user:gone@example.com?uid=123456789', 'deleted-user'],
      [
        'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/group/eng',
        'federated-principal-set',
      ],
      ['user:frank@example.com', 'user'],
    ]);
  });

  it('reports editor and public project access', () => {
    const frank = principal(result.principals, 'user:frank@example.com');
    expect(frank.findings).toEqual([
      expect.objectContaining({ kind: 'admin-equivalent', severity: 'high' }),
    ]);
    const authenticated = principal(result.principals, 'allAuthenticatedUsers');
    expect(authenticated.findings).toEqual([
      expect.objectContaining({ kind: 'public-exposure', severity: 'critical' }),
    ]);
    expect(result.header.account_id).toBe('shop-dev');
  });
});
