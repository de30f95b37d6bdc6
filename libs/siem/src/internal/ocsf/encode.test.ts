import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../testing/alerts.js';
import { encodeOcsfFinding } from './encode.js';

const product = { name: 'CIEM Platform', vendor_name: 'CIEM', version: '0.1.0' };

describe('encodeOcsfFinding', () => {
  it('sets Detection Finding class and category', () => {
    const finding = encodeOcsfFinding(makeAlert(), product);
    expect(finding.class_uid).toBe(2004);
    expect(finding.category_uid).toBe(2);
  });

  it('maps severities to severity_id', () => {
    const expected = { info: 1, low: 2, medium: 3, high: 4, critical: 5 } as const;
    for (const [severity, id] of Object.entries(expected)) {
      const finding = encodeOcsfFinding(makeAlert({ severity: severity as 'low' }), product);
      expect(finding.severity_id).toBe(id);
    }
  });

  it('fills finding_info from the alert', () => {
    const finding = encodeOcsfFinding(makeAlert({ event_count: 1 }), product);
    expect(finding.finding_info).toEqual({
      uid: '0123456789abcdef0123456789abcdef',
      title: 'alice stopped CloudTrail logging',
      desc: 'StopLogging was called on trail management-events.',
      types: ['CloudTrail logging stopped'],
      first_seen_time: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
      last_seen_time: Date.UTC(2026, 0, 2, 3, 14, 5, 6),
      created_time: Date.UTC(2026, 0, 2, 3, 15),
      analytic: {
        name: 'CloudTrail logging stopped',
        uid: 'aws-defense-evasion-logging',
        type_id: 1,
        type: 'Rule',
      },
    });
  });

  it('splits sub-techniques from techniques', () => {
    const finding = encodeOcsfFinding(
      makeAlert({ mitre_techniques: ['T1098', 'T1562.008'] }),
      product,
    );
    expect(finding.attacks).toEqual([
      { technique: { uid: 'T1098' } },
      { technique: { uid: 'T1562' }, sub_technique: { uid: 'T1562.008' } },
    ]);
  });

  it('fills actor cloud and metadata', () => {
    const finding = encodeOcsfFinding(makeAlert(), product);
    expect(finding.actor).toEqual({
      user: {
        uid: 'arn:aws:iam::111122223333:user/alice',
        name: 'alice',
        type_id: 1,
        type: 'User',
      },
    });
    expect(finding.cloud).toEqual({ provider: 'aws', account: { uid: '111122223333' } });
    const metadata = finding.metadata as Record<string, unknown>;
    expect(metadata.version).toBe('1.3.0');
    expect(metadata.product).toEqual(product);
    expect(metadata.uid).toBe('0123456789abcdef0123456789abcdef.2');
    expect(finding.time).toBe(Date.UTC(2026, 0, 2, 3, 15));
  });

  it('lists evidence events and addresses', () => {
    const finding = encodeOcsfFinding(makeAlert(), product);
    expect(finding.evidences).toEqual([
      { data: { event_ids: ['e1', 'e2'] } },
      { src_endpoint: { ip: '203.0.113.7' } },
    ]);
  });

  it('omits a missing principal name', () => {
    const finding = encodeOcsfFinding(
      makeAlert({ principal_name: null, principal_type: 'service_account' }),
      product,
    );
    expect(finding.actor).toEqual({
      user: { uid: 'arn:aws:iam::111122223333:user/alice', type_id: 3, type: 'System' },
    });
  });
});

// The expected ids come from the OCSF Finding class (events/findings/finding.json in
// ocsf/ocsf-schema, which Detection Finding 1.3.0 extends). Its activity_id values are
// 1 Create "a finding was created", 2 Update "a finding was updated" and 3 Close, and
// status_id 1 is New, "the Finding is new and yet to be reviewed". The base event defines
// type_uid as class_uid × 100 + activity_id and type_name as "<class name>: <activity name>".
describe('encodeOcsfFinding lifecycle', () => {
  it('creates a finding from one event', () => {
    const finding = encodeOcsfFinding(makeAlert({ event_count: 1 }), product);
    expect(finding.activity_id).toBe(1);
    expect(finding.activity_name).toBe('Create');
    expect(finding.type_uid).toBe(200401);
    expect(finding.type_name).toBe('Detection Finding: Create');
    expect(finding.status_id).toBe(1);
    expect(finding.status).toBe('New');
  });

  it('updates a finding with more events', () => {
    // The detector emits the same alert_id again with a higher event_count while its
    // window is open, so a version with 2 events adds evidence to an existing finding.
    const finding = encodeOcsfFinding(makeAlert({ event_count: 2 }), product);
    expect(finding.activity_id).toBe(2);
    expect(finding.activity_name).toBe('Update');
    expect(finding.type_uid).toBe(200402);
    expect(finding.type_name).toBe('Detection Finding: Update');
    expect(finding.status_id).toBe(1);
    expect(finding.status).toBe('New');
  });

  it('creates a finding from a first version of many events', () => {
    // A denied-call burst is first written with the 20 or more calls that made it, so the
    // count cannot tell its first version. The detector numbers its versions instead.
    const alert = makeAlert({ event_count: 25, details: { alert_version: '1' } });
    const finding = encodeOcsfFinding(alert, product);
    expect(finding.activity_id).toBe(1);
    expect(finding.type_uid).toBe(200401);
  });

  it('updates a finding from its second version', () => {
    const alert = makeAlert({ event_count: 26, details: { alert_version: '2' } });
    const finding = encodeOcsfFinding(alert, product);
    expect(finding.activity_id).toBe(2);
    expect(finding.type_uid).toBe(200402);
  });

  it('dates an update as modified', () => {
    // finding_info.created_time is when the finding was created. An update version carries
    // only the time it was itself produced, which is finding_info.modified_time.
    const info = encodeOcsfFinding(makeAlert({ event_count: 5 }), product).finding_info as Record<
      string,
      unknown
    >;
    expect(info.modified_time).toBe(Date.UTC(2026, 0, 2, 3, 15));
    expect(info).not.toHaveProperty('created_time');
  });

  it('keeps the finding uid across versions', () => {
    const first = encodeOcsfFinding(makeAlert({ event_count: 1 }), product);
    const later = encodeOcsfFinding(makeAlert({ event_count: 7 }), product);
    expect((later.finding_info as Record<string, unknown>).uid).toBe(
      (first.finding_info as Record<string, unknown>).uid,
    );
  });
});
