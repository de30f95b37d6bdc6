import type { PermissionRisk, RightsizingResult, UnusedPermission } from '@ciem/rightsizing';
import { describe, expect, it } from 'vitest';
import { sampleResults } from '../testing/sample-results.js';
import { escapeMarkdown } from './markdown.js';
import { renderReport } from './render-reports.js';
import { groupByService } from './service-groups.js';

// An admin principal (`Action: "*"`) that used one action: about 22,000 AWS actions in some
// 400 services go unused, as in a real account's authorization details.
const SERVICES = 400;
const ACTIONS_PER_SERVICE = 55;

function adminResult(name: string): RightsizingResult {
  const base = sampleResults()[0] as RightsizingResult;
  const unused: UnusedPermission[] = [];
  for (let service = 0; service < SERVICES; service += 1) {
    for (let action = 0; action < ACTIONS_PER_SERVICE; action += 1) {
      unused.push({
        permission: `svc${service}:Action${action}`,
        // The first service has escalation actions, the rest writes and reads.
        risk: riskOf(service, action),
        service: `svc${service}`,
      });
    }
  }
  const unobservable = Array.from({ length: 2000 }, (_, index) => ({
    permission: `svc${index % 40}:Get${index}`,
    reason: 'data-event-not-enabled' as const,
  }));
  return {
    ...base,
    principal_id: `arn:aws:iam::111122223333:role/${name}`,
    principal_name: name,
    unused,
    unobservable,
    recommendation: { ...base.recommendation, removes: unused.map((entry) => entry.permission) },
  };
}

describe('reports of admin principals', () => {
  const results = [adminResult('admin-a'), adminResult('admin-b'), adminResult('admin-c')];
  const removed = SERVICES * ACTIONS_PER_SERVICE;
  const report = renderReport({ kind: 'account', key: '111122223333' }, results, {
    generatedAt: Date.UTC(2026, 11, 4),
  });

  it('keeps HTML and Markdown small', () => {
    // Listing 66,000 removals one by one took megabytes; grouped, each page stays small.
    expect(report.html.length).toBeLessThan(150_000);
    expect(report.markdown.length).toBeLessThan(150_000);
  });

  it('groups removals by service', () => {
    // 25 services named, each with 5 actions and the count of the rest.
    expect(report.markdown).toContain(
      `Removes ${removed}: **svc0** (55): svc0:Action0, svc0:Action1, svc0:Action2, svc0:Action3, svc0:Action4, … and 50 more;`,
    );
    expect(report.markdown).toContain(
      `… and ${SERVICES - 25} more services with ${(SERVICES - 25) * ACTIONS_PER_SERVICE} permissions`,
    );
    expect(report.html).toContain(
      '<li><strong>svc0</strong> (55): <code>svc0:Action0</code>, <code>svc0:Action1</code>',
    );
    expect(report.html).toContain(`<p>Removes ${removed}:</p>`);
    expect(report.html).not.toContain('svc0:Action5<');
  });

  it('groups unobservable permissions by reason', () => {
    // 2,000 permissions over 40 services: 50 each.
    const principal = escapeMarkdown('arn:aws:iam::111122223333:role/admin-a');
    expect(report.markdown).toContain(
      `| ${principal} | data-event-not-enabled | 2000 | **svc0** (50): svc0:Get0, svc0:Get40,`,
    );
  });

  it('keeps every removal in CSV and JSON', () => {
    // Header plus one row per principal and removed permission.
    expect(report.csv.trimEnd().split('\r\n')).toHaveLength(1 + 3 * removed);
    const json = JSON.parse(report.json) as { principals: RightsizingResult[] };
    expect(json.principals.map((result) => result.recommendation.removes.length)).toEqual([
      removed,
      removed,
      removed,
    ]);
  });
});

describe('groupByService', () => {
  it('counts and limits per service', () => {
    const entries = [
      { permission: 's3:GetObject', service: 's3' },
      { permission: 'ec2:RunInstances', service: 'ec2' },
      { permission: 's3:PutObject', service: 's3' },
      { permission: 's3:DeleteObject', service: 's3' },
    ];
    expect(groupByService(entries, { permissionsPerService: 2, services: 1 })).toEqual({
      total: 4,
      groups: [{ service: 's3', count: 3, shown: ['s3:GetObject', 's3:PutObject'], more: 1 }],
      more_services: 1,
      more_services_permissions: 1,
    });
  });

  it('keeps riskiest service first', () => {
    // Entries sorted by risk: one escalation action, then three writes.
    const entries = [
      { permission: 'iam:CreateAccessKey', service: 'iam' },
      { permission: 'ec2:RunInstances', service: 'ec2' },
      { permission: 'ec2:StopInstances', service: 'ec2' },
      { permission: 'ec2:StartInstances', service: 'ec2' },
    ];
    const services = (order: 'count' | 'first') =>
      groupByService(entries, {}, order).groups.map((group) => group.service);
    expect(services('first')).toEqual(['iam', 'ec2']);
    expect(services('count')).toEqual(['ec2', 'iam']);
  });
});

function riskOf(service: number, action: number): PermissionRisk {
  if (service === 0) return 'escalation';
  return action % 2 === 0 ? 'write' : 'read';
}
