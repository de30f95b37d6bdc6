import avro from 'avsc';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NORMALIZED_EVENT_SCHEMA_PATH,
  decodeNormalizedEvent,
  encodeNormalizedEvent,
  normalizedEventSchema,
} from '../index.js';
import type { NormalizedEvent } from '../index.js';

const sample: NormalizedEvent = {
  schema_version: 1,
  event_id: 'a1b2c3d4-0000-4000-8000-000000000001',
  provider: 'aws',
  event_time: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
  ingest_time: Date.UTC(2024, 0, 2, 3, 5, 0, 0),
  log_type: 'AwsApiCall',
  account_id: '123456789012',
  tenant_id: null,
  region: 'eu-west-1',
  principal: { id: 'arn:aws:iam::123456789012:role/deploy', type: 'role', name: 'deploy' },
  session: {
    id: 'arn:aws:sts::123456789012:assumed-role/deploy/ci',
    name: 'ci',
    source_identity: null,
    issued_at: Date.UTC(2024, 0, 2, 3, 0, 0),
    chain: [],
  },
  actor: null,
  access_key_id: 'ASIAEXAMPLE',
  mfa: false,
  action: {
    service: 's3',
    operation: 'ListObjects',
    permissions: ['s3:ListBucket'],
    mapping: 'mapped',
    visibility: 'logged',
  },
  read_only: true,
  category: 'management',
  resources: [{ id: 'arn:aws:s3:::reports', type: 'AWS::S3::Bucket' }],
  outcome: 'success',
  error_code: null,
  error_message: null,
  source_ip: '198.51.100.7',
  user_agent: 'aws-cli/2.15.0',
  via_service: null,
  vpc_endpoint: null,
  phase: null,
  correlation_id: null,
  raw_ref: 'file:cloudtrail.json:1',
};

describe('NormalizedEvent Avro codec', () => {
  it('round-trips every field', () => {
    expect(decodeNormalizedEvent(encodeNormalizedEvent(sample))).toEqual(sample);
  });

  it('rejects an event missing a field', () => {
    const broken = { ...sample, outcome: undefined } as unknown as NormalizedEvent;
    expect(() => encodeNormalizedEvent(broken)).toThrow(/outcome/);
  });

  it('names a field of wrong type', () => {
    const broken = { ...sample, event_time: '2024-05-01' } as unknown as NormalizedEvent;
    expect(() => encodeNormalizedEvent(broken)).toThrow(TypeError);
    expect(() => encodeNormalizedEvent(broken)).toThrow(/at event_time;/);
  });

  it('keeps earlier events when buffers fill', () => {
    // Events of growing size, then one larger than the shared buffer, then small ones again.
    const events = [
      ...Array.from({ length: 3_000 }, (_, index) => ({
        ...sample,
        event_id: `event-${index}`,
        user_agent: 'u'.repeat(index % 500),
      })),
      { ...sample, event_id: 'large', error_message: 'm'.repeat(400_000) },
      { ...sample, event_id: 'after-large' },
    ];
    const type = avro.Type.forSchema(normalizedEventSchema);
    const encoded = events.map((event) => encodeNormalizedEvent(event));
    for (const [index, event] of events.entries()) {
      expect(encoded[index]?.equals(type.toBuffer(event))).toBe(true);
    }
  });

  it('leaves no bytes after a rejected event', () => {
    const before = encodeNormalizedEvent({ ...sample, event_id: 'before' });
    const broken = { ...sample, event_time: '2024-05-01' } as unknown as NormalizedEvent;
    expect(() => encodeNormalizedEvent(broken)).toThrow(TypeError);
    const after = encodeNormalizedEvent({ ...sample, event_id: 'after' });
    expect(decodeNormalizedEvent(before).event_id).toBe('before');
    expect(decodeNormalizedEvent(after)).toEqual({ ...sample, event_id: 'after' });
  });
});

describe('NormalizedEvent schema evolution', () => {
  const historyDir = path.join(path.dirname(NORMALIZED_EVENT_SCHEMA_PATH), 'history');
  const current = avro.Type.forSchema(normalizedEventSchema);

  for (const file of readdirSync(historyDir).filter((name) =>
    name.startsWith('normalized-event.'),
  )) {
    const older = avro.Type.forSchema(
      JSON.parse(readFileSync(path.join(historyDir, file), 'utf8')),
    );

    it(`reads data written with ${file}`, () => {
      const resolver = current.createResolver(older);
      // avsc writes only the fields the older schema knows and ignores the rest.
      const olderBytes = older.toBuffer(sample);
      expect(() => current.fromBuffer(olderBytes, resolver)).not.toThrow();
    });

    it(`lets ${file} readers read current data`, () => {
      const resolver = older.createResolver(current);
      expect(() => older.fromBuffer(current.toBuffer(sample), resolver)).not.toThrow();
    });
  }

  it('gives every field added after version 1 a default', () => {
    const v1 = JSON.parse(
      readFileSync(path.join(historyDir, 'normalized-event.v1.avsc'), 'utf8'),
    ) as {
      fields: { name: string }[];
    };
    const v1Names = new Set(v1.fields.map((field) => field.name));
    const added = (
      normalizedEventSchema as { fields: { name: string; default?: unknown }[] }
    ).fields.filter((field) => !v1Names.has(field.name));
    for (const field of added) expect(field, `field ${field.name}`).toHaveProperty('default');
  });
});
