/**
 * Deterministic generators of realistic audit records for the benchmark. A CloudTrail
 * record is about 1.8 KB, with requestParameters and an assumed-role session. An Azure
 * Activity Log record is about 2.5 KB in the Event Hubs shape, with token claims. A GCP
 * audit LogEntry is about 1.7 KB. The same index always gives the same record.
 */

/** The three record shapes. */
export type CorpusProvider = 'aws' | 'azure' | 'gcp';

/** mulberry32: a small, fast, seedable pseudo-random generator. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)] as T;
}

function hex(next: () => number, length: number): string {
  let text = '';
  while (text.length < length)
    text += Math.floor(next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return text.slice(0, length);
}

function uuid(next: () => number): string {
  const h = hex(next, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function ip(next: () => number): string {
  return `203.0.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}`;
}

/**
 * Returns a time in May 2024 as each provider writes it: CloudTrail in whole seconds
 * (`2024-05-01T12:00:00Z`), Azure with seven fractional digits and GCP with nine.
 */
function time(next: () => number, fractionDigits = 0): string {
  const base = Date.UTC(2024, 4, 1);
  const seconds = new Date(base + Math.floor(next() * 30 * 86_400) * 1000).toISOString();
  if (fractionDigits === 0) return seconds.replace('.000Z', 'Z');
  const fraction = String(Math.floor(next() * 10 ** fractionDigits)).padStart(fractionDigits, '0');
  return seconds.replace('.000Z', `.${fraction}Z`);
}

const AWS_CALLS = [
  { source: 's3.amazonaws.com', name: 'GetObject', readOnly: true },
  { source: 's3.amazonaws.com', name: 'PutObject', readOnly: false },
  { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true },
  { source: 'ec2.amazonaws.com', name: 'RunInstances', readOnly: false },
  { source: 'iam.amazonaws.com', name: 'ListRoles', readOnly: true },
  { source: 'iam.amazonaws.com', name: 'AttachRolePolicy', readOnly: false },
  { source: 'sts.amazonaws.com', name: 'AssumeRole', readOnly: true },
  { source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true },
  { source: 'lambda.amazonaws.com', name: 'Invoke', readOnly: false },
  { source: 'dynamodb.amazonaws.com', name: 'DescribeTable', readOnly: true },
] as const;

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

function cloudTrailRecord(next: () => number): unknown {
  const call = pick(next, AWS_CALLS);
  const account = String(100000000000 + Math.floor(next() * 899999999999));
  const role = pick(next, ['deploy', 'ReadOnly', 'data-pipeline', 'Admin', 'ci-runner']);
  const session = `session-${hex(next, 8)}`;
  const region = pick(next, REGIONS);
  const denied = next() < 0.05;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA${hex(next, 17).toUpperCase()}:${session}`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
      accountId: account,
      accessKeyId: `ASIA${hex(next, 16).toUpperCase()}`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROA${hex(next, 17).toUpperCase()}`,
          arn: `arn:aws:iam::${account}:role/${role}`,
          accountId: account,
          userName: role,
        },
        webIdFederationData: {},
        attributes: { creationDate: time(next), mfaAuthenticated: 'false' },
      },
    },
    eventTime: time(next),
    eventSource: call.source,
    eventName: call.name,
    awsRegion: region,
    sourceIPAddress: ip(next),
    userAgent: `aws-sdk-java/2.25.${Math.floor(next() * 60)} Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10`,
    ...(denied
      ? {
          errorCode: 'AccessDenied',
          errorMessage: `User is not authorized to perform ${call.name}`,
        }
      : {}),
    requestParameters: {
      bucketName: `bucket-${hex(next, 6)}`,
      key: `data/${hex(next, 4)}/part-${Math.floor(next() * 10000)}.parquet`,
      Host: `bucket-${hex(next, 6)}.s3.${region}.amazonaws.com`,
      instancesSet: { items: [{ instanceId: `i-${hex(next, 17)}` }] },
      filterSet: {},
    },
    responseElements: call.readOnly ? null : { requestId: uuid(next) },
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': hex(next, 60),
    },
    requestID: hex(next, 16).toUpperCase(),
    eventID: uuid(next),
    readOnly: call.readOnly,
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::bucket-${hex(next, 6)}/data/${hex(next, 8)}` },
      { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::bucket-${hex(next, 6)}` },
    ],
    eventType: 'AwsApiCall',
    managementEvent: !call.source.startsWith('s3'),
    recipientAccountId: account,
    eventCategory: call.source.startsWith('s3') ? 'Data' : 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${call.source.split('.')[0]}.${region}.amazonaws.com`,
    },
  };
}

const AZURE_OPERATIONS = [
  'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
  'MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION',
  'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
  'MICROSOFT.KEYVAULT/VAULTS/READ',
  'MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/DELETE',
  'MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE',
];

function azureActivityRecord(next: () => number): unknown {
  const subscription = uuid(next);
  const tenant = uuid(next);
  const objectId = uuid(next);
  const operation = pick(next, AZURE_OPERATIONS);
  const group = `RG-${hex(next, 6).toUpperCase()}`;
  const resourceId = `/SUBSCRIPTIONS/${subscription.toUpperCase()}/RESOURCEGROUPS/${group}/PROVIDERS/${operation.split('/').slice(0, 2).join('/')}/RES-${hex(next, 6).toUpperCase()}`;
  const issued = 1714521600 + Math.floor(next() * 2_592_000);
  return {
    RoleLocation: 'West Europe',
    time: time(next, 7),
    resourceId,
    operationName: operation,
    category: 'Administrative',
    resultType: pick(next, ['Start', 'Success', 'Success', 'Failure']),
    resultSignature: pick(next, ['Started.', 'Succeeded.', 'Failed.Forbidden']),
    durationMs: String(Math.floor(next() * 3000)),
    callerIpAddress: ip(next),
    correlationId: uuid(next),
    identity: {
      authorization: {
        scope: resourceId,
        action: operation,
        evidence: {
          role: pick(next, ['Contributor', 'Owner', 'Reader', 'Storage Account Contributor']),
          roleAssignmentScope: `/subscriptions/${subscription}`,
          roleAssignmentId: hex(next, 32),
          roleDefinitionId: hex(next, 32),
          principalId: objectId.replace(/-/g, ''),
          principalType: 'User',
        },
      },
      claims: {
        aud: 'https://management.core.windows.net/',
        iss: `https://sts.windows.net/${tenant}/`,
        iat: String(issued),
        nbf: String(issued),
        exp: String(issued + 3600),
        'http://schemas.microsoft.com/claims/authnclassreference': '1',
        aio: hex(next, 56),
        'http://schemas.microsoft.com/claims/authnmethodsreferences': 'pwd,mfa',
        appid: uuid(next),
        appidacr: '0',
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': 'Doe',
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': 'Jane',
        ipaddr: ip(next),
        name: 'Jane Doe',
        'http://schemas.microsoft.com/identity/claims/objectidentifier': objectId,
        puid: hex(next, 16).toUpperCase(),
        'http://schemas.microsoft.com/identity/claims/scope': 'user_impersonation',
        'http://schemas.microsoft.com/identity/claims/tenantid': tenant,
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'jane.doe@example.com',
        uti: hex(next, 22),
        ver: '1.0',
      },
    },
    level: 'Information',
    location: 'westeurope',
    properties: {
      statusCode: pick(next, ['Created', 'OK', 'Accepted']),
      serviceRequestId: uuid(next),
      eventCategory: 'Administrative',
      entity: resourceId,
      message: operation,
      hierarchy: `${tenant}/${subscription}`,
    },
    tenantId: tenant,
  };
}

