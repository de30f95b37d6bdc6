import { GCP_DATA_RESOURCES, gcpCall } from '../catalog/gcp-catalog.js';
import type { ApiCall } from '../catalog/types.js';
import type { GcpProject } from '../estate/model.js';
import { Prng } from '../prng.js';
import { BufferedFile } from '../sink.js';
import { dayParts, notePlanted, withAttackSteps } from './context.js';
import type { GeneratorContext } from './context.js';
import { isActiveOn, planDay } from './schedule.js';
import type { PlannedCall } from './schedule.js';

const GENERATE_ACCESS_TOKEN = gcpCall('gcp:impersonate', 'GenerateAccessToken');

interface Caller {
  readonly email: string;
  readonly ip: string;
  readonly userAgent: string;
  /** The user behind an impersonated service account. */
  readonly delegatedFrom: string | undefined;
}

/**
 * Writes one day of Cloud Audit Logs for one project as LogEntry lines. Service accounts
 * that admins impersonate act through `serviceAccountDelegationInfo`, after the admin's own
 * `GenerateAccessToken` call.
 */
export async function writeGcpDay(
  context: GeneratorContext,
  project: GcpProject,
  day: number,
  dayStart: number,
): Promise<void> {
  const { date } = dayParts(dayStart);
  const file = new BufferedFile(
    context.sink,
    `gcp/audit/${project.id}/${date}.ndjson`,
    context.stats,
  );
  let wrote = false;
  const emit = async (entry: Record<string, unknown>): Promise<void> => {
    await file.write(`${JSON.stringify(entry)}\n`);
    wrote = true;
    context.events.gcp++;
  };

  for (const principal of context.estate.principals) {
    if (principal.gcp?.projectId !== project.id) continue;
    const rng = new Prng(context.seed, 'activity', principal.key, day);
    const calls = withAttackSteps(
      context,
      principal,
      day,
      planDay(rng, principal, day, dayStart, context.eventsPerDay),
    );
    if (calls.length === 0) continue;
    const impersonators = principal.gcp.impersonators.filter((user) => isActiveOn(user, day));
    const impersonator = impersonators.length > 0 ? rng.pick(impersonators) : undefined;
    const caller: Caller = impersonator
      ? {
          email: principal.gcp.email,
          ip: rng.pick(impersonator.ips),
          userAgent: rng.pick(impersonator.userAgents),
          delegatedFrom: impersonator.gcp?.email,
        }
      : {
          email: principal.gcp.email,
          ip: rng.pick(principal.ips),
          userAgent: rng.pick(principal.userAgents),
          delegatedFrom: undefined,
        };
    if (impersonator) {
      const tokenCall: PlannedCall = {
        time: (calls[0]?.time ?? dayStart) - 2_000,
        call: GENERATE_ACCESS_TOKEN,
        denied: !impersonator.isAllowed(GENERATE_ACCESS_TOKEN),
      };
      const impersonatorCaller: Caller = {
        email: impersonator.gcp?.email ?? '',
        ip: caller.ip,
        userAgent: caller.userAgent,
        delegatedFrom: undefined,
      };
      await emit(buildLogEntry(rng, project, impersonatorCaller, tokenCall, principal.gcp.email));
    }
    for (const planned of calls) {
      const entry = buildLogEntry(
        rng,
        project,
        planned.sourceIp ? { ...caller, ip: planned.sourceIp } : caller,
        planned,
        undefined,
      );
      notePlanted(context, planned, String(entry.insertId), String(entry.timestamp), caller.ip);
      await emit(entry);
    }
  }
  if (wrote) await file.close();
}

