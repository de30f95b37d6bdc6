import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEmbedded } from '../index.js';

// Usage counts an operation once, whatever number of records the provider writes for it.
//
// GCP: Cloud Logging API, LogEntry reference, field `operation` (LogEntryOperation): log
// entries with the same `operation.id` belong to one operation, and `first` and `last`
// mark its first and last entry. A long-running operation, such as a Compute Engine
// `v1.compute.instances.insert`, writes a first entry when the request is accepted and a
// last entry when the operation ends. AuditLog reference, `authorizationInfo`: one item per
// {resource, permission} checked for the request.
//
// Azure: Azure Monitor, "Azure Activity Log event schema", `status` (`resultType` in the
// diagnostic-settings export used here): common values are Started, In Progress,
// Succeeded, Failed, Active and Resolved. Only the Succeeded or Failed record shows how the
// operation ended.

const OPERATION_ID = 'operation-1714557600000-6177aa01b2c3d-4e5f6071-8293a4b5';
const PRINCIPAL = 'serviceAccount:deployer@demo-project.iam.gserviceaccount.com';

/** Builds one Admin Activity entry of the operation, as Cloud Logging exports it. */
function computeEntry(
  insertId: string,
  timestamp: string,
  operation: Record<string, unknown>,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  return {
    insertId,
    logName: 'projects/demo-project/logs/cloudaudit.googleapis.com%2Factivity',
    operation: { id: OPERATION_ID, producer: 'compute.googleapis.com', ...operation },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: 'deployer@demo-project.iam.gserviceaccount.com' },
      requestMetadata: {
        callerIp: '192.0.2.30',
        callerSuppliedUserAgent: 'google-cloud-sdk gcloud/470.0.0',
      },
      serviceName: 'compute.googleapis.com',
      methodName: 'v1.compute.instances.insert',
      resourceName: 'projects/demo-project/zones/europe-west1-b/instances/vm-1',
      request: { '@type': 'type.googleapis.com/compute.instances.insert' },
      ...payload,
    },
    resource: {
      type: 'gce_instance',
      labels: { project_id: 'demo-project', zone: 'europe-west1-b', instance_id: '4821' },
    },
    timestamp,
    severity: 'NOTICE',
  };
}

const AUTHORIZATION_INFO = [
  {
    permission: 'compute.instances.create',
    granted: true,
    resource: 'projects/demo-project/zones/europe-west1-b/instances/vm-1',
    resourceAttributes: {
      service: 'compute',
      name: 'projects/demo-project/zones/europe-west1-b/instances/vm-1',
      type: 'compute.instances',
    },
    permissionType: 'ADMIN_WRITE',
  },
];

const FIRST_ENTRY = computeEntry(
  'lro-first-0001',
  '2024-05-01T11:00:00.123Z',
  { first: true },
  {
    authorizationInfo: AUTHORIZATION_INFO,
    response: { '@type': 'type.googleapis.com/operation', status: 'RUNNING' },
  },
);

describe('operation usage counts', () => {
  let inputDir: string;
  let outputDir: string;

  beforeEach(async () => {
    inputDir = await mkdtemp(path.join(tmpdir(), 'ciem-operation-in-'));
    outputDir = await mkdtemp(path.join(tmpdir(), 'ciem-operation-out-'));
  });

  afterEach(async () => {
    await rm(inputDir, { recursive: true, force: true });
    await rm(outputDir, { recursive: true, force: true });
  });

  /**
   * Runs the embedded pipeline on `records` and returns the allowed and denied counts of
   * `permission`, which usage.csv writes in lower case.
   */
  async function usageOf(
    fileName: string,
    records: unknown[],
    principal: string,
    permission: string,
  ): Promise<{ allowed: string | undefined; denied: string | undefined }> {
    const text = records.map((record) => JSON.stringify(record)).join('\n');
    await writeFile(path.join(inputDir, fileName), `${text}\n`);
    await runEmbedded({ inputs: [inputDir], outputDir, geoip: false });
    const lines = (await readFile(path.join(outputDir, 'usage.csv'), 'utf8')).trim().split('\n');
    const row = lines
      .slice(1)
      .map((line) => line.split(','))
      .find((cells) => cells[2] === principal && cells[3] === permission.toLowerCase());
    return { allowed: row?.[5], denied: row?.[6] };
  }

  it('counts GCP operation with both entries', async () => {
    // Both entries list the permission check: the operation still counts once.
    const last = computeEntry(
      'lro-last-0001',
      '2024-05-01T11:00:21.456Z',
      { last: true },
      { authorizationInfo: AUTHORIZATION_INFO },
    );
    const usage = await usageOf(
      'gcp-operation.ndjson',
      [FIRST_ENTRY, last],
      PRINCIPAL,
      'compute.instances.create',
    );
    expect(usage.allowed).toBe('1');
  });

  it('counts GCP operation without last check', async () => {
    // Compute Engine's last entry lists no authorizationInfo: the first entry's check counts.
    const last = computeEntry('lro-last-0002', '2024-05-01T11:00:21.456Z', { last: true }, {});
    const usage = await usageOf(
      'gcp-operation.ndjson',
      [FIRST_ENTRY, last],
      PRINCIPAL,
      'compute.instances.create',
    );
    expect(usage.allowed).toBe('1');
  });

  it('counts Azure In Progress once', async () => {
    const record = (time: string, status: string, subStatus = '') => ({
      time,
      resourceId:
        '/SUBSCRIPTIONS/00000000-0000-4000-8000-0000000000AA/RESOURCEGROUPS/APP/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/WEB-2',
      operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
      category: 'Administrative',
      resultType: status,
      resultSignature: subStatus,
      callerIpAddress: '203.0.113.20',
      correlationId: '22222222-3333-4444-8555-666666666666',
      identity: {
        authorization: {
          action: 'Microsoft.Compute/virtualMachines/write',
          scope:
            '/subscriptions/00000000-0000-4000-8000-0000000000aa/resourceGroups/app/providers/Microsoft.Compute/virtualMachines/web-2',
        },
        claims: {
          'http://schemas.microsoft.com/identity/claims/objectidentifier':
            'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
        },
      },
      level: 'Information',
      properties: { eventCategory: 'Administrative' },
    });
    const usage = await usageOf(
      'azure-operation.ndjson',
      [
        record('2024-05-01T10:00:00.0000000Z', 'Start', 'Started.'),
        record('2024-05-01T10:00:10.0000000Z', 'In Progress'),
        record('2024-05-01T10:00:30.0000000Z', 'Success', 'Succeeded.OK'),
      ],
      'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
      'Microsoft.Compute/virtualMachines/write',
    );
    expect(usage.allowed).toBe('1');
  });
});
