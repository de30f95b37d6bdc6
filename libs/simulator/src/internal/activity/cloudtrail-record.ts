import type { ApiCall } from '../catalog/types.js';
import type { AwsAccount } from '../estate/model.js';
import type { Prng } from '../prng.js';
import { resourcesOf } from './aws-resources.js';

/** The caller part of a CloudTrail record, fixed for one session. */
export type UserIdentity = Record<string, unknown>;

/** Everything a record needs besides the call itself. */
export interface RecordContext {
  readonly account: AwsAccount;
  readonly identity: UserIdentity;
  /** ARN used in denial messages. */
  readonly callerArn: string;
  readonly region: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly fromConsole: boolean;
}

const GLOBAL_SERVICES = new Set(['iam.amazonaws.com', 'signin.amazonaws.com']);

/** Returns the region CloudTrail records the call in: global services land in us-east-1. */
export function regionFor(call: ApiCall, preferred: string): string {
  if (GLOBAL_SERVICES.has(call.service) || call.name === 'ListBuckets') return 'us-east-1';
  return preferred;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';

/**
 * Builds one CloudTrail record as CloudTrail delivers it to S3 (event version 1.09 shape),
 * and returns it with its `eventID`.
 */
export function buildCloudTrailRecord(
  rng: Prng,
  context: RecordContext,
  call: ApiCall,
  time: number,
  denied: boolean,
  detail?: Record<string, string>,
): { eventId: string; record: Record<string, unknown> } {
  const { account, region } = context;
  const pool = resourcesOf(account);
  const target = targetOf(rng, call, account, region, pool, detail);
  const eventId = rng.uuid();
  const requestId =
    call.service === 's3.amazonaws.com' ? rng.chars(16, 'ABCDEF0123456789') : rng.uuid();
  const record: Record<string, unknown> = {
    eventVersion: call.data ? '1.10' : '1.09',
    userIdentity: context.identity,
    eventTime: isoSeconds(time),
    eventSource: call.service,
    eventName: call.name,
    awsRegion: region,
    sourceIPAddress: context.sourceIp,
    userAgent: context.userAgent,
  };
  if (denied) {
    const permission = call.permissions[0] ?? call.name;
    record.errorCode =
      call.service === 'ec2.amazonaws.com' ? 'Client.UnauthorizedOperation' : 'AccessDenied';
    record.errorMessage = `User: ${context.callerArn} is not authorized to perform: ${permission} on resource: ${target.arn ?? '*'} because no identity-based policy allows the ${permission} action`;
  }
  record.requestParameters = target.request;
  record.responseElements = denied ? null : responseFor(rng, call, target, account, time);
  if (call.service === 's3.amazonaws.com' && call.data) {
    record.additionalEventData = {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: call.name === 'PutObject' ? 1024 + rng.int(4_000_000) : 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': rng.chars(
        56,
        'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/',
      ),
      bytesTransferredOut: call.name === 'GetObject' ? 512 + rng.int(8_000_000) : 0,
    };
  }
  record.requestID = requestId;
  record.eventID = eventId;
  record.readOnly = call.readOnly;
  if (target.resources) record.resources = target.resources;
  record.eventType = 'AwsApiCall';
  record.managementEvent = !call.data;
  record.recipientAccountId = account.id;
  if (target.resources && call.name.startsWith('AssumeRole')) record.sharedEventID = rng.uuid();
  record.eventCategory = call.data ? 'Data' : 'Management';
  if (!context.userAgent.endsWith('.amazonaws.com')) {
    record.tlsDetails = {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: hostFor(call.service, region, target.bucket),
    };
  }
  if (context.fromConsole) record.sessionCredentialFromConsole = 'true';
  return { eventId, record };
}

interface Target {
  request: Record<string, unknown> | null;
  arn?: string;
  bucket?: string;
  resources?: Array<Record<string, string>>;
  name?: string;
}

