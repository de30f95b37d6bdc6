import { describe, expect, it } from 'vitest';
import { createMemorySink } from './memory-sink.js';
import { simulateEstate } from './simulate.js';

type Json = Record<string, unknown>;

async function files(): Promise<Map<string, string>> {
  const sink = createMemorySink();
  await simulateEstate(
    { seed: 'grants', start: Date.UTC(2026, 1, 2), principals: 40, days: 1, eventsPerDay: 1 },
    sink,
  );
  return sink.files;
}

describe('grant exports', () => {
  it('writes AWS authorization details in CLI shape', async () => {
    const all = await files();
    const details = [...all]
      .filter(([p]) => p.endsWith('/iam/authorization-details.json'))
      .map(([, t]) => JSON.parse(t) as Json);
    expect(details.length).toBeGreaterThan(1);
    for (const account of details) {
      expect(Object.keys(account)).toEqual([
        'UserDetailList',
        'GroupDetailList',
        'RoleDetailList',
        'Policies',
      ]);
      for (const role of account.RoleDetailList as Json[]) {
        expect((role.AssumeRolePolicyDocument as Json).Version).toBe('2012-10-17');
        expect(String(role.Arn)).toMatch(/^arn:aws:iam::\d{12}:role\//);
      }
      for (const user of account.UserDetailList as Json[]) {
        expect((user.Tags as Array<{ Key: string }>).some((t) => t.Key === 'team')).toBe(true);
      }
      for (const policy of account.Policies as Json[]) {
        const versions = policy.PolicyVersionList as Json[];
        expect(versions.filter((v) => v.IsDefaultVersion === true)).toHaveLength(1);
        const defaultVersion = versions.find((v) => v.IsDefaultVersion === true);
        expect(defaultVersion?.VersionId).toBe(policy.DefaultVersionId);
      }
    }
    const arns = details.flatMap((d) => (d.Policies as Json[]).map((p) => String(p.Arn)));
    expect(arns).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(arns.some((a) => a.startsWith('arn:aws:iam::aws:policy/service-role/'))).toBe(true);
    const documents = JSON.stringify(details);
    expect(documents).toContain('"NotAction"');
    expect(documents).toContain('"Effect":"Deny"');
  });

  it('writes Azure RBAC with built-in role ids', async () => {
    const all = await files();
    const definitions = JSON.parse(all.get('azure/role-definitions.json') ?? '[]') as Json[];
    const assignments = JSON.parse(all.get('azure/role-assignments.json') ?? '[]') as Json[];
    const owner = definitions.find((d) => d.roleName === 'Owner');
    expect(owner?.name).toBe('8e3af657-a8ff-443c-a75c-2fe8c4bcb635');
    expect(owner?.roleType).toBe('BuiltInRole');
    expect(definitions.some((d) => d.roleType === 'CustomRole')).toBe(true);
    const ids = new Set(definitions.map((d) => d.name));
    for (const assignment of assignments) {
      const definitionId = String(assignment.roleDefinitionId);
      expect(ids.has(definitionId.slice(definitionId.lastIndexOf('/') + 1))).toBe(true);
      expect(['User', 'ServicePrincipal']).toContain(assignment.principalType);
      expect(String(assignment.scope)).toMatch(/^\/subscriptions\/[0-9a-f-]{36}/);
    }
  });

  it('writes GCP asset lines and role definitions', async () => {
    const all = await files();
    const lines = (all.get('gcp/iam-policies.ndjson') ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json);
    const roles = JSON.parse(all.get('gcp/roles.json') ?? '[]') as Json[];
    const roleNames = new Set(roles.map((r) => r.name));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.asset_type).toBe('cloudresourcemanager.googleapis.com/Project');
      const bindings = (line.iam_policy as { bindings: Array<{ role: string; members: string[] }> })
        .bindings;
      for (const binding of bindings) {
        expect(roleNames.has(binding.role), binding.role).toBe(true);
        for (const member of binding.members) expect(member).toMatch(/^(user|serviceAccount):/);
      }
    }
    expect(roles.some((r) => String(r.name).startsWith('projects/'))).toBe(true);
    expect(roles.every((r) => Array.isArray(r.includedPermissions) && r.stage === 'GA')).toBe(true);
  });

  it('writes the id and number of every policy project', async () => {
    const all = await files();
    const parse = (name: string) =>
      (all.get(name) ?? '')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Json);
    const policyNames = parse('gcp/iam-policies.ndjson').map((line) => line.name);
    const resources = parse('gcp/resources.ndjson');
    expect(resources.map((line) => line.name).sort()).toEqual([...policyNames].sort());
    for (const line of resources) {
      const data = (line.resource as { data: Record<string, unknown> }).data;
      expect(line.name).toBe(
        `//cloudresourcemanager.googleapis.com/projects/${data.projectNumber}`,
      );
      expect(data.projectId).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    }
  });
});
