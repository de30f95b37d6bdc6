import type { NormalizedEvent } from '@ciem/events';
import { InputError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, toEventRow } from './event-row.js';

/** An assumed-role S3 read, as the CloudTrail normalizer describes one. */
function assumedRoleEvent(overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    schema_version: 1,
    event_id: '3038ebd2-c98a-4c65-9b6e-e22506292313',
    provider: 'aws',
    // 2025-03-04T05:06:07.123Z
    event_time: 1_741_064_767_123,
    // 2025-03-04T05:07:00.999Z
    ingest_time: 1_741_064_820_999,
    log_type: 'AwsApiCall',
    account_id: '111122223333',
    tenant_id: 'o-exampleorgid',
    region: 'eu-west-1',
    principal: {
      id: 'arn:aws:iam::111122223333:role/app',
      type: 'role',
      name: 'app',
    },
    session: {
      id: 'arn:aws:sts::111122223333:assumed-role/app/i-0abc',
      name: 'i-0abc',
      source_identity: 'alice',
      issued_at: 1_741_060_000_000,
      chain: ['arn:aws:iam::111122223333:role/entry', 'arn:aws:iam::111122223333:role/app'],
    },
    actor: 'alice@example.com',
    access_key_id: 'ASIAEXAMPLE',
    mfa: true,
    action: {
      service: 's3',
      operation: 'GetObject',
      permissions: ['s3:GetObject'],
      mapping: 'mapped',
      visibility: 'data-event',
    },
    read_only: true,
    category: 'data',
    resources: [
      { id: 'arn:aws:s3:::bucket/key', type: 'AWS::S3::Object' },
      { id: 'arn:aws:s3:::bucket', type: null },
    ],
    outcome: 'success',
    error_code: null,
    error_message: null,
    source_ip: '192.0.2.10',
    user_agent: 'aws-sdk-js/3',
    via_service: null,
    vpc_endpoint: 'vpce-1a2b3c4d',
    phase: null,
    correlation_id: null,
    raw_ref: 'ciem.raw.aws.cloudtrail/2/17',
    ...overrides,
  };
}

describe('toEventRow', () => {
  it('flattens every field of the event', () => {
    expect(toEventRow(assumedRoleEvent())).toEqual({
      event_id: '3038ebd2-c98a-4c65-9b6e-e22506292313',
      provider: 'aws',
      event_time: 1_741_064_767,
      event_time_ms: 1_741_064_767_123,
      ingest_time: 1_741_064_820,
      schema_version: 1,
      log_type: 'AwsApiCall',
      account_id: '111122223333',
      tenant_id: 'o-exampleorgid',
      region: 'eu-west-1',
      principal_id: 'arn:aws:iam::111122223333:role/app',
      principal_type: 'role',
      principal_name: 'app',
      session_id: 'arn:aws:sts::111122223333:assumed-role/app/i-0abc',
      session_name: 'i-0abc',
      session_source_identity: 'alice',
      session_issued_at_ms: 1_741_060_000_000,
      session_chain: ['arn:aws:iam::111122223333:role/entry', 'arn:aws:iam::111122223333:role/app'],
      actor: 'alice@example.com',
      access_key_id: 'ASIAEXAMPLE',
      mfa: 1,
      service: 's3',
      operation: 'GetObject',
      permissions: ['s3:GetObject'],
      mapping: 'mapped',
      visibility: 'data-event',
      read_only: 1,
      category: 'data',
      resources: ['arn:aws:s3:::bucket/key', 'arn:aws:s3:::bucket'],
      resource_types: ['AWS::S3::Object', ''],
      outcome: 'success',
      error_code: '',
      error_message: '',
      source_ip: '192.0.2.10',
      user_agent: 'aws-sdk-js/3',
      via_service: '',
      vpc_endpoint: 'vpce-1a2b3c4d',
      phase: '',
      correlation_id: '',
      raw_ref: 'ciem.raw.aws.cloudtrail/2/17',
    });
  });

  it('lists a column for every row field', () => {
    const row = toEventRow(assumedRoleEvent());
    expect([...EVENT_COLUMNS].sort()).toEqual(Object.keys(row).sort());
  });

  it('writes unknowns as empty and minus one', () => {
    const row = toEventRow(
      assumedRoleEvent({ session: null, mfa: null, read_only: null, log_type: null, region: null }),
    );
    expect(row.session_id).toBe('');
    expect(row.session_issued_at_ms).toBe(0);
    expect(row.session_chain).toEqual([]);
    expect(row.mfa).toBe(-1);
    expect(row.read_only).toBe(-1);
    expect(row.log_type).toBe('');
    expect(row.region).toBe('');
  });

  it('writes false flags as zero', () => {
    const row = toEventRow(assumedRoleEvent({ mfa: false, read_only: false }));
    expect(row.mfa).toBe(0);
    expect(row.read_only).toBe(0);
  });

  it('lower-cases the Azure phase', () => {
    const row = toEventRow(assumedRoleEvent({ provider: 'azure', phase: 'Succeeded' }));
    expect(row.phase).toBe('succeeded');
  });

  it('replaces lone surrogates in text', () => {
    const row = toEventRow(
      assumedRoleEvent({
        user_agent: 'agent\ud800x',
        action: {
          service: 's3',
          operation: 'GetObject',
          permissions: ['s3:\udc00Get'],
          mapping: 'mapped',
          visibility: 'logged',
        },
      }),
    );
    expect(row.user_agent).toBe('agent\ufffdx');
    expect(row.permissions).toEqual(['s3:\ufffdGet']);
  });

  it('keeps surrogate pairs unchanged', () => {
    const row = toEventRow(
      assumedRoleEvent({ principal: { id: 'u😀', type: 'user', name: null } }),
    );
    expect(row.principal_id).toBe('u😀');
  });

  it('rejects event time before 1970', () => {
    expect(() => toEventRow(assumedRoleEvent({ event_time: -1 }))).toThrow(InputError);
  });

  it('rejects ingest time after 2106', () => {
    const error = (() => {
      try {
        toEventRow(assumedRoleEvent({ ingest_time: 4_294_967_296_000 }));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('CIEM_EVENT_STORE_TIME_OUT_OF_RANGE');
    expect((error as InputError).message).toContain('ingest_time');
    expect((error as InputError).message).toContain('ciem.raw.aws.cloudtrail/2/17');
  });

  it('accepts the last DateTime second', () => {
    const row = toEventRow(assumedRoleEvent({ event_time: 4_294_967_295_999 }));
    expect(row.event_time).toBe(4_294_967_295);
  });
});
