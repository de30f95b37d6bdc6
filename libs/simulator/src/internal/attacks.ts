import { AWS_CREATE_FUNCTION, AWS_GET_CALLER_IDENTITY, awsCall } from './catalog/aws-catalog.js';
import { azureCall } from './catalog/azure-catalog.js';
import { gcpCall } from './catalog/gcp-catalog.js';
import type { ApiCall, Provider } from './catalog/types.js';
import type { PlannedCall } from './activity/schedule.js';
import { DAY_MS } from './activity/schedule.js';
import { FOREIGN_ADDRESSES } from './estate/common.js';
import type { Estate, Principal } from './estate/model.js';

export type AttackKind = 'privilege-escalation' | 'logging-tampering' | 'key-misuse';

/** One planted event as the ground truth lists it. */
export interface PlantedEvent {
  /**
   * CloudTrail `eventID`, GCP `insertId`; for Azure, whose diagnostic-settings records carry
   * no id, `<correlationId>:<resultType>`, which is unique per record.
   */
  readonly eventId: string;
  readonly time: string;
  readonly operation: string;
  readonly outcome: 'success' | 'denied';
  readonly sourceIp: string;
}

/** A planted attack: who, when, which steps, and (after generation) which events. */
export interface Attack {
  readonly kind: AttackKind;
  readonly provider: Provider;
  readonly principal: Principal;
  readonly day: number;
  readonly description: string;
  readonly steps: PlannedCall[];
  readonly events: PlantedEvent[];
  readonly countries?: string[];
}

const MINUTE = 60_000;

interface AttackStep {
  minute: number;
  call: ApiCall;
  detail?: Record<string, string>;
  ip?: string;
  agent?: string;
}

/**
 * Chooses attack principals and steps. Each attack runs late in the UTC evening of the day
 * at 60% of the period, by the first principal whose grants allow every step and whose
 * profile has regular activity (never a dormant or never-used one, so those stay true).
 */