function targetOf(
  rng: Prng,
  call: ApiCall,
  account: AwsAccount,
  region: string,
  pool: ReturnType<typeof resourcesOf>,
  detail: Record<string, string> | undefined,
): Target {
  const acct = account.id;
  switch (call.resource) {
    case 'bucket': {
      const bucket = rng.pick(account.buckets);
      const request: Record<string, unknown> = {
        bucketName: bucket,
        Host: `${bucket}.s3.${region}.amazonaws.com`,
      };
      if (call.name === 'ListObjects')
        Object.assign(request, { prefix: `exports/${rng.int(12)}/`, 'list-type': '2' });
      else if (call.name === 'GetBucketLocation') request.location = '';
      return {
        request,
        arn: `arn:aws:s3:::${bucket}`,
        bucket,
        resources: call.data
          ? [{ accountId: acct, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }]
          : undefined,
      };
    }
    case 'object': {
      const bucket = rng.pick(account.buckets);
      const key = `exports/${rng.int(12)}/part-${String(rng.int(10_000)).padStart(5, '0')}.parquet`;
      return {
        request: { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key },
        arn: `arn:aws:s3:::${bucket}/${key}`,
        bucket,
        resources: [
          { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
          { accountId: acct, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
        ],
      };
    }
    case 'instance': {
      const instanceId = rng.pick(pool.instances);
      if (call.name === 'DescribeInstances')
        return { request: { instancesSet: {}, filterSet: {} } };
      if (call.name === 'RunInstances') {
        return {
          request: {
            instancesSet: { items: [{ imageId: pool.amis[0], minCount: 1, maxCount: 1 }] },
            instanceType: rng.pick(['t3.medium', 'm6i.large', 'c6g.xlarge']),
            blockDeviceMapping: {},
            monitoring: { enabled: false },
            disableApiTermination: false,
          },
          arn: `arn:aws:ec2:${region}:${acct}:instance/*`,
        };
      }
      if (call.name === 'CreateTags') {
        return {
          request: {
            resourcesSet: { items: [{ resourceId: instanceId }] },
            tagSet: { items: [{ key: 'owner', value: account.team }] },
          },
          arn: `arn:aws:ec2:${region}:${acct}:instance/${instanceId}`,
        };
      }
      return {
        request: { instancesSet: { items: [{ instanceId }] } },
        arn: `arn:aws:ec2:${region}:${acct}:instance/${instanceId}`,
        name: instanceId,
      };
    }
    case 'function': {
      const name = detail?.functionName ?? rng.pick(pool.functions);
      const arn = `arn:aws:lambda:${region}:${acct}:function:${name}`;
      if (call.name === 'CreateFunction20150331') {
        return {
          request: {
            functionName: name,
            runtime: 'python3.12',
            role: detail?.roleArn ?? '',
            handler: 'index.handler',
            code: {},
            publish: true,
          },
          arn,
        };
      }
      return {
        request: { functionName: call.data ? arn : name },
        arn,
        resources: call.data
          ? [{ accountId: acct, type: 'AWS::Lambda::Function', ARN: arn }]
          : undefined,
      };
    }
    case 'role': {
      const roleArn = detail?.roleArn ?? `arn:aws:iam::${acct}:role/${account.team}-service-role`;
      const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
      if (call.name.startsWith('AssumeRole')) {
        const request: Record<string, unknown> = {
          roleArn,
          roleSessionName: detail?.sessionName ?? 'session',
          durationSeconds: 3600,
        };
        if (detail?.externalId) request.externalId = detail.externalId;
        return {
          request,
          arn: roleArn,
          resources: [
            { accountId: roleArn.split(':')[4] ?? acct, type: 'AWS::IAM::Role', ARN: roleArn },
          ],
        };
      }
      if (call.name === 'AttachRolePolicy') {
        return {
          request: { roleName, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          arn: roleArn,
        };
      }
      if (call.name === 'PutRolePolicy') {
        const policyDocument = JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${account.buckets[0]}/*`,
            },
          ],
        });
        return { request: { roleName, policyName: 'inline-read', policyDocument }, arn: roleArn };
      }
      return { request: { roleName }, arn: roleArn };
    }
    case 'user': {
      const userName = detail?.userName ?? `${account.team}-automation`;
      const arn = `arn:aws:iam::${acct}:user/${userName}`;
      if (call.name === 'AttachUserPolicy') {
        return {
          request: {
            userName,
            policyArn: detail?.policyArn ?? 'arn:aws:iam::aws:policy/ReadOnlyAccess',
          },
          arn,
        };
      }
      return { request: { userName }, arn, name: userName };
    }
    case 'policy': {
      const policyArn = detail?.policyArn ?? `arn:aws:iam::${acct}:policy/DenyLoggingChanges`;
      if (call.name === 'CreatePolicyVersion') {
        const policyDocument =
          detail?.policyDocument ??
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' }],
          });
        return { request: { policyArn, policyDocument, setAsDefault: true }, arn: policyArn };
      }
      return { request: { policyArn }, arn: policyArn };
    }
    case 'table': {
      const tableName = rng.pick(pool.tables);
      const arn = `arn:aws:dynamodb:${region}:${acct}:table/${tableName}`;
      const request: Record<string, unknown> = { tableName };
      if (call.name === 'GetItem' || call.name === 'DeleteItem' || call.name === 'UpdateItem') {
        request.key = { pk: `ORDER#${rng.int(1_000_000)}` };
      }
      return {
        request,
        arn,
        resources: call.data
          ? [{ accountId: acct, type: 'AWS::DynamoDB::Table', ARN: arn }]
          : undefined,
      };
    }
    case 'key': {
      const keyArn = `arn:aws:kms:${region}:${acct}:key/${rng.pick(pool.keys)}`;
      const request: Record<string, unknown> =
        call.name === 'GenerateDataKey'
          ? { keyId: keyArn, keySpec: 'AES_256' }
          : call.name === 'DescribeKey'
            ? { keyId: keyArn }
            : { keyId: keyArn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      return {
        request,
        arn: keyArn,
        resources:
          call.name === 'DescribeKey'
            ? undefined
            : [{ accountId: acct, type: 'AWS::KMS::Key', ARN: keyArn }],
      };
    }
    case 'trail': {
      const trailArn = `arn:aws:cloudtrail:us-east-1:${acct}:trail/${account.trailName}`;
      const request: Record<string, unknown> = { name: trailArn };
      if (call.name === 'PutEventSelectors') {
        request.eventSelectors = [
          { readWriteType: 'WriteOnly', includeManagementEvents: false, dataResources: [] },
        ];
      }
      return { request, arn: trailArn };
    }
    case 'queue': {
      const queue = rng.pick(pool.queues);
      return {
        request: { queueUrl: `https://sqs.${region}.amazonaws.com/${acct}/${queue}` },
        arn: `arn:aws:sqs:${region}:${acct}:${queue}`,
      };
    }
    case 'parameter': {
      const name = rng.pick(pool.parameters);
      const request: Record<string, unknown> =
        call.name === 'GetParameters'
          ? { names: [name], withDecryption: true }
          : { name, withDecryption: true };
      return { request, arn: `arn:aws:ssm:${region}:${acct}:parameter${name}` };
    }
    case 'secret': {
      const secret = rng.pick(pool.secrets);
      const arn = `arn:aws:secretsmanager:${region}:${acct}:secret:${secret}`;
      return { request: { secretId: arn }, arn };
    }
    case 'logGroup': {
      const group = `/aws/lambda/${rng.pick(pool.functions)}`;
      const request: Record<string, unknown> = { logGroupName: group };
      if (call.name === 'CreateLogStream')
        request.logStreamName = `${isoSeconds(0).slice(0, 4)}/${rng.hex(32)}`;
      return { request, arn: `arn:aws:logs:${region}:${acct}:log-group:${group}` };
    }
    case 'repository': {
      const repositoryName = rng.pick(pool.repositories);
      const request: Record<string, unknown> = { repositoryName, registryId: acct };
      if (call.name === 'BatchGetImage') request.imageIds = [{ imageTag: 'latest' }];
      return { request, arn: `arn:aws:ecr:${region}:${acct}:repository/${repositoryName}` };
    }
    default:
      return { request: null };
  }
}

function responseFor(
  rng: Prng,
  call: ApiCall,
  target: Target,
  account: AwsAccount,
  time: number,
): Record<string, unknown> | null {
  switch (call.name) {
    case 'RunInstances':
      return {
        instancesSet: {
          items: [
            {
              instanceId: `i-0${rng.hex(16)}`,
              imageId: resourcesOf(account).amis[0],
              instanceState: { code: 0, name: 'pending' },
            },
          ],
        },
        ownerId: account.id,
      };
    case 'StartInstances':
    case 'StopInstances':
      return {
        instancesSet: {
          items: [
            {
              instanceId: target.name,
              currentState:
                call.name === 'StartInstances'
                  ? { code: 0, name: 'pending' }
                  : { code: 64, name: 'stopping' },
              previousState:
                call.name === 'StartInstances'
                  ? { code: 80, name: 'stopped' }
                  : { code: 16, name: 'running' },
            },
          ],
        },
      };
    case 'CreateAccessKey':
      return {
        accessKey: {
          userName: target.name,
          accessKeyId: `AKIA${rng.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
          status: 'Active',
          createDate: new Date(time).toUTCString().replace('GMT', 'UTC'),
        },
      };
    case 'AssumeRole':
    case 'AssumeRoleWithWebIdentity': {
      const roleArn = String((target.request as Record<string, unknown>).roleArn);
      const session = String((target.request as Record<string, unknown>).roleSessionName);
      const roleAccount = roleArn.split(':')[4] ?? account.id;
      const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
      return {
        credentials: {
          accessKeyId: `ASIA${rng.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
          sessionToken: rng.chars(
            64,
            'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
          ),
          expiration: expirationText(time + 3_600_000),
        },
        assumedRoleUser: {
          assumedRoleId: `AROA${rng.chars(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}:${session}`,
          arn: `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${session}`,
        },
      };
    }
    case 'CreatePolicyVersion':
      return {
        policyVersion: {
          versionId: 'v2',
          isDefaultVersion: true,
          createDate: expirationText(time),
        },
      };
    case 'CreateFunction20150331':
      return {
        functionName: target.name ?? (target.request as Record<string, unknown>).functionName,
        functionArn: target.arn,
        state: 'Pending',
      };
    default:
      return null;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Formats a time the way STS credentials show it in CloudTrail: `Nov 30, 2024, 8:43:17 PM`. */
function expirationText(ms: number): string {
  const d = new Date(ms);
  const hour = d.getUTCHours();
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hour < 12 ? 'AM' : 'PM'}`;
}

function hostFor(service: string, region: string, bucket: string | undefined): string {
  if (service === 's3.amazonaws.com')
    return bucket ? `${bucket}.s3.${region}.amazonaws.com` : 's3.amazonaws.com';
  if (service === 'iam.amazonaws.com') return 'iam.amazonaws.com';
  const prefix = service.replace('.amazonaws.com', '');
  return `${prefix}.${region}.amazonaws.com`;
}

/** Builds a console sign-in record (`eventType` `AwsConsoleSignIn`). */
export function buildConsoleLogin(
  rng: Prng,
  context: RecordContext,
  time: number,
  mfaUsed: boolean,
): { eventId: string; record: Record<string, unknown> } {
  const eventId = rng.uuid();
  return {
    eventId,
    record: {
      eventVersion: '1.09',
      userIdentity: context.identity,
      eventTime: isoSeconds(time),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: context.sourceIp,
      userAgent: context.userAgent,
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
        MobileVersion: 'No',
        MFAUsed: mfaUsed ? 'Yes' : 'No',
      },
      eventID: eventId,
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      managementEvent: true,
      recipientAccountId: context.account.id,
      eventCategory: 'Management',
    },
  };
}
