/**
 * Defensive readers for provider records. Real logs drift: booleans arrive as strings,
 * objects as JSON strings, one path is an object in one record and a string in the next,
 * keys are lower-cased by re-ingesting tools, and redaction markers replace values. These
 * helpers read a value at a path without throwing; the raw record keeps the original.
 */

import { compileKeyReader, type KeyReader } from './key-reader.js';

/** Plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key as the normalizers spell it, with its all-lower-case and PascalCase spellings. */
export interface KeySpellings {
  readonly key: string;
  readonly lower: string;
  readonly pascal: string;
  /** Reads the key from a non-array object, as {@link getSpelledProperty} does. */
  readonly read: KeyReader;
}

/** The other spellings of a key that real exports use: all lower case, and PascalCase. */
const keyVariants = new Map<string, KeySpellings>();

function spellingsOf(key: string): KeySpellings {
  const lower = key.toLowerCase();
  const pascal = key.charAt(0).toUpperCase() + key.slice(1);
  const spellings = { key, lower, pascal };
  const distinct = [...new Set([key, lower, pascal])];
  const read = compileKeyReader(distinct, (record) => ownSpelledValue(record, spellings));
  return { ...spellings, read };
}

function variantsOf(key: string): KeySpellings {
  let variants = keyVariants.get(key);
  if (variants === undefined) {
    variants = spellingsOf(key);
    // Keys are literals in the normalizers, so the cache stays small; the cap guards
    // against a caller that builds keys from data. Each entry contains a compiled reader.
    if (keyVariants.size < 10_000) keyVariants.set(key, variants);
  }
  return variants;
}

/**
 * A dotted path split once, with the spellings of each key, so that reading it needs no
 * cache lookup. Normalizers build one per constant path with {@link fieldPath}.
 */
export interface FieldPath {
  readonly text: string;
  readonly keys: readonly KeySpellings[];
}

/** Splits a dotted path once, for the readers of this file. */
export function fieldPath(path: string): FieldPath {
  return { text: path, keys: path.split('.').map(spellingsOf) };
}

/** Builds the path of one key that may contain dots, such as a token claim's URI name. */
export function keyPath(key: string): FieldPath {
  return { text: key, keys: [spellingsOf(key)] };
}

/**
 * Returns the own property `key` of a JSON object, or undefined. Parsed JSON objects
 * inherit only from Object.prototype, whose properties are all functions except
 * `__proto__`, and JSON values are never functions. So a plain read is own unless it
 * returns a function or the key is `__proto__`, and only those take an own-property check.
 */
function ownValue(object: JsonObject, key: string): unknown {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'function' && key !== '__proto__') return value;
  return Object.hasOwn(object, key) ? value : undefined;
}

/**
 * Returns the own property `key` of `object`, or its all-lower-case or PascalCase spelling:
 * copies re-ingested by some pipelines lower-case every key (`eventname`, `insertid`), and
 * some exports capitalize them (`Level`, `Properties`). Looking up the two spellings
 * directly, instead of scanning every key on a miss, keeps missing optional fields cheap.
 * Only own properties count, so a key such as `constructor` never reads the prototype.
 * NOTE: the object is expected to be parsed JSON, so a property inherited from a prototype
 * other than Object.prototype is read as if it were its own.
 */
export function getProperty(object: unknown, key: string): unknown {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  return variantsOf(key).read(object as JsonObject);
}

/** Returns {@link getProperty} of a key whose spellings are known. */
function getSpelledProperty(object: unknown, spellings: KeySpellings): unknown {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  return spellings.read(object as JsonObject);
}

/**
 * Reads a key as spelled, then in lower case, then in PascalCase, with the own-property
 * rules of {@link ownValue}. The compiled reader of each key calls it for function values.
 */
function ownSpelledValue(
  record: JsonObject,
  spellings: Pick<KeySpellings, 'key' | 'lower' | 'pascal'>,
): unknown {
  const value = ownValue(record, spellings.key);
  if (value !== undefined) return value;
  const { key, lower, pascal } = spellings;
  if (lower !== key) {
    const lowerValue = ownValue(record, lower);
    if (lowerValue !== undefined) return lowerValue;
  }
  if (pascal !== key) return ownValue(record, pascal);
  return undefined;
}

