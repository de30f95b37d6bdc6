import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeNormalizedEvent, isNormalizationError } from '@ciem/events';
import type { NormalizationError, NormalizedEvent } from '@ciem/events';
import type { NormalizeContext } from '../context.js';
import { normalizeGcpAuditEntry } from './audit.js';

const ctx: NormalizeContext = {
  rawRef: 'ciem.raw.gcp.audit/3/1207',
  ingestTime: Date.UTC(2024, 4, 6),
};
const PROJECT = 'ledger-prod-4821';

type JsonRecord = Record<string, unknown>;

function fixture(name: string): JsonRecord {
  return JSON.parse(
    readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'),
  ) as JsonRecord;
}

function payloadOf(record: JsonRecord): JsonRecord {
  return record.protoPayload as JsonRecord;
}

function withPayload(record: JsonRecord, changes: JsonRecord): JsonRecord {
  return { ...record, protoPayload: { ...payloadOf(record), ...changes } };
}

function normalize(record: unknown): NormalizedEvent {
  const result = normalizeGcpAuditEntry(record, ctx);
  if (isNormalizationError(result)) throw new Error(`unexpected error: ${result.message}`);
  // Every event must also fit the Avro contract.
  expect(() => encodeNormalizedEvent(result)).not.toThrow();
  return result;
}

function normalizeError(record: unknown): NormalizationError {
  const result = normalizeGcpAuditEntry(record, ctx);
  if (!isNormalizationError(result)) throw new Error('expected a NormalizationError');
  return result;
}

function lowerCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerCaseKeys(inner)]),
  );
}

describe('normalizeGcpAuditEntry admin activity', () => {
  const event = normalize(fixture('activity-user-set-iam-policy'));

  it('reads id, time and log type', () => {
    expect(event.provider).toBe('gcp');
    expect(event.event_id).toBe('1x2y3z4a5b6c');
    expect(event.event_time).toBe(Date.UTC(2024, 4, 2, 16, 20, 31, 123));
    expect(event.ingest_time).toBe(ctx.ingestTime);
    expect(event.log_type).toBe('activity');
    expect(event.category).toBe('management');
    expect(event.account_id).toBe(PROJECT);
    expect(event.tenant_id).toBeNull();
    expect(event.region).toBeNull();
    expect(event.raw_ref).toBe(ctx.rawRef);
  });

  it('types an e-mail caller as user', () => {
    expect(event.principal).toEqual({
      id: 'user:alice@example.com',
      type: 'user',
      name: 'Alice@Example.com',
    });
    expect(event.session).toBeNull();
    expect(event.actor).toBeNull();
  });

  it('dedupes authorizationInfo permissions', () => {
    expect(event.action).toEqual({
      service: 'cloudresourcemanager.googleapis.com',
      operation: 'SetIamPolicy',
      permissions: ['resourcemanager.projects.setIamPolicy'],
      mapping: 'mapped',
      visibility: 'logged',
    });
    expect(event.read_only).toBe(false);
  });

  it('reads result, caller address and resources', () => {
    expect(event.outcome).toBe('success');
    expect(event.error_code).toBeNull();
    expect(event.source_ip).toBe('203.0.113.45');
    expect(event.user_agent).toContain('gcloud/468.0.0');
    expect(event.resources).toEqual([{ id: `projects/${PROJECT}`, type: 'project' }]);
    expect(event.phase).toBeNull();
    expect(event.correlation_id).toBeNull();
  });
});

describe('normalizeGcpAuditEntry data access', () => {
  const event = normalize(fixture('data-access-service-account'));

  it('types a service account', () => {
    expect(event.principal).toEqual({
      id: `serviceAccount:report-writer@${PROJECT}.iam.gserviceaccount.com`,
      type: 'service_account',
      name: `report-writer@${PROJECT}.iam.gserviceaccount.com`,
    });
    expect(event.access_key_id).toMatch(/\/keys\/3f2a1b0c9d8e/);
  });

  it('marks data access as data event', () => {
    expect(event.log_type).toBe('data_access');
    expect(event.category).toBe('data');
    expect(event.action.permissions).toEqual(['storage.objects.get']);
    expect(event.action.visibility).toBe('data-event');
    expect(event.read_only).toBe(true);
  });

  it('keeps private caller address', () => {
    expect(event.source_ip).toBe('private');
    expect(event.region).toBe('us-east1');
    expect(event.resources).toEqual([
      { id: 'projects/_/buckets/ledger-reports/objects/2024/q1.csv', type: 'gcs_bucket' },
    ]);
  });
});

