/**
 * Hand-made right-sizing results for tests of the reports, their delivery and storage. The
 * values follow the provider documents: the AWS policy uses the IAM JSON grammar, the Azure
 * role the `az role definition create` form, the GCP set predefined role names.
 */
import type { RightsizingResult } from '@ciem/rightsizing';

const window = {
  start: Date.UTC(2026, 8, 5),
  end: Date.UTC(2026, 11, 4),
  days: 90,
  days_observed: 90,
  // Logs from before the window up to an hour before its end.
  first_event: Date.UTC(2026, 7, 1),
  last_event: Date.UTC(2026, 11, 3, 23),
};

const scoreInputs = {
  observable_granted: 0,
  observable_unused: 0,
  weighted_granted: 0,
  weighted_unused: 0,
  unused_share: 0,
  idle_days: 0,
  inactivity: 0,
};

const confidence = {
  value: 0.9,
  inputs: { window_coverage: 1, unobservable_share: 0, account_has_data: true },
};

/**
 * Four principals in two AWS accounts, one Azure subscription and one GCP project:
 * - `ci-deployer` (team `payments`, score 82) removes iam:CreateAccessKey (escalation),
 *   iam:PutRolePolicy (permissions management), s3:DeleteObject (write), s3:ListBucket (list);
 * - `reader` (team `payments`, score 10) removes nothing and has one unobservable permission;
 * - the Azure app (no team, score 55) removes one write operation;
 * - the GCP service account (team `=cmd|' /C calc'!A0`, a formula-injection probe, score 100,
 *   never used) is recommended for removal. Its name carries an HTML injection probe.
 */
export function sampleResults(): RightsizingResult[] {
  return [
    {
      provider: 'aws',
      account_id: '111122223333',
      principal_id: 'arn:aws:iam::111122223333:role/ci-deployer',
      principal_type: 'role',
      principal_name: 'ci-deployer',
      team: 'payments',
      status: 'active',
      last_activity: Date.UTC(2026, 11, 1),
      window,
      used: [{ permission: 's3:GetObject', last_used: Date.UTC(2026, 11, 1), count: 40 }],
      unused: [
        { permission: 'iam:CreateAccessKey', risk: 'escalation', service: 'iam' },
        { permission: 'iam:PutRolePolicy', risk: 'permissions-management', service: 'iam' },
        { permission: 's3:DeleteObject', risk: 'write', service: 's3' },
        { permission: 's3:ListBucket', risk: 'list', service: 's3' },
      ],
      unobservable: [],
      unused_services: ['iam'],
      score: 82,
      score_inputs: scoreInputs,
      recommendation: {
        kind: 'aws-policy',
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }],
        },
        removes: ['iam:CreateAccessKey', 'iam:PutRolePolicy', 's3:DeleteObject', 's3:ListBucket'],
      },
      confidence,
      findings: [],
    },
    {
      provider: 'aws',
      account_id: '444455556666',
      principal_id: 'arn:aws:iam::444455556666:user/reader',
      principal_type: 'user',
      principal_name: 'reader',
      team: 'payments',
      status: 'active',
      last_activity: Date.UTC(2026, 11, 2),
      window,
      used: [{ permission: 's3:GetObject', last_used: Date.UTC(2026, 11, 2), count: 3 }],
      unused: [],
      unobservable: [{ permission: 's3:PutObject', reason: 'data-event-not-enabled' }],
      unused_services: [],
      score: 10,
      score_inputs: scoreInputs,
      recommendation: { kind: 'none', document: null, removes: [] },
      confidence,
      findings: [],
    },
    {
      provider: 'azure',
      account_id: '11111111-1111-1111-1111-111111111111',
      principal_id: 'cccccccc-0000-0000-0000-000000000002',
      principal_type: 'service-principal',
      principal_name: 'deploy-app',
      team: null,
      status: 'active',
      last_activity: Date.UTC(2026, 10, 20),
      window,
      used: [
        {
          permission: 'microsoft.compute/virtualmachines/read',
          last_used: Date.UTC(2026, 10, 20),
          count: 5,
        },
      ],
      unused: [
        {
          permission: 'microsoft.compute/virtualmachines/write',
          risk: 'write',
          service: 'microsoft.compute',
        },
      ],
      unobservable: [],
      unused_services: [],
      score: 55,
      score_inputs: scoreInputs,
      recommendation: {
        kind: 'azure-custom-role',
        document: {
          Name: 'deploy-app least privilege',
          IsCustom: true,
          Description: 'Operations deploy-app used from 2026-09-05 to 2026-12-04.',
          Actions: ['Microsoft.Compute/virtualMachines/read'],
          NotActions: [],
          DataActions: [],
          NotDataActions: [],
          AssignableScopes: ['/subscriptions/11111111-1111-1111-1111-111111111111'],
        },
        removes: ['microsoft.compute/virtualmachines/write'],
      },
      confidence,
      findings: [],
    },
    {
      provider: 'gcp',
      account_id: 'shop-prod',
      principal_id: 'serviceAccount:batch@shop-prod.iam.gserviceaccount.com',
      principal_type: 'service-account',
      principal_name: '<script>alert(1)</script>',
      team: "=cmd|' /C calc'!A0",
      status: 'never-used',
      last_activity: null,
      window,
      used: [],
      unused: [
        { permission: 'storage.objects.delete', risk: 'write', service: 'storage' },
        { permission: 'storage.objects.list', risk: 'list', service: 'storage' },
      ],
      unobservable: [{ permission: 'storage.objects.get', reason: 'data-event-not-enabled' }],
      unused_services: ['storage'],
      score: 100,
      score_inputs: scoreInputs,
      recommendation: {
        kind: 'remove-principal',
        document: null,
        removes: ['storage.objects.delete', 'storage.objects.list'],
      },
      confidence,
      findings: [],
    },
  ];
}
