import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '@ciem/events';
import { normalizeCloudTrailRecord } from './cloudtrail.js';
import { expectError, expectEvent, loadFixture, lowerCaseKeys } from './fixtures/load-fixture.js';

const ctx = { rawRef: 'ciem.raw.aws.cloudtrail/3/1207', ingestTime: 1_720_000_000_000 };

function normalizeFixture(name: string) {
  return expectEvent(normalizeCloudTrailRecord(loadFixture(name), ctx));
}

describe('normalizeCloudTrailRecord identities', () => {
  it('maps an IAM user call', () => {
    const event = normalizeFixture('iam-user-get-user-policy.json');
    expect(event.principal).toEqual({
      id: 'arn:aws:iam::123456789012:user/Alice',
      type: 'user',
      name: 'Alice',
    });
    expect(event.session).toBeNull();
    expect(event.access_key_id).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(event.mfa).toBeNull();
    expect(event.via_service).toBeNull();
  });

  it('maps an assumed role to its role', () => {
    const event = normalizeFixture('assumed-role-s3-get-object.json');
    // sessionIssuer.arn carries the role path that the STS ARN drops.
    expect(event.principal).toEqual({
      id: 'arn:aws:iam::123456789012:role/service-role/ReportReader',
      type: 'role',
      name: 'ReportReader',
    });
    expect(event.session).toEqual({
      id: 'arn:aws:sts::123456789012:assumed-role/ReportReader/ReportBuilder',
      name: 'ReportBuilder',
      source_identity: 'carlos@example.com',
      // creationDate "20131102T010628Z" in ISO 8601 basic notation.
      issued_at: Date.UTC(2013, 10, 2, 1, 6, 28),
      chain: [],
    });
    expect(event.actor).toBe('carlos@example.com');
    expect(event.mfa).toBe(false);
    expect(event.access_key_id).toBe('ASIAIOSFODNN7EXAMPLE');
  });

  it('derives the role without sessionIssuer', () => {
    const record = loadFixture('assumed-role-s3-get-object.json');
    const identity = record.userIdentity as Record<string, unknown>;
    identity.sessionContext = { attributes: { mfaAuthenticated: 'true' } };
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal).toEqual({
      id: 'arn:aws:iam::123456789012:role/ReportReader',
      type: 'role',
      name: 'ReportReader',
    });
    expect(event.session?.name).toBe('ReportBuilder');
    expect(event.session?.issued_at).toBeNull();
    expect(event.mfa).toBe(true);
  });

  it('records role chaining on AssumeRole', () => {
    const event = normalizeFixture('assumed-role-chained-assume-role.json');
    expect(event.principal.id).toBe('arn:aws:iam::111122223333:role/PipelineRole');
    expect(event.session?.chain).toEqual([
      'arn:aws:sts::111122223333:assumed-role/PipelineRole/deploy-pipeline',
      'arn:aws:sts::444455556666:assumed-role/DeployTarget/deploy-pipeline-prod',
    ]);
    expect(event.session?.issued_at).toBe(Date.parse('2024-04-02T07:59:12Z'));
    expect(event.correlation_id).toBe('bEXAMPLE-efea-4a70-b951-19a88EXAMPLE');
    expect(event.account_id).toBe('111122223333');
  });

  it('takes the Identity Center user as actor', () => {
    const event = normalizeFixture('identity-center-role-on-behalf-of.json');
    expect(event.principal).toEqual({
      id: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123456789abcdef',
      type: 'role',
      name: 'AWSReservedSSO_ReadOnly_0123456789abcdef',
    });
    expect(event.session?.name).toBe('maria.garcia@example.com');
    expect(event.actor).toBe('arn:aws:identitystore:::user/544894e8-80c1-707f-60e3-3ba6510dfac1');
  });

  it('uses the session name for Identity Center roles', () => {
    const record = loadFixture('identity-center-role-on-behalf-of.json');
    delete (record.userIdentity as Record<string, unknown>).onBehalfOf;
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.actor).toBe('maria.garcia@example.com');
  });

  it('maps an IdentityCenterUser call', () => {
    const event = normalizeFixture('identity-center-user.json');
    expect(event.principal).toEqual({
      id: 'arn:aws:identitystore:::user/544894e8-80c1-707f-60e3-3ba6510dfac1',
      type: 'federated_user',
      name: null,
    });
    expect(event.session?.id).toBe('EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE');
    expect(event.account_id).toBe('123456789012');
  });

  it('maps a root sign-in with MFA', () => {
    const event = normalizeFixture('root-console-login.json');
    expect(event.principal).toEqual({
      id: 'arn:aws:iam::123456789012:root',
      type: 'root',
      name: null,
    });
    expect(event.mfa).toBe(true);
    expect(event.category).toBe('sign-in');
    expect(event.outcome).toBe('success');
    expect(event.access_key_id).toBeNull();
    expect(event.action.mapping).toBe('no-permission');
  });

  it('builds the root ARN without arn', () => {
    const record = loadFixture('root-console-login.json');
    delete (record.userIdentity as Record<string, unknown>).arn;
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal.id).toBe('arn:aws:iam::123456789012:root');
  });

  it('maps an AWS service call', () => {
    const event = normalizeFixture('aws-service-assume-role.json');
    expect(event.principal).toEqual({
      id: 'lambda.amazonaws.com',
      type: 'aws_service',
      name: 'lambda.amazonaws.com',
    });
    expect(event.via_service).toBe('lambda.amazonaws.com');
    expect(event.source_ip).toBe('lambda.amazonaws.com');
  });

  it('marks service host sources as via_service', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    record.sourceIPAddress = 'cloudformation.amazonaws.com';
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal.id).toBe('arn:aws:iam::123456789012:user/Alice');
    expect(event.via_service).toBe('cloudformation.amazonaws.com');
    expect(event.source_ip).toBe('cloudformation.amazonaws.com');
  });

  it('takes invokedBy on any identity', () => {
    const record = loadFixture('assumed-role-s3-get-object.json');
    (record.userIdentity as Record<string, unknown>).invokedBy = 'athena.amazonaws.com';
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal.type).toBe('role');
    expect(event.via_service).toBe('athena.amazonaws.com');
  });

  it('maps a federated user to its issuer', () => {
    const event = normalizeFixture('federated-user-list-buckets.json');
    expect(event.principal).toEqual({
      id: 'arn:aws:iam::123456789012:user/identity-broker',
      type: 'user',
      name: 'identity-broker',
    });
    expect(event.session).toEqual({
      id: 'arn:aws:sts::123456789012:federated-user/Bob',
      name: 'Bob',
      source_identity: null,
      issued_at: Date.parse('2024-02-28T14:00:00Z'),
      chain: [],
    });
  });

  it('maps a SAML user', () => {
    const event = normalizeFixture('saml-user-assume-role-with-saml.json');
    expect(event.principal).toEqual({
      id: 'Fz3p0Tq1EXAMPLEqualifier=:jane.roe',
      type: 'federated_user',
      name: 'jane.roe',
    });
    expect(event.actor).toBe('jane.roe');
    expect(event.resources).toContainEqual({
      id: 'arn:aws:sts::123456789012:assumed-role/SamlDevelopers/jane.roe@example.com',
      type: 'AWS::STS::AssumedRole',
    });
  });

  it('maps a web identity user', () => {
    const event = normalizeFixture('web-identity-user-assume-role.json');
    expect(event.principal).toEqual({
      id: 'accounts.google.com:user-id',
      type: 'federated_user',
      name: 'user-id',
    });
    expect(event.actor).toBe('user-id');
  });

  it('maps a cross-account caller to its account', () => {
    const event = normalizeFixture('aws-account-cross-account.json');
    expect(event.principal).toEqual({
      id: 'arn:aws:iam::777788889999:root',
      type: 'aws_account',
      name: '777788889999',
    });
    expect(event.actor).toBe('AIDAEXAMPLEOTHERUSER');
    expect(event.account_id).toBe('111122223333');
  });

  it('maps an Insight event without identity', () => {
    const event = normalizeFixture('insight-event.json');
    expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: null });
    expect(event.action.operation).toBe('UpdateInstanceInformation');
    expect(event.action.service).toBe('ssm');
    expect(event.log_type).toBe('AwsCloudTrailInsight');
    expect(event.account_id).toBe('123456789012');
  });

  it('maps Unknown type by userName', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    record.userIdentity = {
      type: 'Unknown',
      principalId: '123456789012',
      arn: '',
      userName: 'alex',
    };
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: 'alex' });
  });

  it('maps a type named like a prototype member as Unknown', () => {
    // Such a type was looked up on Object.prototype and the normalizer threw.
    for (const type of ['constructor', '__proto__']) {
      const record = loadFixture('iam-user-get-user-policy.json');
      record.userIdentity = { type, principalId: '123456789012', userName: 'alex' };
      const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
      expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: 'alex' });
    }
  });

  it('infers the type from the ARN', () => {
    const record = loadFixture('assumed-role-s3-get-object.json');
    delete (record.userIdentity as Record<string, unknown>).type;
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal.id).toBe('arn:aws:iam::123456789012:role/service-role/ReportReader');
    expect(event.principal.type).toBe('role');
  });
});

