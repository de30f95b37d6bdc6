import { describe, expect, it } from 'vitest';
import { S3BackfillState, compareKeys, directoryOf } from './s3-backfill-state.js';
import type { S3BackfillCheckpoint } from './s3-backfill-state.js';

const prefix = 'AWSLogs/';
const east = '111122223333/CloudTrail/us-east-1/';
const west = '111122223333/CloudTrail/us-west-2/';

/** Builds a CloudTrail key under `prefix` from the stream, the day folder and a file name. */
function key(stream: string, day: string, name: string): string {
  return `${prefix}${stream}${day}/${name}`;
}

/** Runs a state over `done` keys and reloads it from the checkpoint it saves. */
function reload(done: string[], options: { lateDeliveryDays?: number } = {}): S3BackfillState {
  const first = new S3BackfillState(undefined, { prefix, ...options });
  for (const doneKey of done) first.markDone(doneKey);
  const saved = JSON.parse(JSON.stringify(first.toCheckpoint().checkpoint)) as unknown;
  return new S3BackfillState(saved, { prefix, ...options });
}

describe('compareKeys and directoryOf', () => {
  it('orders keys by UTF-8 bytes', () => {
    // U+FF5E is 0xEF 0xBD 0x9E in UTF-8, U+1F600 is 0xF0 ...: UTF-16 code units order them
    // the other way round.
    expect(compareKeys('a\u{ff5e}', 'a\u{1f600}')).toBeLessThan(0);
    expect(compareKeys('a.json', 'a/')).toBeLessThan(0);
  });

  it('cuts a key after its last slash', () => {
    expect(directoryOf('a/b/c.json')).toBe('a/b/');
    expect(directoryOf('c.json')).toBe('');
  });
});

