import { invalidOption } from './errors.js';

/**
 * Resume state of an S3 backfill: which keys under one prefix earlier runs finished, in a
 * form small enough to save about every second.
 *
 * CloudTrail writes its files to `AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/` day
 * directories. This module calls the part before the date a stream. Per stream the state
 * keeps a high-water mark (the greatest key done) and the names of every key done in the
 * day directories from the cutoff on, which is the mark's day minus `lateDeliveryDays`. A
 * later run then:
 * - reads a directory it has no entry for whole, wherever it sorts (a new account or region);
 * - skips the days of a known stream before the cutoff without listing them;
 * - lists the days from the cutoff on whole and reads every key not recorded, so a file
 *   delivered late under a key that sorts before the mark is still read.
 *
 * Why 2 days: CloudTrail names a file by the UTC minute it delivers it ("CloudTrail log file
 * name format", AWS CloudTrail User Guide), so a new file sorts before the mark only when it
 * appears in S3 long after that minute. CloudTrail delivers logs "within an average of about
 * 5 minutes of an API call", a time AWS does not guarantee ("Getting and viewing your
 * CloudTrail log files", same guide). Two days is far above that average, and keeps a
 * stream's record to about 3 day directories: about 860 names at one file per 5 minutes.
 *
 * NOTE: a file named before the cutoff that appears only after the run that moved the mark
 * past it is not read. The same page states that CloudTrail retries delivery to an
 * unreachable bucket for 30 days. After a longer outage, run with a larger
 * `lateDeliveryDays`, or delete the checkpoint so that the prefix is read again in full.
 *
 * A directory whose path has no `YYYY/MM/DD/` date gets only a mark, the last name done in
 * it. NOTE: its keys up to the mark are skipped, so a key added there later that sorts
 * before the mark is not read.
 */

/** Default of {@link S3BackfillStateOptions.lateDeliveryDays}. */
export const DEFAULT_LATE_DELIVERY_DAYS = 2;

/**
 * Default of {@link S3BackfillStateOptions.maxRecordedNames}. At about 85 bytes per CloudTrail
 * name relative to its stream (`YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_..._UNIQUE.json.gz`), a
 * full record is about 1.8 MB of JSON (an estimate). It covers the late-delivery window of
 * about 23 streams at one file per 5 minutes, such as one account in 17 regions.
 */
export const DEFAULT_MAX_RECORDED_NAMES = 20_000;

/** Options of {@link S3BackfillState}. */
export interface S3BackfillStateOptions {
  /** The listed prefix; saved paths are relative to it. */
  prefix: string;
  /** Days before a stream's newest day whose files are still expected to arrive (default 2). */
  lateDeliveryDays?: number;
  /**
   * Maximum names of done keys in a saved checkpoint (default 20,000). Beyond it the names of
   * the oldest days are left out, and the next run reads those keys again. Marks, one per
   * stream and one per directory without a date, are not counted.
   */
  maxRecordedNames?: number;
}

/** Saved progress of one stream. Paths are relative to the stream. */
interface SavedStream {
  /** The greatest key done, such as `2024/05/17/111122223333_CloudTrail_...json.gz`. */
  after: string;
  /** Keys done in the days from the cutoff on, sorted. */
  done: string[];
}

/** Checkpoint value, format 2. Stream and directory paths are relative to the prefix. */
export interface S3BackfillCheckpoint {
  version: 2;
  /** Per stream path (the directory before `YYYY/MM/DD/`), its progress. */
  streams: Record<string, SavedStream>;
  /** Per directory without a date, the last name done in it. */
  directories: Record<string, string>;
}

/** A checkpoint of the first format: every key up to `after` was done. */
interface LegacyCheckpoint {
  after: string;
}

interface StreamProgress {
  after: string;
  /** Done names by day (`YYYY/MM/DD`). */
  days: Map<string, Set<string>>;
}

/** A key split at its directory. */
interface DatedKey {
  stream: string;
  day: string;
  /** The key relative to its stream: `YYYY/MM/DD/name`. */
  relative: string;
}

const DAY_DIRECTORY = /^(.*\/)?(\d{4})\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/$/;
const MONTH_DIRECTORY = /^(.*\/)?(\d{4})\/(0[1-9]|1[0-2])\/$/;
const YEAR_DIRECTORY = /^(.*\/)?(\d{4})\/$/;

/** Orders keys as S3 lists them: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Returns the directory of a key: everything up to and including its last `/`. */
export function directoryOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

