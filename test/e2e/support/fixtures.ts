import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes small log files in the providers' own formats: a CloudTrail S3 delivery file
 * (`{"Records": [...]}`), Azure Activity Log JSON Lines as diagnostic settings export them,
 * and a GCP LogEntry array. Each has `perProvider` valid records; `withBadRecords` adds a
 * CloudTrail record whose `eventName` is a number (wrong type), a record without
 * `eventTime`, and a line of broken JSON in the Azure file. Event ids carry `tag`, so two
 * calls give different events.
 */
export async function writeFixtureFiles(
  directory: string,
  options: { perProvider: number; tag: string; withBadRecords?: boolean },
): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const { perProvider, tag } = options;
  const pad = (index: number) => String(index).padStart(6, '0');

  const trail = Array.from({ length: perProvider }, (_, index) => ({
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEROLE:session-${index % 7}`,
      arn: `arn:aws:sts::111122223333:assumed-role/app-${index % 5}/session-${index % 7}`,
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLEKEY',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEROLE',
          arn: `arn:aws:iam::111122223333:role/app-${index % 5}`,
          accountId: '111122223333',
          userName: `app-${index % 5}`,
        },
        attributes: { creationDate: '2025-03-04T05:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: `2025-03-04T05:${String(index % 60).padStart(2, '0')}:07Z`,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'aws-sdk-js/3.0',
    requestParameters: { bucketName: 'example-bucket', key: `reports/${index}.csv` },
    responseElements: null,
    requestID: `REQ${pad(index)}`,
    eventID: `${tag}-aws-${pad(index)}`,
    readOnly: true,
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::example-bucket/reports/${index}.csv` },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '111122223333',
    eventCategory: 'Data',
  }));
  if (options.withBadRecords) {
    trail.push({ ...(trail[0] as object), eventID: `${tag}-aws-bad-type`, eventName: 42 } as never);
    const missing: Record<string, unknown> = {
      ...(trail[0] as object),
      eventID: `${tag}-aws-missing`,
    };
    delete missing.eventTime;
    trail.push(missing as never);
  }

  const subscription = '00000000-0000-4000-8000-0000000000aa';
  const azure = Array.from({ length: perProvider }, (_, index) =>
    JSON.stringify({
      time: `2025-03-04T06:${String(index % 60).padStart(2, '0')}:00.0000000Z`,
      resourceId: `/SUBSCRIPTIONS/${subscription.toUpperCase()}/RESOURCEGROUPS/APP/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-${index % 9}`,
      operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
      category: 'Administrative',
      resultType: 'Success',
      resultSignature: 'Succeeded.OK',
      callerIpAddress: '203.0.113.20',
      correlationId: `${tag}-corr-${pad(index)}`,
      identity: {
        authorization: {
          action: 'Microsoft.Compute/virtualMachines/write',
          scope: `/subscriptions/${subscription}/resourceGroups/app/providers/Microsoft.Compute/virtualMachines/vm-${index % 9}`,
        },
        claims: {
          'http://schemas.microsoft.com/identity/claims/objectidentifier': `aaaaaaaa-bbbb-4ccc-8ddd-${pad(index % 11).padStart(12, '0')}`,
          'http://schemas.microsoft.com/identity/claims/tenantid':
            '99999999-8888-4777-8666-555555555555',
        },
      },
      level: 'Information',
      properties: { eventCategory: 'Administrative', eventDataId: `${tag}-azure-${pad(index)}` },
    }),
  );
  if (options.withBadRecords) azure.push('{"time": "2025-03-04T06:00:00Z", "operationName": ');

  const gcp = Array.from({ length: perProvider }, (_, index) => ({
    insertId: `${tag}-gcp-${pad(index)}`,
    logName: 'projects/demo-project/logs/cloudaudit.googleapis.com%2Factivity',
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: {
        principalEmail: `deployer-${index % 4}@demo-project.iam.gserviceaccount.com`,
      },
      requestMetadata: { callerIp: '192.0.2.30', callerSuppliedUserAgent: 'gcloud/470.0.0' },
      serviceName: 'compute.googleapis.com',
      methodName: 'v1.compute.instances.insert',
      authorizationInfo: [
        {
          permission: 'compute.instances.create',
          granted: true,
          resource: `projects/demo-project/zones/europe-west1-b/instances/vm-${index}`,
        },
      ],
      resourceName: `projects/demo-project/zones/europe-west1-b/instances/vm-${index}`,
    },
    resource: { type: 'gce_instance', labels: { project_id: 'demo-project' } },
    timestamp: `2025-03-04T07:${String(index % 60).padStart(2, '0')}:00.123456789Z`,
    severity: 'NOTICE',
  }));

  const files = [
    path.join(directory, 'cloudtrail.json'),
    path.join(directory, 'azure-activity.ndjson'),
    path.join(directory, 'gcp-audit.json'),
  ];
  await writeFile(files[0] as string, JSON.stringify({ Records: trail }));
  await writeFile(files[1] as string, `${azure.join('\n')}\n`);
  await writeFile(files[2] as string, JSON.stringify(gcp));
  return files;
}