/** Formats a time with nanoseconds, as Cloud Logging does. */
function gcpTime(ms: number, rng: Prng): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(rng.int(1_000_000)).padStart(6, '0')}Z`;
}

interface Target {
  resourceName: string;
  resourceType: string;
  labels: Record<string, string>;
  attributeType: string;
  zone?: string;
}

function targetOf(
  rng: Prng,
  call: ApiCall,
  project: GcpProject,
  targetEmail: string | undefined,
  detail: Record<string, string> | undefined,
): Target {
  const p = project.id;
  const zone = rng.pick(project.zones);
  switch (call.resource) {
    case 'bucket':
    case 'object': {
      const bucket = rng.pick(project.buckets);
      const name =
        call.resource === 'object'
          ? `projects/_/buckets/${bucket}/objects/reports/${rng.int(365)}/${rng.hex(8)}.csv`
          : `projects/_/buckets/${bucket}`;
      return {
        resourceName: name,
        resourceType: 'gcs_bucket',
        labels: { bucket_name: bucket, location: 'us', project_id: p },
        attributeType:
          call.resource === 'object'
            ? 'storage.googleapis.com/Object'
            : 'storage.googleapis.com/Bucket',
      };
    }
    case 'zone':
      return {
        resourceName: `projects/${p}/zones/${zone}/instances`,
        resourceType: 'gce_instance',
        labels: { instance_id: '', project_id: p, zone },
        attributeType: 'compute.instances',
        zone,
      };
    case 'instance': {
      const name = `vm-${project.team}-${rng.int(5)}`;
      return {
        resourceName: `projects/${p}/zones/${zone}/instances/${name}`,
        resourceType: 'gce_instance',
        labels: {
          instance_id: String(1_000_000_000_000 + rng.int(900_000_000)),
          project_id: p,
          zone,
        },
        attributeType: 'compute.instances',
        zone,
      };
    }
    case 'firewall':
      return {
        resourceName: `projects/${p}/global/firewalls/allow-${rng.hex(6)}`,
        resourceType: 'gce_firewall_rule',
        labels: { firewall_rule_id: String(rng.int(1_000_000_000)), project_id: p },
        attributeType: 'compute.firewalls',
      };
    case 'serviceAccount': {
      const email = targetEmail ?? `ci-builder@${p}.iam.gserviceaccount.com`;
      return {
        resourceName: `projects/-/serviceAccounts/${email}`,
        resourceType: 'service_account',
        labels: {
          email_id: email,
          project_id: p,
          unique_id: String(100_000_000_000_000_000_000n + BigInt(rng.int(1_000_000))),
        },
        attributeType: 'iam.googleapis.com/ServiceAccount',
      };
    }
    case 'job':
      return {
        resourceName: `projects/${p}/jobs/bquxjob_${rng.hex(8)}_${rng.hex(10)}`,
        resourceType: 'bigquery_project',
        labels: { location: 'US', project_id: p },
        attributeType: 'bigquery.googleapis.com/Job',
      };
    case 'table':
      return {
        resourceName: `projects/${p}/datasets/analytics/tables/events_${rng.int(30)}`,
        resourceType: 'bigquery_dataset',
        labels: { dataset_id: 'analytics', project_id: p },
        attributeType: 'bigquery.googleapis.com/Table',
      };
    case 'topic':
      return {
        resourceName: `projects/${p}/topics/${project.team}-events`,
        resourceType: 'pubsub_topic',
        labels: { project_id: p, topic_id: `${project.team}-events` },
        attributeType: 'pubsub.googleapis.com/Topic',
      };
    case 'subscription':
      return {
        resourceName: `projects/${p}/subscriptions/${project.team}-worker`,
        resourceType: 'pubsub_subscription',
        labels: { project_id: p, subscription_id: `${project.team}-worker` },
        attributeType: 'pubsub.googleapis.com/Subscription',
      };
    case 'secret':
    case 'secretVersion': {
      const secret = `projects/${project.number}/secrets/${rng.pick(['db-password', 'api-token'])}`;
      return {
        resourceName: call.resource === 'secret' ? secret : `${secret}/versions/latest`,
        resourceType: 'audited_resource',
        labels: { method: call.name, project_id: p, service: call.service },
        attributeType: 'secretmanager.googleapis.com/Secret',
      };
    }
    case 'sink': {
      const name = detail?.sink ?? 'audit-export';
      return {
        resourceName: `projects/${p}/sinks/${name}`,
        resourceType: 'logging_sink',
        labels: { destination: '', name, project_id: p },
        attributeType: 'logging.googleapis.com/Sink',
      };
    }
    case 'runService': {
      const name = `${project.team}-api`;
      return {
        resourceName: `namespaces/${p}/services/${name}`,
        resourceType: 'cloud_run_revision',
        labels: {
          configuration_name: '',
          location: 'us-central1',
          project_id: p,
          revision_name: '',
          service_name: name,
        },
        attributeType: 'run.googleapis.com/Service',
      };
    }
    default:
      return {
        resourceName: `projects/${p}`,
        resourceType: 'project',
        labels: { project_id: p },
        attributeType: 'cloudresourcemanager.googleapis.com/Project',
      };
  }
}

function buildLogEntry(
  rng: Prng,
  project: GcpProject,
  caller: Caller,
  planned: PlannedCall,
  targetEmail: string | undefined,
): Record<string, unknown> {
  const { call, denied } = planned;
  const target = targetOf(rng, call, project, targetEmail, planned.detail);
  const timestamp = gcpTime(planned.time, rng);
  const permissionType = call.readOnly
    ? GCP_DATA_RESOURCES.has(call.resource)
      ? 'DATA_READ'
      : 'ADMIN_READ'
    : call.data
      ? 'DATA_WRITE'
      : 'ADMIN_WRITE';
  const authenticationInfo: Record<string, unknown> = { principalEmail: caller.email };
  if (caller.delegatedFrom) {
    authenticationInfo.serviceAccountDelegationInfo = [
      { firstPartyPrincipal: { principalEmail: caller.delegatedFrom } },
    ];
  }
  const payload: Record<string, unknown> = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    status: denied ? { code: 7, message: 'PERMISSION_DENIED' } : {},
    authenticationInfo,
    requestMetadata: {
      callerIp: caller.ip,
      callerSuppliedUserAgent: planned.userAgent ?? caller.userAgent,
      requestAttributes: { time: timestamp, auth: {} },
      destinationAttributes: {},
    },
    serviceName: call.service,
    methodName: call.name,
    authorizationInfo: call.permissions.map((permission) => ({
      resource: target.resourceName,
      permission,
      granted: !denied,
      resourceAttributes: {
        service: call.service,
        name: target.resourceName,
        type: target.attributeType,
      },
      permissionType,
    })),
    resourceName: target.resourceName,
  };
  if (call.name === 'SetIamPolicy' && !denied) {
    const role = planned.detail?.role ?? 'roles/viewer';
    const member = planned.detail?.member ?? caller.email;
    payload.request = {
      '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest',
      resource: project.id,
      policy: {
        bindings: [{ role, members: [member] }],
        etag: rng.chars(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
      },
    };
    payload.response = {
      '@type': 'type.googleapis.com/google.iam.v1.Policy',
      bindings: [{ role, members: [member] }],
    };
    payload.serviceData = {
      '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData',
      policyDelta: { bindingDeltas: [{ action: 'ADD', role, member }] },
    };
  } else if (call.name === 'google.iam.admin.v1.CreateServiceAccountKey' && !denied) {
    payload.request = {
      '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest',
      name: target.resourceName,
      private_key_type: 2,
    };
    payload.response = {
      '@type': 'type.googleapis.com/google.iam.admin.v1.ServiceAccountKey',
      name: `${target.resourceName}/keys/${rng.hex(40)}`,
      key_algorithm: 2,
      private_key_type: 2,
    };
  } else if (call.name === 'v1.compute.instances.insert' && !denied) {
    payload.request = {
      '@type': 'type.googleapis.com/compute.instances.insert',
      machineType: `zones/${target.zone}/machineTypes/e2-medium`,
      name: target.resourceName.split('/').pop(),
    };
  }
  if (target.zone) payload.resourceLocation = { currentLocations: [target.zone] };
  const log = call.data ? 'data_access' : 'activity';
  return {
    protoPayload: payload,
    insertId: rng.chars(12, 'abcdefghijklmnopqrstuvwxyz0123456789'),
    resource: { type: target.resourceType, labels: target.labels },
    timestamp,
    severity: severityOf(call, denied),
    logName: `projects/${project.id}/logs/cloudaudit.googleapis.com%2F${log}`,
    receiveTimestamp: gcpTime(planned.time + 150 + rng.int(900), rng),
  };
}

/** Returns the LogEntry severity: denials are errors, writes notices, data access info. */
function severityOf(call: ApiCall, denied: boolean): string {
  if (denied) return 'ERROR';
  if (call.data) return 'INFO';
  return 'NOTICE';
}