describe('S3BackfillState', () => {
  it('skips nothing without a checkpoint', () => {
    const state = new S3BackfillState(undefined, { prefix });
    expect(state.loaded).toBe('none');
    expect(state.skipsKey(key(east, '2024/05/17', 'a.json.gz'))).toBe(false);
    expect(state.skipsDirectory(`${prefix}${east}2024/`)).toBe(false);
  });

  it('reads a new region sorting before the mark', () => {
    // us-west-2 is done up to May 17; us-east-1 sorts before it and is new.
    const state = reload([key(west, '2024/05/17', 'w1.json.gz')]);
    expect(state.skipsDirectory(`${prefix}${east}2024/`)).toBe(false);
    expect(state.skipsDirectory(`${prefix}${east}2024/01/`)).toBe(false);
    expect(state.skipsKey(key(east, '2024/01/01', 'e1.json.gz'))).toBe(false);
  });

  it('reads a late file before the mark', () => {
    const state = reload([
      key(east, '2024/05/16', '0900Z_b.json.gz'),
      key(east, '2024/05/17', '1000Z_b.json.gz'),
    ]);
    // Same day as the mark, earlier name.
    expect(state.skipsKey(key(east, '2024/05/17', '0955Z_a.json.gz'))).toBe(false);
    // The day before, and two days before (the cutoff with the default of 2 days).
    expect(state.skipsKey(key(east, '2024/05/16', '0800Z_a.json.gz'))).toBe(false);
    expect(state.skipsKey(key(east, '2024/05/15', '2359Z_a.json.gz'))).toBe(false);
    // Keys that were done stay skipped.
    expect(state.skipsKey(key(east, '2024/05/17', '1000Z_b.json.gz'))).toBe(true);
    expect(state.skipsKey(key(east, '2024/05/16', '0900Z_b.json.gz'))).toBe(true);
  });

  it('skips days before the cutoff', () => {
    const state = reload([key(east, '2024/05/17', 'a.json.gz')]);
    // The cutoff is 2024/05/15.
    expect(state.skipsKey(key(east, '2024/05/14', 'late.json.gz'))).toBe(true);
    expect(state.skipsDirectory(`${prefix}${east}2024/05/14/`)).toBe(true);
    expect(state.skipsDirectory(`${prefix}${east}2024/05/15/`)).toBe(false);
    expect(state.skipsDirectory(`${prefix}${east}2024/04/`)).toBe(true);
    expect(state.skipsDirectory(`${prefix}${east}2024/05/`)).toBe(false);
    expect(state.skipsDirectory(`${prefix}${east}2023/`)).toBe(true);
    expect(state.skipsDirectory(`${prefix}${east}2024/`)).toBe(false);
    // Days after the mark are read.
    expect(state.skipsDirectory(`${prefix}${east}2024/05/18/`)).toBe(false);
  });

  it('moves the cutoff across months and years', () => {
    const state = reload([key(east, '2025/01/01', 'a.json.gz')]);
    // The cutoff is 2024/12/30.
    expect(state.skipsDirectory(`${prefix}${east}2024/`)).toBe(false);
    expect(state.skipsDirectory(`${prefix}${east}2024/11/`)).toBe(true);
    expect(state.skipsDirectory(`${prefix}${east}2024/12/29/`)).toBe(true);
    expect(state.skipsDirectory(`${prefix}${east}2024/12/30/`)).toBe(false);
  });

  it('honours a longer late-delivery window', () => {
    const state = reload([key(east, '2024/05/17', 'a.json.gz')], { lateDeliveryDays: 10 });
    expect(state.skipsDirectory(`${prefix}${east}2024/05/07/`)).toBe(false);
    expect(state.skipsDirectory(`${prefix}${east}2024/05/06/`)).toBe(true);
  });

  it('records names from the cutoff only', () => {
    const state = new S3BackfillState(undefined, { prefix });
    state.markDone(key(east, '2024/05/01', 'old.json.gz'));
    state.markDone(key(east, '2024/05/15', 'cutoff.json.gz'));
    state.markDone(key(east, '2024/05/17', 'new.json.gz'));
    expect(state.toCheckpoint()).toEqual({
      checkpoint: {
        version: 2,
        streams: {
          [east]: {
            after: '2024/05/17/new.json.gz',
            done: ['2024/05/15/cutoff.json.gz', '2024/05/17/new.json.gz'],
          },
        },
        directories: {},
      },
      omittedNames: 0,
    });
  });

  it('keeps the mark when a late key is done', () => {
    const state = reload([key(east, '2024/05/17', 'b.json.gz')]);
    state.markDone(key(east, '2024/05/16', 'late.json.gz'));
    const { checkpoint } = state.toCheckpoint();
    expect(checkpoint.streams[east]).toEqual({
      after: '2024/05/17/b.json.gz',
      done: ['2024/05/16/late.json.gz', '2024/05/17/b.json.gz'],
    });
  });

  it('bounds the recorded names', () => {
    const state = new S3BackfillState(undefined, { prefix, maxRecordedNames: 3 });
    state.markDone(key(east, '2024/05/16', 'a.json.gz'));
    state.markDone(key(east, '2024/05/16', 'b.json.gz'));
    state.markDone(key(east, '2024/05/17', 'c.json.gz'));
    state.markDone(key(west, '2024/05/17', 'd.json.gz'));
    const { checkpoint, omittedNames } = state.toCheckpoint();
    // Four names over a limit of three: the older day (two names) is left out.
    expect(omittedNames).toBe(2);
    expect(checkpoint.streams[east]).toEqual({
      after: '2024/05/17/c.json.gz',
      done: ['2024/05/17/c.json.gz'],
    });
    expect(checkpoint.streams[west]).toEqual({
      after: '2024/05/17/d.json.gz',
      done: ['2024/05/17/d.json.gz'],
    });
    // A name left out is read again by the next run, and stays before the mark.
    const next = new S3BackfillState(checkpoint, { prefix });
    expect(next.skipsKey(key(east, '2024/05/16', 'a.json.gz'))).toBe(false);
    expect(next.skipsKey(key(east, '2024/05/17', 'c.json.gz'))).toBe(true);
  });

  it('keeps one mark per undated directory', () => {
    const state = reload([`${prefix}exports/b.json`, `${prefix}exports/a.json`]);
    expect(state.skipsKey(`${prefix}exports/a.json`)).toBe(true);
    expect(state.skipsKey(`${prefix}exports/b.json`)).toBe(true);
    expect(state.skipsKey(`${prefix}exports/c.json`)).toBe(false);
    expect(state.skipsKey(`${prefix}other/a.json`)).toBe(false);
    expect(state.toCheckpoint().checkpoint.directories).toEqual({ 'exports/': 'b.json' });
  });

  it('reads a first-format checkpoint', () => {
    const after = key(east, '2024/05/17', 'm.json.gz');
    const state = new S3BackfillState({ after }, { prefix });
    expect(state.loaded).toBe('legacy');
    // Nothing is pruned: the first run after it lists the prefix whole.
    expect(state.skipsDirectory(`${prefix}${east}2020/`)).toBe(false);
    // Keys up to `after` count as done, in any directory; keys after it are read.
    expect(state.skipsKey(key(east, '2024/05/16', 'x.json.gz'))).toBe(true);
    expect(state.skipsKey(after)).toBe(true);
    expect(state.skipsKey(key(east, '2024/05/17', 'n.json.gz'))).toBe(false);
    expect(state.skipsKey(key(west, '2024/05/01', 'w.json.gz'))).toBe(false);
    // The keys it skipped are saved in the current format.
    const saved: S3BackfillCheckpoint = state.toCheckpoint().checkpoint;
    expect(saved.streams[east]).toEqual({
      after: '2024/05/17/m.json.gz',
      done: ['2024/05/16/x.json.gz', '2024/05/17/m.json.gz'],
    });
  });

  it('ignores a checkpoint of unknown form', () => {
    const state = new S3BackfillState({ version: 9 }, { prefix });
    expect(state.loaded).toBe('unreadable');
    expect(state.skipsKey(key(east, '2024/05/17', 'a.json.gz'))).toBe(false);
  });

  it('rejects a negative window', () => {
    expect(() => new S3BackfillState(undefined, { prefix, lateDeliveryDays: -1 })).toThrow(
      /lateDeliveryDays/,
    );
  });
});
