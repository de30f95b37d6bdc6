import { describe, expect, it } from 'vitest';
import { halveWindow, initialCheckpoint, nextWindow, settleWindow } from './lookup-window.js';
import type { LookupEventItem } from './lookup-window.js';

const t0 = Date.parse('2024-05-01T12:00:00Z');
const second = 1000;

function event(id: string, offsetMs: number): LookupEventItem {
  return { eventId: id, eventTime: t0 + offsetMs, cloudTrailEvent: `{"eventID":"${id}"}` };
}

describe('initialCheckpoint', () => {
  it('starts lookback before now', () => {
    expect(initialCheckpoint(t0 + 1_234, 60_000)).toEqual({ time: t0 - 59_000, ids: [] });
  });
});

describe('nextWindow', () => {
  const options = { delayMs: 60_000, maxWindowMs: 300_000 };

  it('ends delay before now', () => {
    const window = nextWindow({ time: t0, ids: [] }, t0 + 120_500, options);
    expect(window).toEqual({ start: t0, end: t0 + 60_000 });
  });

  it('caps the window length', () => {
    const window = nextWindow({ time: t0, ids: [] }, t0 + 3_600_000, options);
    expect(window).toEqual({ start: t0, end: t0 + 300_000 });
  });

  it('returns nothing when caught up', () => {
    expect(nextWindow({ time: t0, ids: [] }, t0 + 60_999, options)).toBeUndefined();
  });
});

describe('halveWindow', () => {
  it('keeps the first half', () => {
    expect(halveWindow({ start: t0, end: t0 + 10 * second })).toEqual({
      start: t0,
      end: t0 + 5 * second,
    });
  });

  it('never goes below one second', () => {
    expect(halveWindow({ start: t0, end: t0 + second })).toEqual({
      start: t0,
      end: t0 + second,
    });
  });
});

describe('settleWindow', () => {
  it('publishes oldest first', () => {
    // LookupEvents returns newest first.
    const events = [event('c', 30 * second), event('b', 20 * second), event('a', 10 * second)];
    const { publish } = settleWindow(
      { time: t0, ids: [] },
      { start: t0, end: t0 + 60 * second },
      events,
    );
    expect(publish.map((item) => item.eventId)).toEqual(['a', 'b', 'c']);
  });

  it('skips ids already published', () => {
    const events = [event('new', 0), event('old', 0), event('later', 5 * second)];
    const { publish } = settleWindow(
      { time: t0, ids: ['old'] },
      { start: t0, end: t0 + 60 * second },
      events,
    );
    expect(publish.map((item) => item.eventId)).toEqual(['new', 'later']);
  });

  it('skips duplicates within a window', () => {
    const events = [event('a', 1_000), event('a', 1_000)];
    const { publish } = settleWindow(
      { time: t0, ids: [] },
      { start: t0, end: t0 + 60 * second },
      events,
    );
    expect(publish).toHaveLength(1);
  });

  it('records the ids of the end second', () => {
    const end = t0 + 60 * second;
    const events = [event('z', 60 * second), event('y', 60 * second), event('x', 59 * second)];
    const { next, publish } = settleWindow({ time: t0, ids: [] }, { start: t0, end }, events);
    expect(next).toEqual({ time: end, ids: ['y', 'z'] });
    expect(publish.map((item) => item.eventId)).toEqual(['x', 'y', 'z']);
  });

  it('advances over an empty window', () => {
    const end = t0 + 60 * second;
    expect(settleWindow({ time: t0, ids: ['a'] }, { start: t0, end }, []).next).toEqual({
      time: end,
      ids: [],
    });
  });

  it('leaves events past the window', () => {
    const end = t0 + 60 * second;
    const { publish } = settleWindow({ time: t0, ids: [] }, { start: t0, end }, [
      event('late', 61 * second),
    ]);
    expect(publish).toEqual([]);
  });

  it('repeats nothing across consecutive windows', () => {
    // The end second of one window is the start second of the next, and both return its events.
    const first = settleWindow({ time: t0, ids: [] }, { start: t0, end: t0 + 10 * second }, [
      event('edge', 10 * second),
      event('early', 2 * second),
    ]);
    const secondWindow = settleWindow(
      first.next,
      { start: t0 + 10 * second, end: t0 + 20 * second },
      [event('mid', 15 * second), event('edge', 10 * second), event('edge-2', 10 * second + 400)],
    );
    const all = [...first.publish, ...secondWindow.publish].map((item) => item.eventId);
    expect(all).toEqual(['early', 'edge', 'edge-2', 'mid']);
  });
});