describe('normalizeCloudTrailRecord event fields', () => {
  it('fills every field of a data event', () => {
    const event = normalizeFixture('assumed-role-s3-get-object.json');
    expect(event.schema_version).toBe(SCHEMA_VERSION);
    expect(event.event_id).toBe('e5a92162-EXAMPLE-4d33-a39c-c2b8ec9dbf83');
    expect(event.provider).toBe('aws');
    expect(event.event_time).toBe(Date.parse('2024-03-11T09:15:42Z'));
    expect(event.ingest_time).toBe(ctx.ingestTime);
    expect(event.raw_ref).toBe(ctx.rawRef);
    expect(event.log_type).toBe('AwsApiCall');
    expect(event.account_id).toBe('123456789012');
    expect(event.tenant_id).toBeNull();
    expect(event.region).toBe('eu-west-1');
    expect(event.read_only).toBe(true);
    expect(event.category).toBe('data');
    expect(event.outcome).toBe('success');
    expect(event.source_ip).toBe('192.0.2.44');
    expect(event.user_agent).toBe(
      '[aws-sdk-java/2.25.6 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10]',
    );
    expect(event.vpc_endpoint).toBe('vpce-1a2b3c4d');
    expect(event.phase).toBeNull();
    expect(event.resources).toEqual([
      {
        id: 'arn:aws:s3:::amzn-s3-demo-bucket/reports/2024/03/summary.csv',
        type: 'AWS::S3::Object',
      },
      { id: 'arn:aws:s3:::amzn-s3-demo-bucket', type: 'AWS::S3::Bucket' },
    ]);
  });

  it('maps GetObject to s3:GetObject', () => {
    // GetObject is authorized by s3:GetObject, and CloudTrail logs S3 object reads only as
    // data events.
    const event = normalizeFixture('assumed-role-s3-get-object.json');
    expect(event.action).toEqual({
      service: 's3',
      operation: 'GetObject',
      permissions: ['s3:GetObject'],
      mapping: 'mapped',
      visibility: 'data-event',
    });
  });

  it('keeps an unmapped call as unmapped', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    record.eventName = 'DescribeSomethingThatDoesNotExist';
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.action.mapping).toBe('unmapped');
    expect(event.action.permissions).toEqual([]);
    expect(event.action.service).toBe('iam');
    expect(event.action.operation).toBe('DescribeSomethingThatDoesNotExist');
  });

  it('keeps an event source named like a prototype member as its service', () => {
    // The source was looked up on Object.prototype, and the service became a function.
    for (const eventSource of ['constructor', '__proto__']) {
      const record = loadFixture('iam-user-get-user-policy.json');
      record.eventSource = eventSource;
      const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
      expect(event.action.service).toBe(eventSource);
      expect(event.action.mapping).toBe('unmapped');
    }
  });

  it('marks an EC2 unauthorized call denied', () => {
    const event = normalizeFixture('ec2-terminate-unauthorized.json');
    expect(event.outcome).toBe('denied');
    expect(event.error_code).toBe('Client.UnauthorizedOperation');
    expect(event.error_message).toMatch(/^You are not authorized to perform this operation/);
    expect(event.principal.id).toBe('arn:aws:iam::123456789012:user/interns/Dana');
    expect(event.resources).toEqual([
      {
        id: 'arn:aws:ec2:ap-southeast-2:123456789012:instance/i-0a1b2c3d4e5f60718',
        type: 'AWS::EC2::Instance',
      },
    ]);
  });

  it('marks a failed console sign-in failed', () => {
    const event = normalizeFixture('console-login-failure.json');
    expect(event.outcome).toBe('failed');
    expect(event.error_code).toBeNull();
    expect(event.error_message).toBe('No username found in supplied account');
    expect(event.category).toBe('sign-in');
    expect(event.mfa).toBe(false);
    // The user name is redacted and the record has no ARN, so no identity is known.
    expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: null });
  });

  it('derives a stable id without eventID', () => {
    const first = loadFixture('iam-user-get-user-policy.json');
    delete first.eventID;
    const second = lowerCaseKeys(loadFixture('iam-user-get-user-policy.json')) as Record<
      string,
      unknown
    >;
    delete second.eventid;
    const firstId = expectEvent(normalizeCloudTrailRecord(first, ctx)).event_id;
    const secondId = expectEvent(normalizeCloudTrailRecord(second, ctx)).event_id;
    expect(firstId).toMatch(/^derived:[0-9a-f]{64}$/);
    expect(secondId).toBe(firstId);

    const other = loadFixture('iam-user-get-user-policy.json');
    delete other.eventID;
    other.requestID = 'another-request';
    expect(expectEvent(normalizeCloudTrailRecord(other, ctx)).event_id).not.toBe(firstId);
  });
});