describe('normalizeGcpAuditEntry principals', () => {
  it('types a compute service agent', () => {
    const event = normalize(fixture('activity-service-agent-lro'));
    expect(event.principal).toEqual({
      id: 'serviceAccount:service-318273645012@compute-system.iam.gserviceaccount.com',
      type: 'google_service_agent',
      name: 'service-318273645012@compute-system.iam.gserviceaccount.com',
    });
  });

  const agents = [
    'service-318273645012@gcp-sa-pubsub.iam.gserviceaccount.com',
    '318273645012@cloudservices.gserviceaccount.com',
    'service-318273645012@container-engine-robot.iam.gserviceaccount.com',
    'service-agent-manager@system.gserviceaccount.com',
  ];
  for (const email of agents) {
    it(`types ${email.split('@')[1]} as agent`, () => {
      const record = withPayload(fixture('activity-user-set-iam-policy'), {
        authenticationInfo: { principalEmail: email },
      });
      expect(normalize(record).principal.type).toBe('google_service_agent');
    });
  }

  it('types default compute account as service account', () => {
    const record = withPayload(fixture('activity-user-set-iam-policy'), {
      authenticationInfo: { principalEmail: '318273645012-compute@developer.gserviceaccount.com' },
    });
    expect(normalize(record).principal).toEqual({
      id: 'serviceAccount:318273645012-compute@developer.gserviceaccount.com',
      type: 'service_account',
      name: '318273645012-compute@developer.gserviceaccount.com',
    });
  });

  it('uses principalSubject without e-mail', () => {
    const subject =
      'principal://iam.googleapis.com/locations/global/workforcePools/corp-pool/subject/frank@example.com';
    const record = withPayload(fixture('activity-user-set-iam-policy'), {
      authenticationInfo: { principalSubject: subject },
    });
    expect(normalize(record).principal).toEqual({
      id: subject,
      type: 'federated_user',
      name: subject,
    });
  });

  it('types a serviceAccount subject', () => {
    const record = withPayload(fixture('activity-user-set-iam-policy'), {
      authenticationInfo: {
        principalSubject: `serviceAccount:deployer@${PROJECT}.iam.gserviceaccount.com`,
      },
    });
    expect(normalize(record).principal.id).toBe(
      `serviceAccount:deployer@${PROJECT}.iam.gserviceaccount.com`,
    );
    expect(normalize(record).principal.type).toBe('service_account');
  });

  it('keeps Kubernetes subjects as unknown', () => {
    const subject = 'system:serviceaccount:kube-system:replicaset-controller';
    const record = withPayload(fixture('activity-user-set-iam-policy'), {
      authenticationInfo: { principalEmail: subject },
    });
    expect(normalize(record).principal).toEqual({ id: subject, type: 'unknown', name: subject });
  });

  it('types system:anonymous as anonymous', () => {
    const record = withPayload(fixture('activity-user-set-iam-policy'), {
      authenticationInfo: { principalEmail: 'system:anonymous' },
    });
    expect(normalize(record).principal.type).toBe('anonymous');
  });

  it('returns unknown for redacted caller', () => {
    const event = normalize(fixture('policy-denied-redacted'));
    expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: null });
  });

  it('returns unknown without authenticationInfo', () => {
    const record = withPayload(fixture('activity-user-set-iam-policy'), {
      authenticationInfo: undefined,
    });
    expect(normalize(record).principal.id).toBe('unknown');
  });
});

