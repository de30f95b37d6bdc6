import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../testing/alerts.js';
import { splitConcatenatedJson } from '../../testing/receivers.js';
import { encodeHecEvents } from './encode.js';

const product = { name: 'CIEM Platform', vendor_name: 'CIEM', version: '0.1.0' };
const metadata = { host: 'fwd', source: 'ciem', sourcetype: '_json', format: 'json' as const };

describe('encodeHecEvents', () => {
  it('concatenates one object per alert', () => {
    const body = encodeHecEvents([makeAlert(), makeAlert({ alert_id: 'b' })], metadata, product);
    expect(body).not.toContain('\n');
    const events = splitConcatenatedJson(body);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ host: 'fwd', source: 'ciem', sourcetype: '_json' });
    expect(events[0]).not.toHaveProperty('index');
  });

  it('writes created_at as time', () => {
    // Splunk "Format events for HTTP Event Collector": `time` is the event time in epoch
    // seconds, `<sec>.<ms>`. The event is this alert version, which the detector produced
    // at created_at (2026-01-02T03:15:00.000Z), the time syslog TIMESTAMP and OCSF `time`
    // carry too. last_seen (03:14:05.006) is the latest matching cloud event, not the alert.
    const [event] = splitConcatenatedJson(encodeHecEvents([makeAlert()], metadata, product));
    expect(event?.time).toBe(1767323700);
  });

  it('keeps milliseconds in time', () => {
    const createdAt = Date.UTC(2026, 0, 2, 3, 15, 0, 250);
    const [event] = splitConcatenatedJson(
      encodeHecEvents([makeAlert({ created_at: createdAt })], metadata, product),
    );
    expect(event?.time).toBe(1767323700.25);
  });

  it('carries the idempotency key', () => {
    const [event] = splitConcatenatedJson(encodeHecEvents([makeAlert()], metadata, product));
    expect((event?.event as Record<string, unknown>).idempotency_key).toBe(
      '0123456789abcdef0123456789abcdef.2',
    );
  });

  it('sets index and OCSF when asked', () => {
    const [event] = splitConcatenatedJson(
      encodeHecEvents([makeAlert()], { ...metadata, index: 'security', format: 'ocsf' }, product),
    );
    expect(event?.index).toBe('security');
    expect((event?.event as Record<string, unknown>).class_uid).toBe(2004);
  });
});