describe('normalizeCloudTrailRecord type drift', () => {
  it('reads readOnly given as string', () => {
    // The Identity Center fixture writes "readOnly": "true".
    const event = normalizeFixture('identity-center-role-on-behalf-of.json');
    expect(event.read_only).toBe(true);
  });

  it('reads lower-cased keys', () => {
    const record = lowerCaseKeys(loadFixture('assumed-role-s3-get-object.json'));
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.event_id).toBe('e5a92162-EXAMPLE-4d33-a39c-c2b8ec9dbf83');
    expect(event.principal.id).toBe('arn:aws:iam::123456789012:role/service-role/ReportReader');
    expect(event.session?.source_identity).toBe('carlos@example.com');
    expect(event.action.operation).toBe('GetObject');
    expect(event.action.permissions).toEqual(['s3:GetObject']);
    expect(event.category).toBe('data');
    expect(event.resources).toHaveLength(2);
  });

  it('accepts null requestParameters', () => {
    const record = loadFixture('ec2-terminate-unauthorized.json');
    record.requestParameters = null;
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.resources).toEqual([]);
    expect(event.action.operation).toBe('TerminateInstances');
  });

  it('reads userIdentity given as JSON text', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    record.userIdentity = JSON.stringify(record.userIdentity);
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal.id).toBe('arn:aws:iam::123456789012:user/Alice');
  });

  it('accepts missing userIdentity', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    delete record.userIdentity;
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: null });
    expect(event.account_id).toBe('123456789012');
  });

  it('reads MFAUsed over mfaAuthenticated', () => {
    const record = loadFixture('assumed-role-s3-get-object.json');
    record.additionalEventData = { MFAUsed: 'Yes' };
    expect(expectEvent(normalizeCloudTrailRecord(record, ctx)).mfa).toBe(true);
  });

  it('falls back to @timestamp without eventTime', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    delete record.eventTime;
    record['@timestamp'] = '2024-02-07T18:03:30.000Z';
    const event = expectEvent(normalizeCloudTrailRecord(record, ctx));
    expect(event.event_time).toBe(Date.parse('2024-02-07T18:03:30Z'));
  });
});