describe('normalizeGcpAuditEntry delegation', () => {
  it('chains impersonation outermost first', () => {
    const event = normalize(fixture('activity-impersonated-service-account'));
    const target = `serviceAccount:deployer@${PROJECT}.iam.gserviceaccount.com`;
    expect(event.principal.id).toBe(target);
    expect(event.principal.type).toBe('service_account');
    expect(event.session?.chain).toEqual([
      'user:alice@example.com',
      'serviceAccount:ci-runner@tooling-9001.iam.gserviceaccount.com',
      target,
    ]);
    expect(event.actor).toBe('user:alice@example.com');
  });

  it('chains token requests after caller', () => {
    const event = normalize(fixture('data-access-generate-access-token'));
    expect(event.principal.id).toBe('user:alice@example.com');
    expect(event.session?.chain).toEqual([
      'user:alice@example.com',
      `serviceAccount:deployer@${PROJECT}.iam.gserviceaccount.com`,
    ]);
    expect(event.actor).toBeNull();
    expect(event.action.permissions).toEqual(['iam.serviceAccounts.getAccessToken']);
    expect(event.action.visibility).toBe('data-event');
    expect(event.category).toBe('data');
  });
});

describe('normalizeGcpAuditEntry outcomes', () => {
  const base = fixture('activity-user-set-iam-policy');

  it('reports policy denial as denied', () => {
    const event = normalize(fixture('policy-denied-redacted'));
    expect(event.outcome).toBe('denied');
    expect(event.error_code).toBe('PERMISSION_DENIED');
    expect(event.error_message).toContain('prohibited by organization');
    expect(event.log_type).toBe('policy');
    expect(event.action.mapping).toBe('unmapped');
    expect(event.action.permissions).toEqual([]);
    expect(event.action.operation).toBe('google.cloud.bigquery.v2.TableDataService.List');
  });

  it('reports granted false as denied', () => {
    const checks = (payloadOf(base).authorizationInfo as JsonRecord[]).map((check) => ({
      ...check,
      granted: false,
    }));
    const event = normalize(withPayload(base, { authorizationInfo: checks }));
    expect(event.outcome).toBe('denied');
  });

  it('treats absent granted as success', () => {
    const checks = (payloadOf(base).authorizationInfo as JsonRecord[]).map((check) => ({
      ...check,
      granted: undefined,
    }));
    expect(normalize(withPayload(base, { authorizationInfo: checks })).outcome).toBe('success');
  });

  const codes: [unknown, string, string][] = [
    [5, 'failed', 'NOT_FOUND'],
    ['16', 'denied', 'UNAUTHENTICATED'],
    [7, 'denied', 'PERMISSION_DENIED'],
    ['ABORTED', 'failed', 'ABORTED'],
    [42, 'failed', '42'],
  ];
  for (const [code, outcome, errorCode] of codes) {
    it(`maps status code ${String(code)}`, () => {
      const event = normalize(withPayload(base, { status: { code, message: 'it went wrong' } }));
      expect(event.outcome).toBe(outcome);
      expect(event.error_code).toBe(errorCode);
      expect(event.error_message).toBe('it went wrong');
    });
  }

  it('treats status code 0 as success', () => {
    expect(normalize(withPayload(base, { status: { code: 0 } })).outcome).toBe('success');
  });
});