const GCP_CALLS = [
  {
    service: 'storage.googleapis.com',
    method: 'storage.objects.get',
    permission: 'storage.objects.get',
  },
  {
    service: 'compute.googleapis.com',
    method: 'v1.compute.instances.insert',
    permission: 'compute.instances.create',
  },
  {
    service: 'iam.googleapis.com',
    method: 'google.iam.admin.v1.CreateServiceAccountKey',
    permission: 'iam.serviceAccountKeys.create',
  },
  {
    service: 'cloudresourcemanager.googleapis.com',
    method: 'SetIamPolicy',
    permission: 'resourcemanager.projects.setIamPolicy',
  },
  {
    service: 'bigquery.googleapis.com',
    method: 'google.cloud.bigquery.v2.JobService.InsertJob',
    permission: 'bigquery.jobs.create',
  },
] as const;

function gcpAuditEntry(next: () => number): unknown {
  const call = pick(next, GCP_CALLS);
  const project = `proj-${hex(next, 6)}`;
  const resourceName = `projects/${project}/zones/europe-west1-b/instances/vm-${hex(next, 6)}`;
  const stamp = time(next, 9);
  const granted = next() > 0.05;
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: granted ? {} : { code: 7, message: 'PERMISSION_DENIED' },
      authenticationInfo: {
        principalEmail: `svc-${hex(next, 4)}@${project}.iam.gserviceaccount.com`,
        principalSubject: `serviceAccount:svc-${hex(next, 4)}@${project}.iam.gserviceaccount.com`,
      },
      requestMetadata: {
        callerIp: ip(next),
        callerSuppliedUserAgent:
          'google-cloud-sdk gcloud/472.0.0 command/gcloud.compute.instances.create',
        requestAttributes: { time: stamp, auth: {} },
        destinationAttributes: {},
      },
      serviceName: call.service,
      methodName: call.method,
      authorizationInfo: [
        {
          resource: resourceName,
          permission: call.permission,
          granted,
          resourceAttributes: {
            service: call.service,
            name: resourceName,
            type: 'compute.instances',
          },
        },
      ],
      resourceName,
      request: {
        '@type': 'type.googleapis.com/compute.instances.insert',
        name: `vm-${hex(next, 6)}`,
        machineType: `zones/europe-west1-b/machineTypes/e2-standard-${pick(next, [2, 4, 8])}`,
      },
      response: {
        '@type': 'type.googleapis.com/operation',
        id: String(Math.floor(next() * 1e15)),
        status: 'RUNNING',
      },
      resourceLocation: { currentLocations: ['europe-west1-b'] },
    },
    insertId: hex(next, 12),
    resource: {
      type: 'gce_instance',
      labels: {
        instance_id: String(Math.floor(next() * 1e15)),
        project_id: project,
        zone: 'europe-west1-b',
      },
    },
    timestamp: stamp,
    severity: granted ? 'NOTICE' : 'ERROR',
    logName: `projects/${project}/logs/cloudaudit.googleapis.com%2Factivity`,
    operation: { id: `operation-${hex(next, 16)}`, producer: call.service, first: true },
    receiveTimestamp: stamp,
  };
}

const GENERATORS: Record<CorpusProvider, (next: () => number) => unknown> = {
  aws: cloudTrailRecord,
  azure: azureActivityRecord,
  gcp: gcpAuditEntry,
};

/** Returns record `index` of a provider's corpus; the same index gives the same record. */
export function corpusRecord(provider: CorpusProvider, index: number): unknown {
  return GENERATORS[provider](random(index * 2654435761 + provider.length));
}
