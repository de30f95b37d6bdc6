import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Alert, NormalizedEvent } from '@ciem/events';
import { createAnomalyEngine, processEvents } from '@ciem/anomaly';
import { describe, expect, it } from 'vitest';
import { ipv6Words, loadCountryLookup, loadCountryPoints } from './geoip.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 4, 8);

/**
 * Returns IPv6 addresses of the given country from the package's own IPv6 ranges, written
 * in full eight-group form.
 */
function ipv6AddressesOf(country: string, count: number): string[] {
  const require = createRequire(import.meta.url);
  const file =
    require.resolve('@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv6-num.csv');
  const found: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [first, last, code] = line.split(',');
    if (code?.trim() !== country || first === undefined || last === undefined) continue;
    if (BigInt(last) - BigInt(first) < 2n) continue;
    const hex = (BigInt(first) + 1n).toString(16).padStart(32, '0');
    found.push(hex.match(/.{4}/g)?.join(':') ?? '');
    if (found.length === count) break;
  }
  return found;
}

/**
 * Returns addresses of the given country from the package's own ranges (`first,last,country`
 * rows with integer addresses), so the tests do not guess what the data says.
 */
function addressesOf(country: string, count: number): string[] {
  const require = createRequire(import.meta.url);
  const file =
    require.resolve('@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv4-num.csv');
  const found: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [first, last, code] = line.split(',');
    if (code?.trim() !== country || first === undefined || last === undefined) continue;
    // Skip tiny ranges so that first + 1 is inside the range.
    if (Number(last) - Number(first) < 2) continue;
    const value = Number(first) + 1;
    found.push([24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.'));
    if (found.length === count) break;
  }
  return found;
}

function call(time: number, ip: string): NormalizedEvent {
  return {
    schema_version: 1,
    event_id: `travel-${time}-${ip}`,
    provider: 'aws',
    event_time: time,
    ingest_time: time,
    log_type: 'AwsApiCall',
    account_id: '111122223333',
    tenant_id: null,
    region: 'us-east-1',
    principal: { id: 'arn:aws:iam::111122223333:user/dana', type: 'user', name: 'dana' },
    session: null,
    actor: null,
    access_key_id: 'AKIAIOSFODNN7EXAMPLE',
    mfa: null,
    action: {
      service: 's3',
      operation: 'ListBuckets',
      permissions: ['s3:ListAllMyBuckets'],
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: true,
    category: 'management',
    resources: [],
    outcome: 'success',
    error_code: null,
    error_message: null,
    source_ip: ip,
    user_agent: 'aws-cli/2.15.0',
    via_service: null,
    vpc_endpoint: null,
    phase: null,
    correlation_id: null,
    raw_ref: `test:${time}`,
  };
}

async function travel(events: NormalizedEvent[]): Promise<Alert[]> {
  const engine = createAnomalyEngine({ geo: await loadCountryLookup() });
  return processEvents(engine, events).filter((alert) => alert.rule_id === 'impossible-travel');
}

describe('loadCountryLookup', () => {
  it('resolves registry allocations', async () => {
    const lookup = await loadCountryLookup();
    // 1.0.0.0/24 is delegated by APNIC to Australia; 4.0.0.0/9 is ARIN space in the US.
    expect(lookup('1.0.0.1')?.country).toBe('AU');
    expect(lookup('4.2.2.2')?.country).toBe('US');
  });

  it('returns undefined for private space', async () => {
    const lookup = await loadCountryLookup();
    expect(lookup('10.1.2.3')).toBeUndefined();
    expect(lookup('not-an-ip')).toBeUndefined();
    // Unique local, link-local and loopback IPv6 addresses are registered to no country.
    expect(lookup('fd12:3456::1')).toBeUndefined();
    expect(lookup('fe80::1%eth0')).toBeUndefined();
    expect(lookup('::1')).toBeUndefined();
  });

  it('resolves IPv6 allocations', async () => {
    const lookup = await loadCountryLookup();
    for (const country of ['JP', 'DE', 'BR']) {
      const [address] = ipv6AddressesOf(country, 1);
      expect(lookup(address as string)?.country, address).toBe(country);
    }
  });

  it('looks up IPv4-mapped IPv6 addresses as IPv4', async () => {
    const lookup = await loadCountryLookup();
    // 1.0.0.0/24 is delegated by APNIC to Australia.
    expect(lookup('::ffff:1.0.0.1')?.country).toBe('AU');
    expect(lookup('::ffff:100:1')?.country).toBe('AU');
  });

  it('places countries at their points', async () => {
    const lookup = await loadCountryLookup();
    const australia = lookup('1.0.0.1');
    // Australia's centre lies near 25°S 134°E.
    expect(australia?.latitude).toBeCloseTo(-25, 0);
    expect(australia?.longitude).toBeCloseTo(134, 0);
    expect(loadCountryPoints().size).toBeGreaterThan(240);
  });
});

describe('ipv6Words', () => {
  it('reads the text forms of RFC 4291', () => {
    const full = [0x20010db8, 0, 0, 1];
    expect(ipv6Words('2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual(full);
    expect(ipv6Words('2001:db8::1')).toEqual(full);
    expect(ipv6Words('2001:DB8:0:0:0:0:0:1')).toEqual(full);
    expect(ipv6Words('::')).toEqual([0, 0, 0, 0]);
    expect(ipv6Words('1::')).toEqual([0x00010000, 0, 0, 0]);
    expect(ipv6Words('ffff:ffff::ffff:ffff')).toEqual([0xffffffff, 0, 0, 0xffffffff]);
    expect(ipv6Words('::ffff:192.0.2.33')).toEqual([0, 0, 0xffff, 0xc0000221]);
    expect(ipv6Words('fe80::1%eth0')).toEqual([0xfe800000, 0, 0, 1]);
  });

  it('rejects text that is no IPv6 address', () => {
    for (const text of ['2001:db8::1::1', '192.0.2.33', '2001:db8:::1', 'g::1', '']) {
      expect(ipv6Words(text), text).toBeUndefined();
    }
  });
});

describe('impossible travel with country data', () => {
  const [japan] = addressesOf('JP', 1);
  const [germany] = addressesOf('DE', 1);
  const [usFirst, usSecond] = addressesOf('US', 2);

  it('flags Japan to Germany in an hour', async () => {
    const alerts = await travel([call(T0, japan as string), call(T0 + HOUR, germany as string)]);
    expect(alerts).toHaveLength(1);
    expect(Number(alerts[0]?.details.distance_km)).toBeGreaterThan(8000);
    expect(alerts[0]?.source_ips).toEqual([germany]);
  });

  it('flags Japan over IPv6 to Germany in an hour', async () => {
    const [japanIpv6] = ipv6AddressesOf('JP', 1);
    const alerts = await travel([
      call(T0, japanIpv6 as string),
      call(T0 + HOUR, germany as string),
    ]);
    expect(alerts).toHaveLength(1);
  });

  it('accepts Japan to Germany in a day', async () => {
    // About 9,000 km in 14 hours is a direct flight.
    const alerts = await travel([
      call(T0, japan as string),
      call(T0 + 14 * HOUR, germany as string),
    ]);
    expect(alerts).toEqual([]);
  });

  it('ignores two ranges of one country', async () => {
    const alerts = await travel([
      call(T0, usFirst as string),
      call(T0 + 60_000, usSecond as string),
    ]);
    expect(usFirst).not.toBe(usSecond);
    expect(alerts).toEqual([]);
  });
});