describe('normalizeGcpAuditEntry long-running operations', () => {
  const event = normalize(fixture('activity-service-agent-lro'));
  const last = normalize(fixture('activity-service-agent-lro-last'));

  // Cloud Logging API, LogEntry reference, `operation` (LogEntryOperation): entries with
  // the same `id` belong to one operation, and `first` and `last` mark its first and last
  // entry. Compute Engine's first entry carries the request's `authorizationInfo`, and its
  // last entry lists none. The operation must count once, by the entry with the permissions.
  it('counts the first entry of an operation', () => {
    expect(event.phase).toBeNull();
    expect(event.action.permissions).toEqual(['compute.instances.create', 'compute.disks.create']);
  });

  it('marks the last entry completed', () => {
    expect(last.phase).toBe('completed');
    expect(last.correlation_id).toBe(event.correlation_id);
    expect(last.action.permissions).toEqual([]);
    expect(last.outcome).toBe('success');
  });

  it('marks a failed last entry completed', () => {
    // AuditLog reference, `status`: the status of the overall operation.
    const failed = normalize(
      withPayload(fixture('activity-service-agent-lro-last'), {
        status: { code: 8, message: 'QUOTA_EXCEEDED' },
      }),
    );
    expect(failed.phase).toBe('completed');
    expect(failed.outcome).toBe('failed');
    expect(failed.error_code).toBe('RESOURCE_EXHAUSTED');
  });

  it('counts a denied last entry', () => {
    // AuditLog reference, `authorizationInfo[].granted`: whether authorization for the
    // resource and permission was granted. A denied request starts no operation, so a
    // denied check on the last entry is not the first entry's check counted again.
    const denied = normalize(
      withPayload(fixture('activity-service-agent-lro-last'), {
        authorizationInfo: [
          {
            permission: 'iam.serviceAccounts.actAs',
            granted: false,
            resource: 'projects/-/serviceAccounts/web-mig@ledger-prod-4821.iam.gserviceaccount.com',
            resourceAttributes: {},
          },
        ],
      }),
    );
    expect(denied.outcome).toBe('denied');
    expect(denied.phase).toBeNull();
  });

  it('keeps an entry both first and last', () => {
    const record = fixture('activity-service-agent-lro');
    const single = normalize({
      ...record,
      operation: { ...(record.operation as JsonRecord), first: true, last: true },
    });
    expect(single.phase).toBeNull();
  });

  it('keeps an entry without first or last', () => {
    const record = fixture('activity-service-agent-lro');
    const middle = normalize({
      ...record,
      operation: { id: 'operation-1714750000000-61786a0b1c2d3-4e5f6a7b-8c9d0e1f' },
    });
    expect(middle.phase).toBeNull();
  });

  it('uses operation id as correlation', () => {
    expect(event.correlation_id).toBe('operation-1714750000000-61786a0b1c2d3-4e5f6a7b-8c9d0e1f');
    expect(event.region).toBe('europe-west1-b');
  });

  it('lists every checked resource', () => {
    expect(event.action.permissions).toEqual(['compute.instances.create', 'compute.disks.create']);
    expect(event.resources).toEqual([
      {
        id: 'projects/318273645012/zones/europe-west1-b/instances/web-mig-7xq2',
        type: 'gce_instance',
      },
      {
        id: `projects/${PROJECT}/zones/europe-west1-b/instances/web-mig-7xq2`,
        type: 'compute.instances',
      },
      { id: `projects/${PROJECT}/zones/europe-west1-b/disks/web-mig-7xq2`, type: 'compute.disks' },
    ]);
  });
});

describe('normalizeGcpAuditEntry containers and streams', () => {
  const base = fixture('activity-user-set-iam-policy');

  it('names organization-level entries', () => {
    const event = normalize({
      ...base,
      logName: 'organizations/987654321098/logs/cloudaudit.googleapis.com%2Factivity',
      resource: { type: 'organization', labels: { organization_id: '987654321098' } },
    });
    expect(event.account_id).toBe('organizations/987654321098');
    expect(event.tenant_id).toBe('organizations/987654321098');
    expect(event.log_type).toBe('activity');
  });

  it('names folder-level entries', () => {
    const event = normalize({
      ...base,
      logName: 'folders/55501234/logs/cloudaudit.googleapis.com%2Factivity',
      resource: { type: 'folder', labels: {} },
    });
    expect(event.account_id).toBe('folders/55501234');
  });

  it('takes project from logName', () => {
    const event = normalize({ ...base, resource: { type: 'project', labels: {} } });
    expect(event.account_id).toBe(PROJECT);
  });

  it('marks system events without permission', () => {
    const event = normalize({
      ...withPayload(base, {
        authorizationInfo: undefined,
        methodName: 'compute.instances.preempted',
      }),
      logName: `projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Fsystem_event`,
    });
    expect(event.log_type).toBe('system_event');
    expect(event.action.mapping).toBe('no-permission');
  });

  it('leaves other methods without permissions unmapped', () => {
    const event = normalize(withPayload(base, { authorizationInfo: undefined }));
    expect(event.action.mapping).toBe('unmapped');
    expect(event.action.operation).toBe('SetIamPolicy');
  });
});