describe('normalizeCloudTrailRecord bad input', () => {
  it.each([null, 42, 'text', [1, 2]])('rejects non-object record %j', (input) => {
    const error = expectError(normalizeCloudTrailRecord(input, ctx));
    expect(error.reason).toBe('wrong-type');
    expect(error.provider).toBe('aws');
    expect(error.raw_ref).toBe(ctx.rawRef);
    expect(error.message).toContain('expected a JSON object');
  });

  it('rejects a whole log file', () => {
    const log = { Records: [loadFixture('insight-event.json')] };
    const error = expectError(normalizeCloudTrailRecord(log, ctx));
    expect(error.reason).toBe('wrong-envelope');
    expect(error.field).toBe('Records');
  });

  it('rejects a digest file', () => {
    const digest = { awsAccountId: '123456789012', digestStartTime: '2024-01-01T00:00:00Z' };
    const error = expectError(normalizeCloudTrailRecord(digest, ctx));
    expect(error.reason).toBe('not-an-event');
  });

  it('rejects missing eventTime', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    delete record.eventTime;
    const error = expectError(normalizeCloudTrailRecord(record, ctx));
    expect(error.reason).toBe('missing-field');
    expect(error.field).toBe('eventTime');
    expect(error.message).toContain('missing eventTime');
  });

  it('rejects an epoch eventTime beyond the Date range', () => {
    // Such a time became an event that the Avro schema rejected, instead of an error.
    const record = loadFixture('iam-user-get-user-policy.json');
    record.eventTime = 1e21;
    const error = expectError(normalizeCloudTrailRecord(record, ctx));
    expect(error.reason).toBe('wrong-type');
    expect(error.field).toBe('eventTime');
  });

  it('rejects garbage eventTime', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    record.eventTime = 'yesterday at noon';
    const error = expectError(normalizeCloudTrailRecord(record, ctx));
    expect(error.reason).toBe('wrong-type');
    expect(error.field).toBe('eventTime');
    expect(error.message).toContain('"yesterday at noon"');
  });

  it('rejects a numeric eventName', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    record.eventName = 404;
    const error = expectError(normalizeCloudTrailRecord(record, ctx));
    expect(error.reason).toBe('wrong-type');
    expect(error.field).toBe('eventName');
    expect(error.message).toContain('expected a non-empty string, received 404');
  });

  it('rejects missing eventSource', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    delete record.eventSource;
    const error = expectError(normalizeCloudTrailRecord(record, ctx));
    expect(error.reason).toBe('missing-field');
    expect(error.field).toBe('eventSource');
  });

  it('rejects a numeric userIdentity', () => {
    const record = loadFixture('iam-user-get-user-policy.json');
    record.userIdentity = 7;
    const error = expectError(normalizeCloudTrailRecord(record, ctx));
    expect(error.reason).toBe('wrong-type');
    expect(error.field).toBe('userIdentity');
  });
});
