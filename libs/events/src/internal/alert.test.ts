import avro from 'avsc';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALERT_SCHEMA_PATH,
  alertSchema,
  computeAlertId,
  decodeAlert,
  encodeAlert,
} from '../index.js';
import type { Alert } from '../index.js';

const sample: Alert = {
  schema_version: 1,
  alert_id: computeAlertId(
    'aws-defense-evasion-logging|arn:aws:iam::123456789012:user/ops|trail',
    0,
  ),
  dedupe_key: 'aws-defense-evasion-logging|arn:aws:iam::123456789012:user/ops|trail',
  rule_id: 'aws-defense-evasion-logging',
  rule_name: 'Audit logging disabled or weakened',
  severity: 'high',
  provider: 'aws',
  account_id: '123456789012',
  principal_id: 'arn:aws:iam::123456789012:user/ops',
  principal_type: 'user',
  principal_name: 'ops',
  title: 'ops called cloudtrail:StopLogging',
  description: 'Stopping a trail hides later activity from the audit log.',
  mitre_techniques: ['T1562.008'],
  window_start: Date.UTC(2024, 0, 2, 0, 0, 0),
  first_seen: Date.UTC(2024, 0, 2, 3, 4, 5),
  last_seen: Date.UTC(2024, 0, 2, 3, 4, 5),
  event_count: 1,
  evidence_event_ids: ['a1b2c3d4-0000-4000-8000-000000000001'],
  source_ips: ['198.51.100.7'],
  details: { trail: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/main' },
  created_at: Date.UTC(2024, 0, 2, 3, 5, 0),
};

describe('Alert Avro codec', () => {
  it('round-trips every field', () => {
    expect(decodeAlert(encodeAlert(sample))).toEqual(sample);
  });

  it('rejects an alert missing a field', () => {
    const broken = { ...sample, severity: undefined } as unknown as Alert;
    expect(() => encodeAlert(broken)).toThrow(/severity/);
  });
});

describe('computeAlertId', () => {
  it('repeats for the same input', () => {
    expect(computeAlertId('k', 5)).toBe(computeAlertId('k', 5));
  });

  it('differs between windows', () => {
    expect(computeAlertId('k', 5)).not.toBe(computeAlertId('k', 6));
  });

  it('returns 32 hex characters', () => {
    expect(computeAlertId('k', 5)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('Alert schema evolution', () => {
  const historyDir = path.join(path.dirname(ALERT_SCHEMA_PATH), 'history');
  const current = avro.Type.forSchema(alertSchema);
  const historyFiles = readdirSync(historyDir).filter((name) => name.startsWith('alert.'));

  it('keeps a version 1 copy', () => {
    expect(historyFiles).toContain('alert.v1.avsc');
  });

  for (const file of historyFiles) {
    const older = avro.Type.forSchema(
      JSON.parse(readFileSync(path.join(historyDir, file), 'utf8')),
    );

    it(`reads data written with ${file}`, () => {
      const resolver = current.createResolver(older);
      expect(() => current.fromBuffer(older.toBuffer(sample), resolver)).not.toThrow();
    });

    it(`lets ${file} readers read current data`, () => {
      const resolver = older.createResolver(current);
      expect(() => older.fromBuffer(current.toBuffer(sample), resolver)).not.toThrow();
    });
  }

  it('gives every field added after version 1 a default', () => {
    const v1 = JSON.parse(readFileSync(path.join(historyDir, 'alert.v1.avsc'), 'utf8')) as {
      fields: { name: string }[];
    };
    const v1Names = new Set(v1.fields.map((field) => field.name));
    const added = (alertSchema as { fields: { name: string; default?: unknown }[] }).fields.filter(
      (field) => !v1Names.has(field.name),
    );
    for (const field of added) expect(field, `field ${field.name}`).toHaveProperty('default');
  });
});