function splitDated(relativeKey: string): DatedKey | undefined {
  const directory = directoryOf(relativeKey);
  const match = DAY_DIRECTORY.exec(directory);
  if (match === null) return undefined;
  const stream = match[1] ?? '';
  return {
    stream,
    day: `${match[2]}/${match[3]}/${match[4]}`,
    relative: relativeKey.slice(stream.length),
  };
}

/** Returns the day `days` before `day`, both as `YYYY/MM/DD`. */
function daysBefore(day: string, days: number): string {
  const [year, month, date] = day.split('/').map(Number) as [number, number, number];
  const moved = new Date(Date.UTC(year, month - 1, date - days));
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${moved.getUTCFullYear()}/${pad(moved.getUTCMonth() + 1)}/${pad(moved.getUTCDate())}`;
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw invalidOption(name, 'a non-negative integer', value);
  }
  return value;
}

function isLegacy(value: unknown): value is LegacyCheckpoint {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('version' in value) &&
    typeof (value as { after?: unknown }).after === 'string'
  );
}

function isCurrent(value: unknown): value is S3BackfillCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<S3BackfillCheckpoint>;
  if (candidate.version !== 2) return false;
  if (typeof candidate.streams !== 'object' || candidate.streams === null) return false;
  if (typeof candidate.directories !== 'object' || candidate.directories === null) return false;
  const streamsValid = Object.values(candidate.streams).every(
    (stream) =>
      typeof stream?.after === 'string' &&
      Array.isArray(stream.done) &&
      stream.done.every((name) => typeof name === 'string'),
  );
  const directoriesValid = Object.values(candidate.directories).every(
    (name) => typeof name === 'string',
  );
  return streamsValid && directoriesValid;
}

/**
 * Progress of one prefix's backfill: loaded from a checkpoint, updated as keys are done, and
 * turned back into a checkpoint. Keys passed in are full keys under the prefix.
 */
export class S3BackfillState {
  readonly prefix: string;
  /** Form of the loaded checkpoint: none, the first format, the current one, or unreadable. */
  readonly loaded: 'none' | 'legacy' | 'current' | 'unreadable';
  private readonly lateDeliveryDays: number;
  private readonly maxRecordedNames: number;
  private readonly streams = new Map<string, StreamProgress>();
  private readonly directories = new Map<string, string>();
  /** With a first-format checkpoint: keys up to it count as done. */
  private readonly legacyAfter: string | undefined;

  constructor(saved: unknown, options: S3BackfillStateOptions) {
    this.prefix = options.prefix;
    this.lateDeliveryDays = nonNegativeInteger(
      options.lateDeliveryDays,
      DEFAULT_LATE_DELIVERY_DAYS,
      'lateDeliveryDays',
    );
    this.maxRecordedNames = nonNegativeInteger(
      options.maxRecordedNames,
      DEFAULT_MAX_RECORDED_NAMES,
      'maxRecordedNames',
    );
    if (saved === undefined) {
      this.loaded = 'none';
    } else if (isLegacy(saved)) {
      this.loaded = 'legacy';
      this.legacyAfter = saved.after;
    } else if (isCurrent(saved)) {
      this.loaded = 'current';
      for (const [stream, progress] of Object.entries(saved.streams)) {
        const days = new Map<string, Set<string>>();
        for (const name of progress.done) {
          const day = name.slice(0, 10);
          let names = days.get(day);
          if (names === undefined) days.set(day, (names = new Set()));
          names.add(name);
        }
        this.streams.set(stream, { after: progress.after, days });
      }
      for (const [directory, name] of Object.entries(saved.directories)) {
        this.directories.set(directory, name);
      }
    } else {
      this.loaded = 'unreadable';
    }
  }

  /** The first-format key up to which every key counts as done, if that was loaded. */
  get legacyMark(): string | undefined {
    return this.legacyAfter;
  }

  /**
   * Returns true when no key under the directory `path` (a full prefix ending in `/`) needs
   * reading: a year, month or day directory of a known stream wholly before its cutoff.
   */
  skipsDirectory(path: string): boolean {
    if (this.legacyAfter !== undefined || !path.startsWith(this.prefix)) return false;
    const relative = path.slice(this.prefix.length);
    const day = DAY_DIRECTORY.exec(relative);
    if (day !== null && this.isBeforeCutoff(day[1] ?? '', `${day[2]}/${day[3]}/${day[4]}`)) {
      return true;
    }
    const month = MONTH_DIRECTORY.exec(relative);
    if (month !== null && this.isBeforeCutoff(month[1] ?? '', `${month[2]}/${month[3]}`)) {
      return true;
    }
    const year = YEAR_DIRECTORY.exec(relative);
    return year !== null && this.isBeforeCutoff(year[1] ?? '', year[2]!);
  }

  /**
   * Returns true when an earlier run finished `key`. With a first-format checkpoint, a key
   * up to its mark counts as done and is recorded as done in the current format.
   */
  skipsKey(key: string): boolean {
    if (this.legacyAfter !== undefined) {
      if (compareKeys(key, this.legacyAfter) > 0) return false;
      this.markDone(key);
      return true;
    }
    const relative = key.slice(this.prefix.length);
    const dated = splitDated(relative);
    if (dated === undefined) {
      const directory = directoryOf(relative);
      const mark = this.directories.get(directory);
      return mark !== undefined && compareKeys(relative.slice(directory.length), mark) <= 0;
    }
    const stream = this.streams.get(dated.stream);
    if (stream === undefined) return false;
    if (dated.day < this.cutoffOf(stream)) return true;
    return stream.days.get(dated.day)?.has(dated.relative) === true;
  }

  /** Records that every record of `key` was acknowledged. */
  markDone(key: string): void {
    const relative = key.slice(this.prefix.length);
    const dated = splitDated(relative);
    if (dated === undefined) {
      const directory = directoryOf(relative);
      const name = relative.slice(directory.length);
      const mark = this.directories.get(directory);
      if (mark === undefined || compareKeys(name, mark) > 0) this.directories.set(directory, name);
      return;
    }
    let stream = this.streams.get(dated.stream);
    if (stream === undefined) {
      stream = { after: dated.relative, days: new Map() };
      this.streams.set(dated.stream, stream);
    } else if (compareKeys(dated.relative, stream.after) > 0) {
      const movedDay = dated.day !== stream.after.slice(0, 10);
      stream.after = dated.relative;
      if (movedDay) this.forgetBeforeCutoff(stream);
    }
    if (dated.day < this.cutoffOf(stream)) return;
    let names = stream.days.get(dated.day);
    if (names === undefined) stream.days.set(dated.day, (names = new Set()));
    names.add(dated.relative);
  }

  /**
   * Builds the checkpoint to save, and the number of recorded names left out of it to stay
   * within `maxRecordedNames` (the oldest days first). The next run reads those keys again.
   */
  toCheckpoint(): { checkpoint: S3BackfillCheckpoint; omittedNames: number } {
    const byDay: { stream: string; day: string; names: Set<string> }[] = [];
    for (const [stream, progress] of this.streams) {
      for (const [day, names] of progress.days) byDay.push({ stream, day, names });
    }
    // The newest days are kept, because older ones leave the window first anyway.
    byDay.sort((a, b) => compareKeys(b.day, a.day));
    const keptNames = new Map<string, string[]>();
    let room = this.maxRecordedNames;
    let omittedNames = 0;
    for (const entry of byDay) {
      if (entry.names.size > room) {
        omittedNames += entry.names.size;
        room = 0;
        continue;
      }
      room -= entry.names.size;
      const names = keptNames.get(entry.stream) ?? [];
      names.push(...entry.names);
      keptNames.set(entry.stream, names);
    }
    const checkpoint: S3BackfillCheckpoint = { version: 2, streams: {}, directories: {} };
    for (const [stream, progress] of this.streams) {
      checkpoint.streams[stream] = {
        after: progress.after,
        done: (keptNames.get(stream) ?? []).sort(compareKeys),
      };
    }
    for (const [directory, name] of this.directories) checkpoint.directories[directory] = name;
    return { checkpoint, omittedNames };
  }

  private cutoffOf(stream: StreamProgress): string {
    return daysBefore(stream.after.slice(0, 10), this.lateDeliveryDays);
  }

  /** True when the date `partial` (`YYYY`, `YYYY/MM` or `YYYY/MM/DD`) ends before the cutoff. */
  private isBeforeCutoff(streamPath: string, partial: string): boolean {
    const stream = this.streams.get(streamPath);
    if (stream === undefined) return false;
    return partial < this.cutoffOf(stream).slice(0, partial.length);
  }

  private forgetBeforeCutoff(stream: StreamProgress): void {
    const cutoff = this.cutoffOf(stream);
    for (const day of stream.days.keys()) {
      if (day < cutoff) stream.days.delete(day);
    }
  }
}