describe('normalizeGcpAuditEntry type drift', () => {
  const base = fixture('activity-user-set-iam-policy');

  it('gives lower-cased keys the same event', () => {
    expect(normalize(lowerCaseKeys(base))).toEqual(normalize(base));
  });

  it('parses protoPayload given as JSON', () => {
    const event = normalize({ ...base, protoPayload: JSON.stringify(base.protoPayload) });
    expect(event).toEqual(normalize(base));
  });

  it('parses authorizationInfo given as JSON', () => {
    const checks = JSON.stringify(payloadOf(base).authorizationInfo);
    const event = normalize(withPayload(base, { authorizationInfo: checks }));
    expect(event.action.permissions).toEqual(['resourcemanager.projects.setIamPolicy']);
  });

  it('falls back to receiveTimestamp', () => {
    const event = normalize({ ...base, timestamp: undefined });
    expect(event.event_time).toBe(Date.UTC(2024, 4, 2, 16, 20, 32, 1));
  });
});

describe('normalizeGcpAuditEntry event ids', () => {
  const withoutId = { ...fixture('activity-user-set-iam-policy'), insertId: undefined };

  it('derives the same id twice', () => {
    const first = normalize(withoutId).event_id;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(normalize(structuredClone(withoutId)).event_id).toBe(first);
  });

  it('derives different ids per timestamp', () => {
    const later = { ...withoutId, timestamp: '2024-05-02T16:20:31.123456790Z' };
    expect(normalize(later).event_id).not.toBe(normalize(withoutId).event_id);
  });

  it('derives different ids per principal', () => {
    const other = withPayload(withoutId, {
      authenticationInfo: { principalEmail: 'bob@example.com' },
    });
    expect(normalize(other).event_id).not.toBe(normalize(withoutId).event_id);
  });
});

describe('normalizeGcpAuditEntry bad input', () => {
  const base = fixture('activity-user-set-iam-policy');

  it('rejects a non-object entry', () => {
    for (const record of [null, 7, 'entry', [base]]) {
      const error = normalizeError(record);
      expect(error.reason).toBe('wrong-type');
      expect(error.provider).toBe('gcp');
      expect(error.raw_ref).toBe(ctx.rawRef);
    }
  });

  it('rejects a jsonPayload entry', () => {
    const error = normalizeError({
      ...base,
      protoPayload: undefined,
      jsonPayload: { message: 'hi' },
    });
    expect(error.reason).toBe('not-an-event');
    expect(error.field).toBe('jsonPayload');
  });

  it('rejects another protoPayload type', () => {
    const error = normalizeError(
      withPayload(base, { '@type': 'type.googleapis.com/google.appengine.logging.v1.RequestLog' }),
    );
    expect(error.reason).toBe('not-an-event');
    expect(error.field).toBe('protoPayload.@type');
    expect(error.message).toContain('RequestLog');
  });

  it('names a missing protoPayload', () => {
    const error = normalizeError({ ...base, protoPayload: undefined });
    expect(error.reason).toBe('missing-field');
    expect(error.field).toBe('protoPayload');
  });

  it('names a missing methodName', () => {
    const error = normalizeError(withPayload(base, { methodName: undefined }));
    expect(error.reason).toBe('missing-field');
    expect(error.field).toBe('protoPayload.methodName');
    expect(error.message).toContain(ctx.rawRef);
  });

  it('names a missing timestamp', () => {
    const error = normalizeError({ ...base, timestamp: undefined, receiveTimestamp: undefined });
    expect(error.reason).toBe('missing-field');
    expect(error.field).toBe('timestamp');
  });

  it('names an invalid timestamp', () => {
    const error = normalizeError({ ...base, timestamp: 'not a time' });
    expect(error.reason).toBe('wrong-type');
    expect(error.field).toBe('timestamp');
    expect(error.message).toContain('"not a time"');
  });
});
