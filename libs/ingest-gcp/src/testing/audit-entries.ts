/**
 * Hand-written Cloud Audit Log entries in the `LogEntry` JSON that a Cloud Logging sink
 * publishes to Pub/Sub, one entry per message, for tests. Field names follow the LogEntry
 * reference and `google.cloud.audit.AuditLog` (`protoPayload`, `authenticationInfo`,
 * `authorizationInfo`, `requestMetadata`, `serviceName`, `methodName`, `resourceName`).
 */

/** Returns a Data Access entry of a Cloud Storage object read in `projectId`. */
export function dataAccessEntry(index: number, projectId: string): Record<string, unknown> {
  const bucket = `${projectId}-logs`;
  const object = `exports/part-${String(index).padStart(5, '0')}.json`;
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: {
        principalEmail: `reader-${index % 3}@${projectId}.iam.gserviceaccount.com`,
      },
      requestMetadata: {
        callerIp: '203.0.113.10',
        callerSuppliedUserAgent: 'google-api-go-client/0.5,gzip(gfe)',
        requestAttributes: { time: '2025-03-04T10:00:00.123456Z', auth: {} },
        destinationAttributes: {},
      },
      serviceName: 'storage.googleapis.com',
      methodName: 'storage.objects.get',
      authorizationInfo: [
        {
          resource: `projects/_/buckets/${bucket}/objects/${object}`,
          permission: 'storage.objects.get',
          granted: true,
          resourceAttributes: {},
        },
      ],
      resourceName: `projects/_/buckets/${bucket}/objects/${object}`,
      resourceLocation: { currentLocations: ['europe-west1'] },
    },
    insertId: `1x${index.toString(16).padStart(6, '0')}e5a9k`,
    resource: {
      type: 'gcs_bucket',
      labels: { project_id: projectId, bucket_name: bucket, location: 'europe-west1' },
    },
    timestamp: `2025-03-04T10:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.123456Z`,
    severity: 'INFO',
    logName: `projects/${projectId}/logs/cloudaudit.googleapis.com%2Fdata_access`,
    receiveTimestamp: '2025-03-04T10:00:01.500000000Z',
  };
}

/** Returns an Admin Activity entry of an IAM policy change on project `projectId`. */
export function adminActivityEntry(index: number, projectId: string): Record<string, unknown> {
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: { principalEmail: 'admin@example.com' },
      requestMetadata: {
        callerIp: '198.51.100.20',
        callerSuppliedUserAgent:
          'google-cloud-sdk gcloud/460.0.0 command/gcloud.projects.add-iam-policy-binding',
      },
      serviceName: 'cloudresourcemanager.googleapis.com',
      methodName: 'SetIamPolicy',
      authorizationInfo: [
        {
          resource: `projects/${projectId}`,
          permission: 'resourcemanager.projects.setIamPolicy',
          granted: true,
          resourceAttributes: {},
        },
      ],
      resourceName: `projects/${projectId}`,
      serviceData: {
        '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData',
        policyDelta: {
          bindingDeltas: [
            {
              action: 'ADD',
              role: 'roles/storage.objectViewer',
              member: `serviceAccount:reader-${index}@${projectId}.iam.gserviceaccount.com`,
            },
          ],
        },
      },
    },
    insertId: `-a${index.toString(36)}b7c2d`,
    resource: { type: 'project', labels: { project_id: projectId } },
    timestamp: `2025-03-04T11:00:${String(index % 60).padStart(2, '0')}.654321Z`,
    severity: 'NOTICE',
    logName: `projects/${projectId}/logs/cloudaudit.googleapis.com%2Factivity`,
    receiveTimestamp: '2025-03-04T11:00:02.100000000Z',
  };
}

/** Returns an organization-level Admin Activity entry, keyed by `organizations/<id>`. */
export function organizationEntry(index: number, organizationId: string): Record<string, unknown> {
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: { principalEmail: 'org-admin@example.com' },
      serviceName: 'cloudresourcemanager.googleapis.com',
      methodName: 'SetIamPolicy',
      resourceName: `organizations/${organizationId}`,
    },
    insertId: `org${index}`,
    resource: { type: 'organization', labels: { organization_id: organizationId } },
    timestamp: '2025-03-04T12:00:00Z',
    severity: 'NOTICE',
    logName: `organizations/${organizationId}/logs/cloudaudit.googleapis.com%2Factivity`,
  };
}