const splitPaths = new Map<string, readonly string[]>();

function splitPath(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    // Paths are literals in the normalizers, so the cache stays small; the cap guards
    // against a caller that builds paths from data.
    if (splitPaths.size < 10_000) splitPaths.set(path, keys);
  }
  return keys;
}

/**
 * Returns the value at a dotted path. An object found as a JSON string along the way is
 * parsed, because exporters serialize nested objects (`properties`, `identity`) as strings.
 *
 * `direct` is the caller's own read of a one-key path, `root['key']` with the key written
 * as a literal (any key but `__proto__`), when `root` is an object. Each such read site gets its own inline cache in
 * V8, so it costs less than the lookup here, whose one site reads every key of every
 * record shape. The result is the same either way, because a value found under the exact
 * spelling is the value of the path. Only a missing value, which may be spelled in lower
 * case or PascalCase, or a function, which is not own JSON data, reads the path here.
 * Every reader below takes `direct` the same way.
 */
export function getPath(root: unknown, path: string | FieldPath, direct?: unknown): unknown {
  if (direct !== undefined && typeof direct !== 'function') return direct;
  if (typeof path !== 'string') {
    const spelled = path.keys;
    let current: unknown = root;
    for (let index = 0; index < spelled.length; index++) {
      if (typeof current === 'string') current = parseJsonObject(current);
      current = getSpelledProperty(current, spelled[index] as KeySpellings);
      if (current === undefined || current === null) return current;
    }
    return current;
  }
  // Most paths are one key: read it without the split-path cache.
  if (path.indexOf('.') === -1) {
    return getProperty(typeof root === 'string' ? parseJsonObject(root) : root, path);
  }
  const keys = splitPath(path);
  let current: unknown = root;
  for (let index = 0; index < keys.length; index++) {
    if (typeof current === 'string') current = parseJsonObject(current);
    current = getProperty(current, keys[index] as string);
    if (current === undefined || current === null) return current;
  }
  return current;
}

/** Parses a string that contains a JSON object, and returns undefined for anything else. */
export function parseJsonObject(text: string): JsonObject | undefined {
  // Most strings are plain values, and a test of the first character rejects them cheaply.
  const first = text.charCodeAt(0);
  if (first !== 0x7b && first > 32 && first < 127) return undefined;
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an object at a path, parsing a JSON string if that is what the record holds. */
export function readObject(
  root: unknown,
  path: string | FieldPath,
  direct?: unknown,
): JsonObject | undefined {
  return objectOf(getPath(root, path, direct));
}

/** Returns a value as {@link readObject} reads it: an object, or a JSON object in a string. */
export function objectOf(value: unknown): JsonObject | undefined {
  if (isObject(value)) return value;
  if (typeof value === 'string') return parseJsonObject(value);
  return undefined;
}

/**
 * Reads a non-empty string at a path. Numbers and booleans are turned into strings; empty
 * strings and redaction markers read as missing.
 */
export function readString(
  root: unknown,
  path: string | FieldPath,
  direct?: unknown,
): string | undefined {
  return textOf(getPath(root, path, direct));
}

/** Returns a value as {@link readString} reads it. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return usableText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Reads a boolean at a path, accepting `true`/`false`, `"true"`/`"false"`, `"yes"`/`"no"`
 * (CloudTrail `additionalEventData.MFAUsed`) and 1/0. Anything else reads as unknown.
 */
export function readBoolean(
  root: unknown,
  path: string | FieldPath,
  direct?: unknown,
): boolean | undefined {
  const value = getPath(root, path, direct);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (value === 1) return true;
    if (value === 0) return false;
    return undefined;
  }
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true' || lowered === 'yes' || lowered === '1') return true;
    if (lowered === 'false' || lowered === 'no' || lowered === '0') return false;
  }
  return undefined;
}

/** Reads an array at a path; a single value becomes a one-element array. */
export function readArray(root: unknown, path: string | FieldPath, direct?: unknown): unknown[] {
  const value = getPath(root, path, direct);
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    const trimmed = value.trimStart();
    if (trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (Array.isArray(parsed)) return parsed;
      } catch {
        // Not a JSON array: treat it as one value below.
      }
    }
  }
  return [value];
}

