import { invalidState } from './errors.js';

/** Every hour of the day as a bit mask. */
export const ALL_HOURS = 0xffffff;

/**
 * Baseline of one principal. Permissions and networks are kept as 32-bit FNV-1a hashes, so a
 * principal costs about 1.3 KB with its id (measured by bench/detectors.bench.ts). A hash
 * collision can hide one first use (about one in 4 billion per pair of permissions).
 */
export interface PrincipalState {
  /** Event time of the first and latest event seen, ms. */
  firstSeen: number;
  lastSeen: number;
  events: number;
  /** Hashes of permissions used successfully. */
  permissions: Set<number>;
  /** Hashes of the /24 (IPv4) or /48 (IPv6) networks calls came from. */
  networks: Set<number>;
  /** Countries seen, when a GeoIP port is configured. */
  countries: string[];
  /** Latest located call: time (ms), latitude, longitude; empty when none. */
  lastPlace: number[];
  /** Recent denied calls, flattened as [time, permission hash, time, hash, ...]. */
  denied: number[];
  /** Hourly rate baseline: current hour (ms), its count, EWMA mean and variance, hours seen. */
  rateHour: number;
  rateCount: number;
  rateMean: number;
  rateVariance: number;
  rateHours: number;
  /** Windows of the access keys seen recently, at most four. */
  keyWindows: KeyWindow[];
  /** Sensitive permissions used, flattened as [hash, last UTC day, distinct days, ...]. */
  routine: number[];
  /** Per entry of `routine`, bit h set when the permission was used in UTC hour h. */
  routineHours: number[];
  /** Bit h set when the principal made a call in UTC hour h of any day. */
  activeHours: number;
  /** UTC day of the latest sign-in-without-MFA detection, or -1. */
  noMfaDay: number;
  /** Longest silence of at least `dormantMs` the principal woke up from, ms; 0 when none. */
  longestSilence: number;
}

/** Networks one access key was used from since the start of its window. */
export interface KeyWindow {
  key: string;
  /** Event time of the window's first call, ms. */
  start: number;
  /** Hashes of the /24 (IPv4) or /48 (IPv6) networks. */
  networks: number[];
}

/** Returns a fresh state for a principal first seen at `time`. */
export function createPrincipalState(time: number): PrincipalState {
  return {
    firstSeen: time,
    lastSeen: time,
    events: 0,
    permissions: new Set(),
    networks: new Set(),
    countries: [],
    lastPlace: [],
    denied: [],
    rateHour: 0,
    rateCount: 0,
    rateMean: 0,
    rateVariance: 0,
    rateHours: 0,
    keyWindows: [],
    routine: [],
    routineHours: [],
    activeHours: 0,
    noMfaDay: -1,
    longestSilence: 0,
  };
}

/** Returns the 32-bit FNV-1a hash of the lower-cased text. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Returns a hash of the address's network: the first three octets of an IPv4 address or the
 * first three groups of an IPv6 address. Returns undefined for a value that is not an IP
 * address, such as the service names CloudTrail writes for calls made by AWS services.
 */
export function networkOf(ip: string | null): number | undefined {
  if (ip === null || ip.length === 0) return undefined;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return hashText(`${v4[1]}.${v4[2]}.${v4[3]}`);
  if (!ip.includes(':') || !/^[0-9a-fA-F:.]+$/.test(ip)) return undefined;
  const groups = expandIpv6(ip);
  if (groups === undefined) return undefined;
  // An IPv4-mapped address (RFC 4291, section 2.5.5.2: 80 zero bits, 16 one bits, then the
  // IPv4 address) is an IPv4 caller seen through a dual-stack socket, so it gets its /24.
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') {
    const high = Number.parseInt(groups[6] ?? '', 16);
    const low = Number.parseInt(groups[7] ?? '', 16);
    return hashText(`${high >> 8}.${high & 0xff}.${low >> 8}`);
  }
  return hashText(groups.slice(0, 3).join(':'));
}

/**
 * Returns the eight groups of an IPv6 address in lower case without leading zeros, or
 * undefined when it is not one. A trailing dotted IPv4 part counts as two groups.
 */
function expandIpv6(address: string): string[] | undefined {
  let ip = address;
  const lastColon = ip.lastIndexOf(':');
  const tailV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.slice(lastColon + 1));
  if (tailV4 !== null) {
    const octets = tailV4.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    const [a, b, c, d] = octets as [number, number, number, number];
    ip = `${ip.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  } else if (ip.includes('.')) {
    return undefined;
  }
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) =>
    g.toLowerCase().replace(/^0+(?=.)/, ''),
  );
}

/** JSON form of a {@link PrincipalState}. */
export type SerializedPrincipalState = Omit<PrincipalState, 'permissions' | 'networks'> & {
  permissions: number[];
  networks: number[];
};

/** Returns the JSON form of a state. */
export function serializePrincipalState(state: PrincipalState): SerializedPrincipalState {
  return { ...state, permissions: [...state.permissions], networks: [...state.networks] };
}

/** Rebuilds a state from its JSON form; throws CIEM_ANOMALY_INVALID_STATE when malformed. */
export function deserializePrincipalState(value: unknown): PrincipalState {
  const record = value as Partial<SerializedPrincipalState> | null;
  if (
    record === null ||
    typeof record !== 'object' ||
    typeof record.firstSeen !== 'number' ||
    typeof record.lastSeen !== 'number' ||
    !Array.isArray(record.permissions) ||
    !Array.isArray(record.networks)
  ) {
    throw invalidState(
      'a principal state lacks firstSeen, lastSeen, permissions or networks',
      value,
    );
  }
  const fresh = createPrincipalState(record.firstSeen);
  const state = {
    ...fresh,
    ...record,
    permissions: new Set(record.permissions),
    networks: new Set(record.networks),
  } as PrincipalState;
  if (!Array.isArray(record.keyWindows)) state.keyWindows = takeLegacyKeyWindow(state);
  // Checkpoints written before hours were kept per permission allow every hour.
  const entries = Math.floor(state.routine.length / 3);
  if (!Array.isArray(state.routineHours)) state.routineHours = [];
  while (state.routineHours.length < entries) state.routineHours.push(ALL_HOURS);
  return state;
}

/** Fields of checkpoints written when a principal kept the window of one access key only. */
interface LegacyKeyWindow {
  key?: unknown;
  keyWindowStart?: unknown;
  keyNetworks?: unknown;
}

/**
 * Removes the single key window of an older checkpoint from the state and returns it in
 * the list form kept now.
 */
function takeLegacyKeyWindow(state: PrincipalState): KeyWindow[] {
  const legacy = state as PrincipalState & LegacyKeyWindow;
  const { key, keyWindowStart, keyNetworks } = legacy;
  delete legacy.key;
  delete legacy.keyWindowStart;
  delete legacy.keyNetworks;
  if (typeof key !== 'string' || typeof keyWindowStart !== 'number') return [];
  const networks = Array.isArray(keyNetworks)
    ? keyNetworks.filter((network): network is number => typeof network === 'number')
    : [];
  return [{ key, start: keyWindowStart, networks }];
}