export function planAttacks(estate: Estate): Attack[] {
  const day = Math.min(estate.days - 1, Math.floor(estate.days * 0.6));
  const dayStart = estate.start + day * DAY_MS;
  const attacks: Attack[] = [];
  const active = (p: Principal): boolean =>
    p.profile === 'right-sized' || p.profile === 'over-privileged';
  const add = (
    kind: AttackKind,
    provider: Provider,
    description: string,
    startMinute: number,
    choose: (p: Principal) => boolean,
    steps: (p: Principal) => AttackStep[],
    countries?: string[],
  ): void => {
    const candidates = estate.principals.filter((p) => p.provider === provider && active(p));
    const principal = candidates.find(choose);
    if (!principal) return;
    const index = attacks.length;
    const planned = steps(principal).map<PlannedCall>((step) => ({
      time:
        dayStart +
        (22 * 60 + startMinute + step.minute) * MINUTE +
        ((index * 7919 + step.minute * 104_729) % 50_000),
      call: step.call,
      denied: !principal.isAllowed(step.call),
      attackIndex: index,
      ...(step.detail ? { detail: step.detail } : {}),
      ...(step.ip ? { sourceIp: step.ip } : {}),
      ...(step.agent ? { userAgent: step.agent } : {}),
    }));
    attacks.push({
      kind,
      provider,
      principal,
      day,
      description,
      steps: planned,
      events: [],
      ...(countries ? { countries } : {}),
    });
  };
  const allows =
    (...calls: ApiCall[]) =>
    (p: Principal): boolean =>
      calls.every((c) => p.isAllowed(c));

  // AWS: rewrite a customer managed policy, attach AdministratorAccess to oneself, then run
  // code as a more privileged role through PassRole + CreateFunction.
  const createPolicyVersion = awsCall('aws:iam-admin', 'CreatePolicyVersion');
  const attachUserPolicy = awsCall('aws:iam-admin', 'AttachUserPolicy');
  add(
    'privilege-escalation',
    'aws',
    'CreatePolicyVersion on a customer managed policy, AttachUserPolicy AdministratorAccess to self, PassRole with CreateFunction',
    0,
    (p) =>
      p.aws?.kind === 'user' &&
      allows(createPolicyVersion, attachUserPolicy, AWS_CREATE_FUNCTION)(p),
    (p): AttackStep[] => {
      const account = p.aws?.accountId ?? '';
      const adminRole = estate.principals.find(
        (q) => q.aws?.accountId === account && q.archetype === 'admin-role',
      );
      return [
        { minute: 0, call: awsCall('aws:iam-read', 'ListRoles') },
        {
          minute: 1,
          call: awsCall('aws:iam-read', 'GetPolicy'),
          detail: { policyArn: `arn:aws:iam::${account}:policy/DenyLoggingChanges` },
        },
        {
          minute: 3,
          call: createPolicyVersion,
          detail: {
            policyArn: `arn:aws:iam::${account}:policy/DenyLoggingChanges`,
            policyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
            }),
          },
        },
        {
          minute: 5,
          call: attachUserPolicy,
          detail: {
            userName: p.aws?.name ?? p.name,
            policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
          },
        },
        {
          minute: 8,
          call: AWS_CREATE_FUNCTION,
          detail: {
            functionName: 'maintenance-task',
            roleArn: adminRole?.id ?? `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
          },
        },
        {
          minute: 9,
          call: awsCall('aws:lambda-invoke', 'Invoke'),
          detail: { functionName: 'maintenance-task' },
        },
      ];
    },
  );

  const stopLogging = awsCall('aws:cloudtrail-admin', 'StopLogging');
  add(
    'logging-tampering',
    'aws',
    'PutEventSelectors to drop management events, StopLogging, DeleteTrail',
    40,
    (p) =>
      allows(stopLogging, awsCall('aws:cloudtrail-admin', 'DeleteTrail'))(p) &&
      p.aws?.assumedBy !== 'service',
    () => [
      { minute: 0, call: awsCall('aws:cloudtrail-read', 'DescribeTrails') },
      { minute: 1, call: awsCall('aws:cloudtrail-read', 'GetEventSelectors') },
      { minute: 2, call: awsCall('aws:cloudtrail-admin', 'PutEventSelectors') },
      { minute: 4, call: stopLogging },
      { minute: 6, call: awsCall('aws:cloudtrail-admin', 'DeleteTrail') },
    ],
  );

  // The same long-term access key from ten addresses in ten countries within half an hour.
  const misuseAddresses = FOREIGN_ADDRESSES.slice(0, 10);
  add(
    'key-misuse',
    'aws',
    'One access key used from ten new addresses in different countries within 30 minutes',
    80,
    (p) =>
      p.aws?.accessKeyId !== undefined && p.usedGroups.some((g) => g.calls.some((c) => c.readOnly)),
    (p): AttackStep[] => {
      const reads = p.usedGroups.flatMap((g) =>
        g.calls.filter((c) => c.readOnly && c.name !== 'AssumeRole'),
      );
      return misuseAddresses.flatMap((address, i) => [
        { minute: i * 3, call: AWS_GET_CALLER_IDENTITY, ip: address.ip, agent: ATTACKER_AGENT },
        {
          minute: i * 3 + 1,
          call: reads[i % reads.length] as ApiCall,
          ip: address.ip,
          agent: ATTACKER_AGENT,
        },
      ]);
    },
    misuseAddresses.map((a) => a.country),
  );

  const roleAssignmentWrite = azureCall(
    'azure:authorization-write',
    'Microsoft.Authorization/roleAssignments/write',
  );
  add(
    'privilege-escalation',
    'azure',
    'Microsoft.Authorization/roleAssignments/write granting Owner on the subscription',
    10,
    allows(roleAssignmentWrite),
    () => [{ minute: 0, call: roleAssignmentWrite, detail: { roleName: 'Owner' } }],
  );
  const diagnosticDelete = azureCall(
    'azure:monitoring-manage',
    'Microsoft.Insights/diagnosticSettings/delete',
  );
  add(
    'logging-tampering',
    'azure',
    'Microsoft.Insights/diagnosticSettings/delete on the subscription export',
    50,
    allows(diagnosticDelete),
    () => [{ minute: 0, call: diagnosticDelete }],
  );

  const setIamPolicy = gcpCall('gcp:iam-admin', 'SetIamPolicy');
  const createKey = gcpCall('gcp:iam-admin', 'google.iam.admin.v1.CreateServiceAccountKey');
  add(
    'privilege-escalation',
    'gcp',
    'SetIamPolicy adding roles/owner for an outside account, then CreateServiceAccountKey',
    20,
    allows(setIamPolicy, createKey),
    () => [
      { minute: 0, call: gcpCall('gcp:iam-read', 'GetIamPolicy') },
      {
        minute: 1,
        call: setIamPolicy,
        detail: { role: 'roles/owner', member: 'user:backup-admin@example.net' },
      },
      { minute: 3, call: createKey },
    ],
  );
  const deleteSink = gcpCall('gcp:logging-admin', 'google.logging.v2.ConfigServiceV2.DeleteSink');
  add(
    'logging-tampering',
    'gcp',
    'google.logging.v2.ConfigServiceV2.DeleteSink on the audit export sink',
    60,
    allows(deleteSink),
    () => [
      {
        minute: 0,
        call: gcpCall('gcp:logging-admin', 'google.logging.v2.ConfigServiceV2.ListSinks'),
      },
      { minute: 2, call: deleteSink, detail: { sink: 'audit-export' } },
    ],
  );
  return attacks;
}

const ATTACKER_AGENT = 'aws-cli/1.16.312 Python/3.6.9 Linux/4.15.0-72-generic botocore/1.13.48';

/** Indexes attack steps by principal key and day for the generators. */
export function indexAttackSteps(attacks: readonly Attack[]): Map<string, PlannedCall[]> {
  const index = new Map<string, PlannedCall[]>();
  for (const attack of attacks) {
    const key = `${attack.principal.key}|${attack.day}`;
    const list = index.get(key) ?? [];
    list.push(...attack.steps);
    index.set(key, list);
  }
  return index;
}