/**
 * Parses a timestamp into epoch milliseconds. Accepts ISO 8601 strings (with or without
 * fractional seconds beyond milliseconds) and numbers in seconds or milliseconds.
 * Returns undefined when the value is not a time.
 */
export function readTime(
  root: unknown,
  path: string | FieldPath,
  direct?: unknown,
): number | undefined {
  const value = getPath(root, path, direct);
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Values below 1e11 cannot be milliseconds after 1973, so they are seconds.
    const milliseconds = value < 1e11 ? Math.round(value * 1000) : Math.round(value);
    // A Date represents at most 8.64e15 ms either side of 1970, and no time parses beyond.
    return Math.abs(milliseconds) <= MAX_TIME_MS ? milliseconds : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const fast = parseUtcTime(value);
  if (fast !== undefined) return fast;
  if (value.trim() === '') return undefined;
  const parsed = Date.parse(value.trim());
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The largest time value a Date represents (ECMAScript, "Time Values and Time Range"). */
const MAX_TIME_MS = 8.64e15;

/**
 * Parses the forms audit logs use without `Date.parse`, which costs several times more:
 * `2024-05-01T12:00:00Z` with no fraction or with 1 to 9 fractional digits
 * (CloudTrail writes none, Azure seven, GCP up to nine). Digits after the third are
 * dropped, as V8's `Date.parse` drops them. Returns undefined for any other text, and for
 * fields out of range, so `Date.parse` decides those. Days 29 to 31 roll over into the
 * next month as they do in `Date.parse`.
 */
function parseUtcTime(text: string): number | undefined {
  const length = text.length;
  if (length !== 20 && (length < 22 || length > 30)) return undefined;
  if (
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(length - 1) !== 0x5a
  ) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let millisecond = 0;
  if (length > 20) {
    if (text.charCodeAt(19) !== 0x2e) return undefined;
    const fraction = length - 21;
    // Every fractional digit must be a digit, also those that are dropped.
    if (digits(text, 20, fraction) < 0) return undefined;
    millisecond = digits(text, 20, Math.min(fraction, 3));
    if (fraction === 1) millisecond *= 100;
    else if (fraction === 2) millisecond *= 10;
  }
  // Date.UTC reads years 0 to 99 as 1900 to 1999, so early years go to Date.parse.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // A field that is not all digits reads as -1, which Date.UTC would take as a value.
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined;
  }
  return (
    daysFromCivil(year, month, day) * MILLISECONDS_PER_DAY +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    millisecond
  );
}

const MILLISECONDS_PER_DAY = 86_400_000;

/**
 * Returns the days from 1970-01-01 to a Gregorian date of years 1000 to 9999, as `Date.UTC`
 * counts them (days 29 to 31 roll over), at about a third of its cost on Node 20.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  // Years start in March, so the leap day is the last day of a year, and repeat in
  // 400-year cycles of 146,097 days.
  const marchYear = month <= 2 ? year - 1 : year;
  const cycle = Math.floor(marchYear / 400);
  const yearOfCycle = marchYear - cycle * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfCycle =
    yearOfCycle * 365 + Math.floor(yearOfCycle / 4) - Math.floor(yearOfCycle / 100) + dayOfYear;
  // 719,468 days lie between 0000-03-01 and 1970-01-01.
  return cycle * 146_097 + dayOfCycle - 719_468;
}

/** Reads `count` decimal digits at `start`, or returns -1 when one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Returns the text trimmed, or undefined when it is empty or a redaction marker. Text that
 * starts and ends with a printable ASCII character has nothing to trim, so it skips `trim`.
 */
export function usableText(value: string): string | undefined {
  const length = value.length;
  if (length === 0) return undefined;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(length - 1);
  const text = first <= 32 || first >= 127 || last <= 32 || last >= 127 ? value.trim() : value;
  return text === '' || isRedactionMarker(text) ? undefined : text;
}

/** True for values providers and exporters write in place of a hidden value. */
export function isRedactionMarker(value: string): boolean {
  // Comparing with each marker avoids hashing the text, as a Set lookup would.
  return (
    value === 'REDACTED' || value === '<redacted>' || value === 'HIDDEN_DUE_TO_SECURITY_REASONS'
  );
}
